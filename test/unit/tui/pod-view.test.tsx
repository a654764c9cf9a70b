/**
 * The pod view: keys (enter on a pod, 1/2/3 and Tab, `/` with n/N, f, scrolling that stops
 * following), what it shows (containers, a followed log with its matches, Envoy's view of an
 * upstream with its ejected endpoint, a Linkerd proxy's metrics and the plain word on tap), what
 * the engine is asked to read, and the frame at 80×24 and 120×40.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import type {KubeObject} from '../../../src/core/kube-types/index.js';
import {interpretKey, type KeyInfo} from '../../../src/tui/state/keymap.js';
import {LOG_LINES, podDetail, podWatches} from '../../../src/tui/state/pod.js';
import {podEntry} from '../../../src/tui/state/pod-view.js';
import {reduce} from '../../../src/tui/state/reducer.js';
import type {PodEntry, TuiState} from '../../../src/tui/state/types.js';
import {Screen} from '../../../src/tui/views/Screen.js';
import {lines, renderAt} from '../../helpers/ink.js';
import {pod, run, snapshotOf, stateWith, wl} from '../../helpers/tui.js';

afterEach(() => cleanup());

const objects: KubeObject[] = [
  pod('shop', 'frontend-1', {kind: 'ReplicaSet', name: 'frontend-abc'}),
  {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'frontend-abc', namespace: 'shop', ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend', uid: 'u', controller: true}]}, spec: {}} as KubeObject,
  {...pod('emojivoto', 'web-1', {kind: 'Deployment', name: 'web'}), metadata: {name: 'web-1', namespace: 'emojivoto', labels: {app: 'web'}, annotations: {'linkerd.io/proxy-version': 'edge-25.8.1'}},
    spec: {containers: [{name: 'web', image: 'web:1'}, {name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-25.8.1'}]}} as KubeObject,
];

function press(state: TuiState, input: string, key: KeyInfo = {}): TuiState {
  return interpretKey(state, input, key).actions.reduce(reduce, state);
}

function top(state: TuiState): PodEntry {
  return state.stack.at(-1) as PodEntry;
}

const logLines = Array.from({length: 300}, (_, i) => (i % 50 === 7 ? `[t${i}] "POST /api/checkout HTTP/1.1" 503 UF,URX upstream_reset` : `[t${i}] "GET /api/cart HTTP/1.1" 200 - via_upstream`));

function podState(size = {columns: 120, rows: 40}): TuiState {
  const base = stateWith({inventory: [wl('shop', 'frontend')]});
  const s = {...base, size, data: {...base.data, snapshot: snapshotOf(objects)}};
  return run(s,
    {type: 'navigate', entry: podEntry('shop', 'frontend-1', 'proxy-logs', 'checkout-canary.shop.svc.cluster.local')},
    {type: 'pod-log', key: 'shop/frontend-1', container: 'istio-proxy', lines: logLines, reset: true},
    {type: 'pod-log-state', key: 'shop/frontend-1', container: 'istio-proxy', following: true},
    {type: 'pod-proxy', key: 'shop/frontend-1', at: 1, envoy: {errors: [],
      clusters: [{name: 'outbound|80||checkout-canary.shop.svc.cluster.local', parts: {direction: 'outbound', port: 80, fqdn: 'checkout-canary.shop.svc.cluster.local'}, type: 'EDS', destinationRule: 'checkout-canary.shop', outlier: {consecutiveGatewayFailure: 5, baseEjectionTime: '30s'}, panicThreshold: 50}],
      endpoints: [{cluster: 'outbound|80||checkout-canary.shop.svc.cluster.local', address: '10.0.0.15', port: 8080, health: {eds: 'HEALTHY', outlier: true, activeCheck: false}, stats: {rq_total: 900, cx_connect_fail: 400}}],
      routes: [{routeConfig: '80', virtualHost: 'checkout.shop.svc.cluster.local:80', domains: ['checkout'], match: '/*', clusters: [{name: 'outbound|80||checkout-stable.shop.svc.cluster.local', weight: 75}, {name: 'outbound|80||checkout-canary.shop.svc.cluster.local', weight: 25}], virtualService: 'checkout.shop', name: 'canary-split', retries: 2}],
      listeners: [], stats: new Map([['cluster.outbound|80||checkout-canary.shop.svc.cluster.local.upstream_rq_retry_limit_exceeded', 37]])}},
  );
}

describe('pod view keys', () => {
  test('tabs: 1, 2, 3 and Tab; a new tab starts at the end of its log, following', () => {
    let s = podState();
    expect(top(s).tab).toBe('proxy-logs');
    s = press(s, '1');
    expect(top(s)).toMatchObject({tab: 'logs', follow: true});
    s = press(s, '', {tab: true});
    s = press(s, '', {tab: true});
    expect(top(s).tab).toBe('proxy');
  });

  test('scrolling up stops following; G follows again; f toggles', () => {
    let s = podState();
    s = press(s, 'k');
    expect(top(s).follow).toBe(false);
    s = press(s, 'G');
    expect(top(s).follow).toBe(true);
    s = press(s, 'f');
    expect(top(s).follow).toBe(false);
  });

  test('/ searches the log: enter jumps to the newest match, n and N go on; esc restores the previous search', () => {
    let s = press(podState(), '/');
    for (const c of 'UF,URX') s = press(s, c);
    expect(top(s).search).toBe('UF,URX');
    s = press(s, '', {return: true});
    expect(top(s)).toMatchObject({match: 257, follow: false});
    s = press(s, 'N');
    expect(top(s).match).toBe(207);
    s = press(s, 'n');
    expect(top(s).match).toBe(257);
    s = press(s, 'n');
    expect(top(s).match).toBe(7);
    s = press(press(s, '/'), 'x');
    s = press(s, '', {escape: true});
    expect(top(s).search).toBe('UF,URX');
    expect(podDetail(s, top(s)).lines.filter((l) => l.match)).toHaveLength(6);
  });

  test('a log keeps its newest lines only', () => {
    const s = run(podState(), {type: 'pod-log', key: 'shop/frontend-1', container: 'istio-proxy', lines: Array.from({length: LOG_LINES}, (_, i) => `x${i}`)});
    const buf = s.data.pods['shop/frontend-1'].logs['istio-proxy'];
    expect(buf.lines).toHaveLength(LOG_LINES);
    expect(buf.lines.at(-1)).toBe(`x${LOG_LINES - 1}`);
  });
});

describe('what the pod view shows and reads', () => {
  test('Envoy\'s view of the upstream it was opened for: the ejected endpoint, no healthy one, the route\'s weights, the stats', () => {
    const s = press(podState(), '3');
    const texts = podDetail(s, top(s)).lines.map((l) => l.text);
    expect(texts.slice(0, 4)).toEqual([
      'Upstream checkout-canary.shop.svc.cluster.local',
      '  cluster outbound|80||checkout-canary.shop.svc.cluster.local  (DestinationRule checkout-canary.shop)',
      '  0 of 1 endpoint(s) healthy · outlier detection: 5 consecutive gateway errors, ejection 30s · below 50% healthy Envoy routes to all endpoints anyway (panic)',
      '  10.0.0.15:8080         HEALTHY   EJECTED (outlier detection)   requests 900  errors 0  connect failures 400',
    ]);
    expect(texts).toContain('    75% checkout-stable.shop.svc.cluster.local, 25% checkout-canary.shop.svc.cluster.local · 2 retries');
    expect(texts.some((t) => /upstream_rq_retry_limit_exceeded +37/.test(t))).toBe(true);
  });

  test('the engine is asked for this pod\'s two logs and its proxy\'s view with the upstream\'s stats; nothing once it is left', () => {
    const s = podState();
    expect(podWatches(s)).toEqual([{namespace: 'shop', pod: 'frontend-1', mesh: 'istio', logs: ['app', 'istio-proxy'], proxy: true, hosts: ['checkout-canary.shop.svc.cluster.local']}]);
    expect(podWatches(run(s, {type: 'back'}))).toEqual([]);
  });

  test('Linkerd: the proxy\'s metrics by peer, and plainly why there is no tap sample', () => {
    const base = stateWith({});
    const s = run({...base, data: {...base.data, snapshot: snapshotOf(objects)}},
      {type: 'navigate', entry: podEntry('emojivoto', 'web-1', 'proxy')},
      {type: 'pod-proxy', key: 'emojivoto/web-1', at: 2000, linkerd: {at: 2000, windowSeconds: 2, version: 'edge-25.8.1',
        flows: [{direction: 'outbound', peer: 'emojivoto/voting', requests: 100, successes: 80, failures: {'500': 20}}],
        rates: [{direction: 'outbound', peer: 'emojivoto/voting', rps: 5, success: 0.8}]}});
    const texts = podDetail(s, top(s)).lines.map((l) => l.text);
    expect(texts[0]).toBe('Proxy metrics (linkerd-proxy edge-25.8.1) · rates over 2s');
    expect(texts[1]).toMatch(/^ {2}→ emojivoto\/voting +5\.0 rps {2}80\.00% {2}total 100 {2}failures: 500 ×20$/);
    expect(texts).toContain('Live requests (tap-style sample)');
    expect(texts.some((t) => t.includes('live tap (`linkerd viz tap`) needs a POST to the viz tap API'))).toBe(true);
    expect(texts.some((t) => t.includes('config.linkerd.io/access-log is not set'))).toBe(true);
  });
});

describe('the pod view\'s frame', () => {
  for (const size of [{columns: 80, rows: 24}, {columns: 120, rows: 40}]) {
    test(`${size.columns}×${size.rows}: one line shorter than the terminal, no line wider; the newest log lines while following`, () => {
      const r = renderAt(<Screen state={podState(size)} />, size);
      const ls = lines(r.frame());
      expect(ls.length).toBe(size.rows - 1);
      expect(Math.max(...ls.map((l) => [...l].length))).toBeLessThanOrEqual(size.columns);
      expect(r.frame()).toContain('2 proxy log');
      expect(r.frame()).toContain('following');
      expect(r.frame()).toContain('[t299]');
      expect(ls.at(-1)).toMatch(/1\/2\/3 tab/);
    });
  }
});
