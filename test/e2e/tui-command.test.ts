/**
 * `meshdoctor` (the default command) when stdout is not a terminal: a one-shot summary instead of
 * the UI, and usage errors as one line with exit 2 before anything is drawn.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {runCli} from '../helpers/cli.js';
import {SHOP_GRAPH} from '../helpers/sim-graphs.js';

const sim = new TrafficSim({...SHOP_GRAPH, start: '-1h'}, systemClock);
let api: FixtureApiServer;
let kubeconfig: string;

beforeAll(async () => {
  api = new FixtureApiServer({objects: simObjects(sim)});
  registerSimProxies(api, sim);
  await api.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-tui-cmd-')), 'config');
  api.writeKubeconfig(kubeconfig, {context: 'sim'});
});
afterAll(async () => {
  await api?.stop();
});

describe('meshdoctor without a terminal', () => {
  test('prints a summary — workloads worst first with their golden metrics, findings by severity — and exits 0', async () => {
    const r = await runCli(['--kubeconfig', kubeconfig, '--metrics-source', 'proxies']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^meshdoctor summary — context sim · istio, linkerd · \d{4}-/);
    const table = lines.findIndex((l) => /^NAMESPACE\s+WORKLOAD/.test(l));
    expect(table).toBeGreaterThan(0);
    // Worst first: cart (20 % errors) before api (10 %).
    const order = lines.slice(table + 1, table + 5).map((l) => l.split(/\s+/)[1]);
    expect(order.indexOf('cart')).toBeLessThan(order.indexOf('api'));
    expect(r.stdout).toMatch(/^findings: \d+ error, \d+ warning, \d+ info \(\d+ checks: /m);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(api.nonGetRequests()).toEqual([]);
  });

  test('bad flags: one line, exit 2', async () => {
    for (const args of [['--refresh', 'soon'], ['--refresh', '100ms'], ['--at', 'yesterday'], ['--at', '1700000000', '--metrics-source', 'proxies'], ['frobnicate']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
