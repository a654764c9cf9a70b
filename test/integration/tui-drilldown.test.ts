/**
 * Issue 17's path through the TUI, with the real engine against the istio-shop demo's world (fixture
 * API server, port-forward, pods/log), driven by the keys an on-call engineer presses: the canary's
 * row → its Workload view (the failing edge; the finding's context with the route's weights, the
 * caller and what its Envoy sees, the rollout before it) → `e` on the failing edge: the caller's
 * Envoy view of checkout-canary (no healthy endpoint, the outlier ejection, the route's weights) →
 * its proxy log with `/` on the failing requests → back, and `r`: the filled runbook. GET only.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {defaultConfig} from '../../src/cli/config.js';
import {resolveSettings} from '../../src/cli/settings.js';
import {loadScenario} from '../../src/sim/demo/scenario.js';
import {serveWorld, type ServedWorld} from '../../src/sim/demo/serve.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {LiveEngine} from '../../src/tui/engine.js';
import {interpretKey, type KeyInfo} from '../../src/tui/state/keymap.js';
import {podDetail, podWatches, watchesKey} from '../../src/tui/state/pod.js';
import {podPaneRows} from '../../src/tui/state/pod-view.js';
import {initialState} from '../../src/tui/state/reducer.js';
import {serviceRows} from '../../src/tui/state/services.js';
import {createStore} from '../../src/tui/state/store.js';
import type {PodEntry, TuiState} from '../../src/tui/state/types.js';
import {workloadDetail} from '../../src/tui/state/workload.js';

let served: ServedWorld;
let engine: LiveEngine;
const config = defaultConfig();
const store = createStore(initialState({refreshSeconds: 1, options: config.options, scope: 'meshed namespaces'}, {columns: 160, rows: 50}, Date.now()));
let lastWatches = '';

/** What the app does on every change: keep the engine reading the pods on screen. */
store.subscribe(() => {
  const w = podWatches(store.getState());
  const key = watchesKey(w);
  if (key !== lastWatches) {
    lastWatches = key;
    engine.watchPods(w);
  }
});

async function until(what: string, predicate: (s: TuiState) => boolean, timeoutMs = 30_000): Promise<TuiState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = store.getState();
    if (predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: sources ${JSON.stringify(s.sources)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function press(input: string, key: KeyInfo = {}): void {
  const r = interpretKey(store.getState(), input, key);
  for (const a of r.actions) store.dispatch(a);
}

function top(): PodEntry {
  const t = store.getState().stack.at(-1)!;
  if (t.view !== 'pod') throw new Error(`not a pod view: ${t.view}`);
  return t;
}

beforeAll(async () => {
  served = await serveWorld(await buildWorld(loadScenario('istio-shop')));
  engine = new LiveEngine({settings: resolveSettings({kubeconfig: served.kubeconfig, metricsSource: 'proxies'}, config), refreshSeconds: 1, dispatch: store.dispatch, onFatal: (e) => {
    throw e;
  }});
  engine.start();
});

afterAll(async () => {
  engine?.stop();
  await served?.stop();
});

describe('from the canary\'s row to the fix', () => {
  test('the failing edge, the finding\'s context, the caller\'s Envoy, its failing requests, the runbook', async () => {
    await until('the canary\'s findings', (s) => s.data.results.some((r) => r.check.id === 'MD6007' && r.findings.length > 0) && serviceRows(s).some((r) => r.workload === 'checkout-v2'), 90_000);
    // Services → the canary's row → enter.
    const rows = serviceRows(store.getState());
    const index = rows.findIndex((r) => r.workload === 'checkout-v2');
    press('g');
    for (let i = 0; i < index; i++) press('j');
    press('', {return: true});
    expect(store.getState().stack.at(-1)).toMatchObject({view: 'workload', namespace: 'shop', workload: 'checkout-v2'});

    // The Workload view: the edge that fails (UF,URX), and the finding's context once the caller's Envoy has been read.
    const withContext = await until('the finding\'s context with the caller\'s Envoy', (s) => workloadDetail(s, 'shop', 'checkout-v2').lines.some((l) => l.kind === 'text' && /; frontend-\S+'s Envoy sees 0 of 1 endpoint\(s\) healthy: 10\.\S+ HEALTHY, ejected by outlier detection$/.test(l.text)));
    const detail = workloadDetail(withContext, 'shop', 'checkout-v2');
    const texts = detail.lines.filter((l) => l.kind === 'text').map((l) => (l.kind === 'text' ? l.text : ''));
    expect(texts).toContain('↳ routed by VirtualService shop/checkout http[0] "canary-split": 75% checkout-stable, 25% checkout-canary ←');
    expect(texts.some((t) => /^↳ preceded by rollout: ReplicaSet checkout-v2-\S+ \(revision 1\) created, 2\dm ago$/.test(t))).toBe(true);
    const failingEdge = detail.lines.findIndex((l) => l.kind === 'edge' && l.edge.direction === 'in' && l.edge.flags.some((f) => f.flag.includes('UF')));
    expect(failingEdge).toBeGreaterThan(0);

    // `e` on the failing edge: the caller's Envoy view of checkout-canary.
    for (let i = 0; i < 50 && (store.getState().stack.at(-1) as {cursor: number}).cursor !== failingEdge; i++) press('j');
    press('e');
    expect(top()).toMatchObject({view: 'pod', namespace: 'shop', tab: 'proxy', focusHost: 'checkout-canary.shop.svc.cluster.local'});
    expect(top().pod).toMatch(/^frontend-/);
    // (The workload view already read its endpoints; the pod view adds routes, listeners and stats.)
    const envoy = await until('the caller\'s Envoy view', (s) => podDetail(s, top()).lines.some((l) => / EJECTED \(outlier detection\)/.test(l.text)) && podDetail(s, top()).lines.some((l) => l.text.startsWith('  route ')));
    const lines = podDetail(envoy, top()).lines.map((l) => l.text);
    expect(lines[0]).toBe('Upstream checkout-canary.shop.svc.cluster.local');
    expect(lines).toContain('  cluster outbound|80||checkout-canary.shop.svc.cluster.local  (DestinationRule checkout-canary.shop)');
    expect(lines.some((l) => l.startsWith('  0 of 1 endpoint(s) healthy · outlier detection: 5 consecutive gateway errors'))).toBe(true);
    expect(lines).toContain('    75% checkout-stable.shop.svc.cluster.local, 25% checkout-canary.shop.svc.cluster.local · 2 retries');
    expect(lines.some((l) => /^ {4}upstream_rq_retry_limit_exceeded +[1-9]/.test(l))).toBe(true);

    // Its proxy log, searched for the failing requests.
    press('2');
    await until('the proxy log', (s) => (podDetail(s, top()).lines.length > 100));
    press('/');
    for (const c of 'UF,URX') press(c);
    press('', {return: true});
    const searched = store.getState();
    const d = podDetail(searched, top());
    expect(d.container).toBe('istio-proxy');
    const shown = d.lines[top().match!];
    expect(shown.match).toBe(true);
    // On screen: between the first line shown and the pane's end.
    expect(top().match! - top().scroll).toBeGreaterThanOrEqual(0);
    expect(top().match! - top().scroll).toBeLessThan(podPaneRows(store.getState().size, d.containers.length));
    expect(shown.text).toMatch(/ 503 UF,URX .* outbound\|80\|\|checkout-canary\.shop\.svc\.cluster\.local .* canary-split$/);
    expect(top().follow).toBe(false);
    const first = top().match!;
    press('N');
    expect(top().match).not.toBe(first);
    expect(podDetail(store.getState(), top()).lines[top().match!].match).toBe(true);

    // Back to the workload, and its worst finding's runbook, filled from the real objects.
    press('', {escape: true});
    await until('runbooks loaded', (s) => s.data.runbooks.size > 50);
    press('r');
    const rb = store.getState().stack.at(-1)!;
    expect(rb.view).toBe('runbook');
    const w = store.getState().walkthroughs[(rb as {key: string}).key];
    expect(w.checkId).toBe('MD6001');
    expect(w.values).toMatchObject({selector: 'app=checkout,version=v2', route: 'virtualservices.networking.istio.io/checkout', context: 'meshdoctor-demo-istio-shop'});
    expect(w.values.callerPod).toMatch(/^frontend-/);
    expect(served.api.nonGetRequests()).toEqual([]);
  }, 180_000);

  test('leaving the pod view stops its reads: nothing is watched on the Services view', async () => {
    press('', {escape: true});
    press('', {escape: true});
    expect(store.getState().stack.at(-1)?.view).toBe('services');
    expect(podWatches(store.getState())).toEqual([]);
  });
});

describe('a Linkerd pod (linkerd-emojivoto)', () => {
  let world: ServedWorld;
  let linkerdEngine: LiveEngine;
  const lstore = createStore(initialState({refreshSeconds: 1, options: config.options, scope: 'meshed namespaces'}, {columns: 160, rows: 50}, Date.now()));

  beforeAll(async () => {
    world = await serveWorld(await buildWorld(loadScenario('linkerd-emojivoto')));
    linkerdEngine = new LiveEngine({settings: resolveSettings({kubeconfig: world.kubeconfig, metricsSource: 'proxies'}, config), refreshSeconds: 1, dispatch: lstore.dispatch, onFatal: (e) => {
      throw e;
    }});
    linkerdEngine.start();
  });
  afterAll(async () => {
    linkerdEngine?.stop();
    await world?.stop();
  });

  test('the proxy\'s metrics by peer with rates, and the tap-style sample from its access log; plainly none where the pod writes no access log', async () => {
    const until2 = async (what: string, predicate: (s: TuiState) => boolean) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (predicate(lstore.getState())) return lstore.getState();
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const s0 = await until2('the pods', (s) => (s.data.snapshot?.objects.list('pods', 'emojivoto').length ?? 0) > 0);
    const pods = s0.data.snapshot!.objects.list('pods', 'emojivoto');
    const voting = pods.find((p) => p.metadata.labels?.app === 'voting-svc')!.metadata.name;
    const web = pods.find((p) => p.metadata.labels?.app === 'web-svc')!.metadata.name;
    lstore.dispatch({type: 'navigate', entry: {view: 'pod', namespace: 'emojivoto', pod: voting, tab: 'proxy', scroll: 0, follow: false, search: ''}});
    linkerdEngine.watchPods(podWatches(lstore.getState()));
    const entry = lstore.getState().stack.at(-1) as PodEntry;
    const s = await until2('rates and a sample', (x) => {
      const ls = podDetail(x, entry).lines.map((l) => l.text);
      return ls.some((l) => /rates over \d+s/.test(l)) && ls.some((l) => l.startsWith('  {"client_addr"'));
    });
    const lines = podDetail(s, entry).lines.map((l) => l.text);
    expect(lines.some((l) => /^ {2}← emojivoto\/\S+ +\d+\.\d rps {2}\d+\.\d\d% /.test(l))).toBe(true);
    expect(lines).toContain('Live requests (tap-style sample)');
    expect(lines.filter((l) => l.startsWith('  {"client_addr"')).length).toBeLessThanOrEqual(20);
    // web's proxy writes no access log: the view says why there is no sample.
    lstore.dispatch({type: 'navigate', entry: {view: 'pod', namespace: 'emojivoto', pod: web, tab: 'proxy', scroll: 0, follow: false, search: ''}});
    linkerdEngine.watchPods(podWatches(lstore.getState()));
    const webEntry = lstore.getState().stack.at(-1) as PodEntry;
    const w = await until2('web\'s metrics', (x) => podDetail(x, webEntry).lines.some((l) => l.text.startsWith('Proxy metrics')));
    expect(podDetail(w, webEntry).lines.some((l) => l.text.includes('config.linkerd.io/access-log is not set'))).toBe(true);
    expect(world.api.nonGetRequests()).toEqual([]);
  }, 120_000);
});
