/**
 * Components at fixed terminal sizes (ink-testing-library through test/helpers/ink.ts): the frame is
 * never taller than the terminal, only visible rows render, columns adapt to the width, and below
 * 80×24 the notice replaces the layout.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {syntheticState} from '../../../src/tui/synthetic.js';
import {ServicesTable, serviceColumns} from '../../../src/tui/components/ServicesTable.js';
import {Screen} from '../../../src/tui/views/Screen.js';
import {serviceRows} from '../../../src/tui/state/services.js';
import {lines, renderAt} from '../../helpers/ink.js';
import {run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

afterEach(() => cleanup());

describe('the whole screen', () => {
  for (const size of [{columns: 80, rows: 24}, {columns: 120, rows: 40}, {columns: 200, rows: 60}]) {
    test(`${size.columns}×${size.rows}: one line shorter than the terminal, no line wider, only the rows that fit`, () => {
      const state = syntheticState(2000, size);
      const r = renderAt(<Screen state={state} />, size);
      const ls = lines(r.frame());
      expect(ls.length).toBe(size.rows - 1);
      expect(Math.max(...ls.map((l) => [...l].length))).toBeLessThanOrEqual(size.columns);
      expect(ls[0]).toMatch(/meshdoctor\s+ctx synthetic\s+istio 1\.27\.1\s+metrics prometheus/);
      expect(ls[1]).toMatch(/Services.*breaching of 2000/);
      // Header, title, table header, rows, then two footer lines.
      const rows = ls.filter((l) => /team-\d\d/.test(l));
      expect(rows.length).toBe(size.rows - 1 - 4 - 1);
      expect(ls.at(-1)).toMatch(/enter open/);
    });
  }

  test('below 80×24 a clear notice instead of a broken layout', () => {
    const state = syntheticState(10, {columns: 60, rows: 20});
    const r = renderAt(<Screen state={state} />, {columns: 60, rows: 20});
    expect(r.frame()).toMatch(/^Terminal too small\nmeshdoctor needs at least 80×24; this one is 60×20\./);
    expect(lines(r.frame()).length).toBeLessThan(20);
  });
});

describe('Services table', () => {
  const inventory = [wl('shop', 'cart'), wl('shop', 'checkout-v2'), wl('web', 'api'), wl('web', 'idle'), wl('web', 'nodata', {mesh: 'linkerd'})];
  const state = stateWith({inventory, signals: signals({
    'shop/cart': {requests: 6000, successes: 5997, p50: 4.1, p95: 9.8, p99: 21},
    'shop/checkout-v2': {requests: 1200, clientSuccesses: 1056, p99: 1900},
    'web/api': {requests: 12},
    'web/idle': {requests: 0},
  })});

  function frameAt(columns: number): string[] {
    const rows = serviceRows(state);
    return lines(renderAt(<ServicesTable rows={rows} selected={0} scroll={0} height={10} width={columns} sort={state.services.sort} trend="success" stale={false} empty="none" />, {columns, rows: 24}).frame());
  }

  test('at 120 columns: p50/p95/p99, the worse success rate marked c or s, words instead of zeros', () => {
    const ls = frameAt(120);
    expect(ls[0]).toMatch(/NAMESPACE\s+WORKLOAD\s+PODS\s+SUCCESS\s+RPS\s+P50\s+P95\s+P99\s+TREND succ\s+WORST FINDING/);
    expect(ls[1]).toMatch(/^▸ shop\s+checkout-v2\s+2\/2\s+88\.0% c\s+20\.0\s+5\.0ms\s+20\.0ms\s+1\.90s/);
    expect(ls[2]).toMatch(/shop\s+cart\s+2\/2\s+99\.95% s\s+100\s+4\.1ms\s+9\.8ms\s+21\.0ms/);
    expect(ls.find((l) => l.includes('web') && l.includes('api'))).toMatch(/low traffic/);
    expect(ls.find((l) => l.includes('idle'))).toMatch(/no traffic\s+idle\s+-/);
    expect(ls.find((l) => l.includes('nodata'))).toMatch(/no data\s+-\s+-\s+-\s+-/);
  });

  test('a gateway shows what it sent (o), a TCP-only workload its open connections: words, never 0', () => {
    const base = signals({'shop/frontend': {requests: 5400, p99: 240}}, 60, {edges: [
      {mesh: 'istio', srcNamespace: 'istio-ingress', srcWorkload: 'gw', dstNamespace: 'shop', dstWorkload: 'frontend', requests: 5400, successes: 5394, latencyMs: null, responseFlags: {}},
    ]});
    const withTcp = {...base, signals: {...base.signals, tcp: {rows: [{mesh: 'istio' as const, namespace: 'shop', workload: 'redis', openConnections: 4}], meshes: {istio: {state: 'ok' as const}}}, outboundLatency: {rows: [{mesh: 'istio' as const, namespace: 'istio-ingress', workload: 'gw', latencyMs: {p50: 38, p95: 180, p99: 250}}], meshes: {istio: {state: 'ok' as const}}}}};
    const s = stateWith({inventory: [wl('istio-ingress', 'gw'), wl('shop', 'frontend'), wl('shop', 'redis')], signals: withTcp});
    const ls = lines(renderAt(<ServicesTable rows={serviceRows(s)} selected={-1} scroll={0} height={10} width={120} sort={s.services.sort} trend="success" stale={false} empty="none" />, {columns: 120, rows: 24}).frame());
    expect(ls.find((l) => l.includes(' gw '))).toMatch(/99\.9% o\s+90\.0\s+38\.0ms\s+180ms\s+250ms/);
    expect(ls.find((l) => l.includes('redis'))).toMatch(/TCP only\s+4 conn\s+-\s+-\s+-/);
  });

  test('at 80 columns p50 and p95 make room', () => {
    const ls = frameAt(80);
    expect(ls[0]).not.toMatch(/P50|P95/);
    expect(ls[0]).toMatch(/P99/);
    expect(serviceColumns(80).reduce((n, c) => n + c.width + 1, 2)).toBe(80);
    expect(serviceColumns(120).reduce((n, c) => n + c.width + 1, 2)).toBe(120);
  });
});

describe('the app', () => {
  test('a stale metrics source turns the age red and marks the data STALE, keeping it on screen', () => {
    const base = syntheticState(30, {columns: 120, rows: 40});
    const stale = run(base, {type: 'source-failed', source: 'metrics', at: base.now, reason: 'Prometheus did not answer within 10s', retryAt: base.now + 8000}, {type: 'tick', now: base.now + 4000});
    const r = renderAt(<Screen state={stale} />, {columns: 120, rows: 40});
    expect(r.frame()).toMatch(/metrics prometheus 6s ago STALE/);
    expect(r.frame()).toMatch(/STALE \d+ breaching/);
    expect(r.frame()).toMatch(/metrics: Prometheus did not answer within 10s · retry in 4s/);
    expect(r.frame()).toMatch(/team-00/);
    expect(T0).toBeGreaterThan(0);
  });
});

describe('terminal safety', () => {
  test('escape sequences in cluster strings (an Event message, a name) cannot reach the terminal', () => {
    const evil = '\u001b[2J\u001b]52;c;cm0gLXJmIC8=\u0007';
    const state = stateWith({
      inventory: [wl('shop', 'cart')],
      objects: [
        {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'cart-1', namespace: 'shop', creationTimestamp: new Date(T0).toISOString(), ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', uid: 'u', controller: true}]}, spec: {}},
        {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e', namespace: 'shop'}, type: 'Warning', reason: 'Evil', message: `boom ${evil} done`, lastTimestamp: new Date(T0).toISOString(), involvedObject: {kind: 'ReplicaSet', name: 'cart-1'}},
      ] as never,
    });
    const s = run(state, {type: 'navigate', entry: {view: 'workload', namespace: 'shop', workload: 'cart', cursor: -1, scroll: 0}});
    const raw = renderAt(<Screen state={s} />, {columns: 120, rows: 40}).raw();
    expect(raw).toContain('Evil: boom \uFFFD[2J\uFFFD]52;c;cm0gLXJmIC8=\uFFFD done');
    expect(raw).not.toContain('\u001b]52');
    expect(raw).not.toContain('\u001b[2J');
  });
});
