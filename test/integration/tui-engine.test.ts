/**
 * The TUI engine against the fixture API server and simulated proxies: rows first, then numbers,
 * then findings; object changes arrive through watches; a metrics source that stops answering is
 * state (stale, with the reason, the data kept) and recovers by itself; nothing but GETs.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {defaultConfig} from '../../src/cli/config.js';
import {resolveSettings} from '../../src/cli/settings.js';
import {LiveEngine} from '../../src/tui/engine.js';
import {initialState} from '../../src/tui/state/reducer.js';
import {serviceRows} from '../../src/tui/state/services.js';
import {createStore} from '../../src/tui/state/store.js';
import type {TuiState} from '../../src/tui/state/types.js';
import {workloadDetail} from '../../src/tui/state/workload.js';
import {SHOP_GRAPH} from '../helpers/sim-graphs.js';

const sim = new TrafficSim({...SHOP_GRAPH, start: '-1h'}, systemClock);
let api: FixtureApiServer;
let kubeconfig: string;
let engine: LiveEngine;
const config = defaultConfig();
const store = createStore(initialState({refreshSeconds: 0.5, options: config.options, scope: 'meshed namespaces'}, {columns: 120, rows: 40}, Date.now()));

async function until(what: string, predicate: (s: TuiState) => boolean, timeoutMs = 60_000): Promise<TuiState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = store.getState();
    if (predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: sources ${JSON.stringify(s.sources)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  api = new FixtureApiServer({objects: simObjects(sim)});
  registerSimProxies(api, sim);
  await api.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-tui-')), 'config');
  api.writeKubeconfig(kubeconfig);
  engine = new LiveEngine({settings: resolveSettings({kubeconfig, metricsSource: 'proxies'}, config), refreshSeconds: 0.5, dispatch: store.dispatch, onFatal: (e) => {
    throw e;
  }});
  engine.start();
});

afterAll(async () => {
  engine?.stop();
  await api?.stop();
});

describe('the engine', () => {
  test('rows, then numbers from the proxies, then the catalog\'s results', async () => {
    const rows = await until('rows', (s) => s.data.inventory.length === 4);
    expect(rows.data.inventory.map((w) => w.workload).sort()).toEqual(['api', 'cart', 'frontend', 'gw']);
    const numbers = await until('numbers', (s) => serviceRows(s).some((r) => r.workload === 'cart' && r.rps !== null && r.rps > 0));
    expect(numbers.data.metricsSource).toBe('proxies');
    const cart = serviceRows(numbers).find((r) => r.workload === 'cart')!;
    expect(cart.rps).toBeGreaterThan(30);
    const checked = await until('check results', (s) => s.data.results.length > 50 && s.data.runbooks.size > 50);
    expect(checked.sources.checks.state).toBe('ok');
  });

  test('a new ReplicaSet arrives through the watch and shows as a rollout on the workload\'s timeline', async () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {name: 'cart-v9', namespace: 'shop', creationTimestamp: new Date().toISOString(), annotations: {'deployment.kubernetes.io/revision': '9'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', uid: 'uid-cart', controller: true}]},
      spec: {replicas: 0, selector: {matchLabels: {app: 'cart'}}},
    } as KubeObject;
    api.apply(rs);
    const s = await until('the rollout', (x) => workloadDetail(x, 'shop', 'cart').timeline.some((t) => t.text.includes('cart-v9 (revision 9)')));
    expect(workloadDetail(s, 'shop', 'cart').timeline.at(-1)).toMatchObject({kind: 'rollout'});
  });

  test('proxies that stop answering make the metrics stale with the reason, the numbers stay; it recovers by itself', async () => {
    api.configure({faults: [{match: '/proxy/', status: 503}]});
    const failing = await until('stale metrics', (s) => s.sources.metrics.state === 'stale');
    expect(failing.sources.metrics.reason).toMatch(/could not read any proxy/);
    expect(serviceRows(failing).find((r) => r.workload === 'cart')!.rps).toBeGreaterThan(30);
    api.configure({faults: []});
    const back = await until('recovered metrics', (s) => s.sources.metrics.state === 'ok', 60_000);
    expect(back.sources.metrics.failures).toBe(0);
  });

  test('a verify step re-runs one check on fresh data', async () => {
    const r = await engine.runCheck('MD6001');
    expect(['pass', 'fail', 'skip']).toContain(r.outcome);
    expect(r.check.id).toBe('MD6001');
  });

  test('read-only: the fixture API server saw nothing but GETs', () => {
    expect(api.nonGetRequests()).toEqual([]);
  });
});
