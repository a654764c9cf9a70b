/**
 * When Prometheus is unreachable, too slow, or answers garbage: `stat` prints one line on stderr
 * and exits 3; `check` skips every metric check with the reason (never passes it) and MD1003 says
 * why. With `--metrics-source auto` and no Prometheus at all, `check` falls back to the proxies.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {runCli} from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'md-metrics-'));
const config = join(dir, 'meshdoctor.yaml');
writeFileSync(config, 'metrics:\n  timeout: 1s\n');

const servers: http.Server[] = [];
async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

let slow: string;
let garbage: string;
let closed: string;
let api: FixtureApiServer;
let kubeconfig: string;

beforeAll(async () => {
  slow = await serve((_req, res) => {
    const t = setTimeout(() => res.end('{}'), 4000);
    res.on('close', () => clearTimeout(t));
  });
  garbage = await serve((_req, res) => {
    res.writeHead(200, {'Content-Type': 'text/html'});
    res.end('<html><body>Sign in to continue</body></html>');
  });
  const gone = http.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  closed = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise<void>((r) => gone.close(() => r()));
  const sim = new TrafficSim({start: '-1h', mesh: 'istio', workloads: [{namespace: 'shop', name: 'web'}, {namespace: 'shop', name: 'cart', replicas: 2}], edges: [{from: 'shop/web', to: 'shop/cart', rps: 50}]}, systemClock);
  api = new FixtureApiServer({objects: simObjects(sim)});
  registerSimProxies(api, sim);
  await api.start();
  kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  await api?.stop();
});

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^meshdoctor: /);
  return lines[0];
}

describe('stat when Prometheus fails', () => {
  test.each([
    ['unreachable', () => closed, /cannot reach Prometheus .*connection refused/],
    ['slow', () => slow, /did not answer within 1s/],
    ['garbage', () => garbage, /not the Prometheus API/],
  ])('%s → one line, exit 3', async (_name, url, message) => {
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', url(), '--config', config]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(message);
  });

  test('bad flags are usage errors (exit 2)', async () => {
    for (const args of [['stat', '--no-cluster'], ['stat', '--at', 'yesterday', '--no-cluster', '--prometheus-url', closed], ['stat', '--metrics-source', 'proxies', '--at', '1700000000']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.stderr);
    }
  });

  test('check takes --sample like stat, and says which value is wrong', async () => {
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '--sample', 'soon']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('meshdoctor: --sample: "soon" is not a duration (examples: 30s, 1m, 2h)');
  });
});

describe('check when Prometheus fails', () => {
  test('metric checks skip with the reason, MD1003 reports it; --strict makes it exit 3', async () => {
    const args = ['check', '--kubeconfig', kubeconfig, '--prometheus-url', closed, '--only', 'MD1003,MD6001,MD6003', '-o', 'json'];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.checks.map((c: {id: string}) => [c.id, c]));
    expect(byId.MD6001).toMatchObject({status: 'skip', reason: expect.stringMatching(/metrics unavailable: cannot reach Prometheus/)});
    expect(byId.MD6003.status).toBe('skip');
    expect(byId.MD1003).toMatchObject({status: 'fail', findings: [{severity: 'warning', subject: null}]});
    expect((await runCli([...args, '--strict'])).code).toBe(3);
  });

  test('no Prometheus in the cluster: auto falls back to two proxy scrapes; MD1003 still says so', async () => {
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '--only', 'MD1003,MD6001', '-o', 'json', '--sample', '1s']);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.checks.map((c: {id: string}) => [c.id, c]));
    expect(byId.MD6001.status).toBe('pass');
    expect(byId.MD1003.findings[0].message).toMatch(/Prometheus not found/);
    expect(report.sources ?? report.checks).toBeDefined();
    expect(api.nonGetRequests()).toEqual([]);
  });
});
