/**
 * Components at fixed terminal sizes (ink-testing-library through test/helpers/ink.ts): the frame is
 * never taller than the terminal, only visible rows render, columns adapt to the width, and below
 * 80×24 the notice replaces the layout.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {syntheticState} from '../../../src/tui/synthetic.js';
import {COLUMN_PRIORITY, flagsText, ServicesTable, serviceColumns, SPECS} from '../../../src/tui/components/ServicesTable.js';
import {Screen} from '../../../src/tui/views/Screen.js';
import {headerSegs} from '../../../src/tui/components/Header.js';
import {titleSegs} from '../../../src/tui/components/TitleBar.js';
import {hintSegs} from '../../../src/tui/components/Footer.js';
import {titleSegs as workloadTitle} from '../../../src/tui/views/WorkloadView.js';
import {workloadDetail} from '../../../src/tui/state/workload.js';
import {serviceRows} from '../../../src/tui/state/services.js';
import {lines, renderAt} from '../../helpers/ink.js';
import {run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

afterEach(() => cleanup());

describe('the whole screen', () => {
  // From a tmux quarter split to a wide monitor; 79×40 is a half split of a 160-column terminal.
  for (const size of [{columns: 60, rows: 15}, {columns: 79, rows: 40}, {columns: 80, rows: 24}, {columns: 120, rows: 40}, {columns: 220, rows: 60}]) {
    test(`${size.columns}×${size.rows}: one line shorter than the terminal, no line wider, only the rows that fit, the essential columns`, () => {
      const state = syntheticState(2000, size);
      const r = renderAt(<Screen state={state} />, size);
      const ls = lines(r.frame());
      expect(ls.length).toBe(size.rows - 1);
      expect(Math.max(...ls.map((l) => [...l].length))).toBeLessThanOrEqual(size.columns);
      // The header keeps the context, the metrics source, its age and the clock.
      expect(ls[0]).toMatch(/synthetic.*istio.*proxies (just now|\d+s ago).*12:00:24/);
      expect(ls[1]).toMatch(/Services.*breaching/);
      expect(ls[2]).toMatch(/WORKLOAD\s+.*SUCCESS\s+RPS\s+.*P99\s.*WORST FINDING/);
      // Header, title, table header, rows, legend, then two footer lines.
      const rows = ls.filter((l) => /^[▸ ] \S.*\d+\.\d% [cso] /.test(l));
      expect(rows.length).toBe(size.rows - 1 - 4 - 2);
      expect(ls.at(-3)).toMatch(/c .*callers.*s .*server.*o .*(sent|gateway)/);
      expect(ls.at(-1)).toMatch(/enter open.*\? help\s+q quit/);
    });
  }

  test('below 60×15 a clear notice instead of a broken layout', () => {
    const state = syntheticState(10, {columns: 50, rows: 12});
    const r = renderAt(<Screen state={state} />, {columns: 50, rows: 12});
    expect(r.frame()).toMatch(/^Terminal too small\nmeshdoctor needs at least 60×15;\s+this one is\s+50×12\./);
    expect(Math.max(...lines(r.frame()).map((l) => [...l].length))).toBeLessThanOrEqual(50);
    expect(lines(r.frame()).length).toBeLessThan(12);
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

  test('at 160 columns every column: p50/p95/p99, flags as shares, the worse success rate marked c or s, words instead of zeros', () => {
    const ls = frameAt(160);
    expect(ls[0]).toMatch(/NAMESPACE\s+WORKLOAD\s+PODS\s+SUCCESS\s+RPS\s+P50\s+P95\s+P99\s+FLAGS\s+TREND succ\s+WORST FINDING/);
    expect(ls[1]).toMatch(/^▸ shop\s+checkout-v2\s+2\/2\s+88\.0% c\s+20\.0\s+5\.0ms\s+20\.0ms\s+1\.90s/);
    expect(ls[2]).toMatch(/shop\s+cart\s+2\/2\s+99\.95% s\s+100\s+4\.1ms\s+9\.8ms\s+21\.0ms/);
    expect(ls.find((l) => l.includes('web') && l.includes('api'))).toMatch(/low traffic/);
    expect(ls.find((l) => l.includes('idle'))).toMatch(/no traffic\s+idle\s+-/);
    expect(ls.find((l) => l.includes('nodata'))).toMatch(/no data\s+-\s+-\s+-\s+-/);
  });

  test('response flags: their share of the requests, flags always seen together (UF,URX) as one', () => {
    expect(flagsText({UF: 7.2, URX: 7.2, UH: 0.3}, 60)).toBe('UF,URX 12% UH 0.5%');
    expect(flagsText({NR: 1}, 0)).toBe('NR 1.00/s');
    expect(flagsText({}, 60)).toBe('');
  });

  test('a gateway shows what it sent (o), a TCP-only workload its open connections: words, never 0', () => {
    const base = signals({'shop/frontend': {requests: 5400, p99: 240}}, 60, {edges: [
      {mesh: 'istio', srcNamespace: 'istio-ingress', srcWorkload: 'gw', dstNamespace: 'shop', dstWorkload: 'frontend', requests: 5400, successes: 5394, latencyMs: null, responseFlags: {}},
    ]});
    const withTcp = {...base, signals: {...base.signals, tcp: {rows: [{mesh: 'istio' as const, namespace: 'shop', workload: 'redis', openConnections: 4}], meshes: {istio: {state: 'ok' as const}}}, outboundLatency: {rows: [{mesh: 'istio' as const, namespace: 'istio-ingress', workload: 'gw', latencyMs: {p50: 38, p95: 180, p99: 250}}], meshes: {istio: {state: 'ok' as const}}}}};
    const s = stateWith({inventory: [wl('istio-ingress', 'gw'), wl('shop', 'frontend'), wl('shop', 'redis')], signals: withTcp});
    const ls = lines(renderAt(<ServicesTable rows={serviceRows(s)} selected={-1} scroll={0} height={10} width={160} sort={s.services.sort} trend="success" stale={false} empty="none" />, {columns: 160, rows: 24}).frame());
    expect(ls.find((l) => l.includes(' gw '))).toMatch(/99\.9% o\s+90\.0\s+38\.0ms\s+180ms\s+250ms/);
    expect(ls.find((l) => l.includes('redis'))).toMatch(/TCP only\s+4 conn\s+-\s+-\s+-/);
  });

  test('narrower terminals drop columns in the stated priority; the workload then says its namespace', () => {
    const at60 = frameAt(60);
    expect(at60[0]).toMatch(/^\s+WORKLOAD\s+SUCCESS\s+RPS\s+P99\s+WORST FINDING$/);
    expect(at60[1]).toMatch(/^▸ shop\/checkout-v2\s+88\.0% c\s+20\.0\s+1\.90s/);
    expect(frameAt(100)[0]).toMatch(/NAMESPACE\s+WORKLOAD\s+(PODS\s+)?SUCCESS\s+RPS\s+P99\s+FLAGS\s+/);
  });
});

describe('Services columns', () => {
  const content = {namespace: 14, workload: 21, qualified: 34, flags: 10};
  test('from 60 to 220 columns: exactly the width, the five essential columns always, every column in order of priority', () => {
    for (let width = 60; width <= 220; width++) {
      const cols = serviceColumns(width, content);
      expect(cols.reduce((n, c) => n + c.width + 1, 2), `${width}`).toBe(width);
      const keys = cols.map((c) => c.key);
      for (const k of ['workload', 'success', 'rps', 'p99', 'finding'] as const) expect(keys, `${width}`).toContain(k);
      // A column is left out while one below it in the priority is shown only when it needs more room than that one.
      const min = (k: string) => SPECS.find((c) => c.key === k)!.min;
      COLUMN_PRIORITY.forEach((hi, i) => {
        if (keys.includes(hi)) return;
        for (const lo of COLUMN_PRIORITY.slice(i + 1)) if (keys.includes(lo)) expect(min(hi), `${width}: ${hi} left out, ${lo} shown`).toBeGreaterThan(min(lo));
      });
      if (width >= 100) expect(keys).toContain('namespace');
    }
  });

  test('at 220 columns the width goes to the names and the finding, not to padding between numbers', () => {
    const cols = new Map(serviceColumns(220, content).map((c) => [c.key, c.width]));
    expect(cols.get('workload')).toBeGreaterThanOrEqual(content.workload);
    expect(cols.get('namespace')).toBeGreaterThanOrEqual(content.namespace);
    expect(cols.get('finding')).toBeGreaterThanOrEqual(60);
    expect(cols.get('trend')).toBe(16);
    expect(cols.get('success')).toBe(11);
  });
});

describe('the app', () => {
  test('a stale metrics source turns the age red and marks the data STALE, keeping it on screen', () => {
    const base = syntheticState(30, {columns: 120, rows: 40});
    const stale = run(base, {type: 'source-failed', source: 'metrics', at: base.now, reason: 'Prometheus did not answer within 10s', retryAt: base.now + 8000}, {type: 'tick', now: base.now + 4000});
    const r = renderAt(<Screen state={stale} />, {columns: 120, rows: 40});
    expect(r.frame()).toMatch(/metrics proxies 6s ago STALE/);
    expect(r.frame()).toMatch(/STALE \d+ breaching/);
    expect(r.frame()).toMatch(/metrics: Prometheus did not answer within 10s · retry in 4s/);
    expect(r.frame()).toMatch(/team-00/);
    expect(T0).toBeGreaterThan(0);
  });

  test('degraded watches show in the status line (a warning, the data stays fresh); healthy again, the note goes', () => {
    const base = syntheticState(30, {columns: 160, rows: 40});
    const degraded = run(base, {type: 'source-degraded', source: 'kubernetes', detail: 'watches degraded: 12 kinds re-listed every 30s (watch forbidden)'});
    const r = renderAt(<Screen state={degraded} />, {columns: 160, rows: 40});
    expect(r.frame()).toMatch(/cluster: watches degraded: 12 kinds re-listed every 30s \(watch forbidden\)/);
    expect(r.frame()).not.toMatch(/STALE/);
    const healthy = run(degraded, {type: 'source-degraded', source: 'kubernetes'});
    expect(renderAt(<Screen state={healthy} />, {columns: 160, rows: 40}).frame()).not.toMatch(/watches degraded/);
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

describe('header and status', () => {
  const freshness = {stale: false, connecting: false, off: false, ageMs: 3000};
  const props = {context: 'arn:aws:eks:eu-west-1:123456789012:cluster/payments-prod-blue', meshes: [{name: 'istio' as const, version: '1.27.1', namespace: 'istio-system', revisions: [], controlPlane: 'in-cluster' as const}], metricsSource: 'prometheus' as const, metrics: freshness, kube: freshness, refreshSeconds: 2, now: T0};

  test('a long context is shortened in the middle, never the metrics source, its age or the clock', () => {
    for (const width of [60, 79, 80, 120, 220]) {
      const text = headerSegs({...props, width}).map((x) => x.text).join('');
      expect([...text].length, `${width}`).toBe(width);
      expect(text, `${width}`).toMatch(/prometheus 3s ago/);
      expect(text, `${width}`).toMatch(/12:00:00/);
      expect(text, `${width}`).toMatch(/ a\S*blue /);
    }
    expect(headerSegs({...props, width: 220}).map((x) => x.text).join('')).toContain('ctx arn:aws:eks:eu-west-1:123456789012:cluster/payments-prod-blue');
    expect(headerSegs({...props, width: 80}).map((x) => x.text).join('')).toMatch(/ arn:\S*…\S*prod-blue  istio 1\.27\.1  prometheus 3s ago/);
    expect(headerSegs({...props, width: 140, at: T0 - 3_600_000}).map((x) => x.text).join('')).toMatch(/prometheus frozen  at 2024-05-01T11:00:00Z\s+12:00:00 UTC$/);
    expect(headerSegs({...props, width: 60, at: T0 - 3_600_000}).map((x) => x.text).join('')).toMatch(/ a\S*…\S*blue  istio  prometheus  at 05-01 11:00:00Z 12:00:00$/);
  });

  test('findings say "checking…" until the catalog has run once; the status line never says "now ago"', () => {
    const waiting = stateWith({inventory: [wl('shop', 'cart')], signals: signals({'shop/cart': {requests: 600}})});
    const r = renderAt(<Screen state={{...waiting, data: {...waiting.data, checksRunning: true}}} />, {columns: 120, rows: 30});
    expect(lines(r.frame())[1]).toMatch(/findings checking…/);
    expect(r.frame()).not.toMatch(/✖ 0/);
    const done = run(waiting, {type: 'checks-started'}, {type: 'checks-done', results: [], at: T0});
    const f = renderAt(<Screen state={done} />, {columns: 120, rows: 30}).frame();
    expect(lines(f)[1]).toMatch(/findings ✖ 0 ‼ 0 ℹ 0/);
    expect(f).toMatch(/checks just now/);
    expect(f).not.toMatch(/now ago/);
  });

  test('the title line keeps the summary by shortening older breadcrumbs; key hints keep help and quit', () => {
    const segs = titleSegs({width: 60, crumbs: ['Services', 'shop/checkout-v2', 'Runbook MD6001'], summaries: [[{text: '1 breaching of 10 · 2.2k rps · findings ✖ 3 ‼ 5 ℹ 1'}], [{text: '1 breaching · ✖ 3 ‼ 5 ℹ 1'}]]});
    const text = segs.map((x) => x.text).join('');
    expect([...text].length).toBe(60);
    expect(text).toMatch(/^ … › .*Runbook MD6001\s+1 breaching · ✖ 3 ‼ 5 ℹ 1 $/);
    const hints = hintSegs([['enter', 'open'], ['/', 'filter'], ['s/S', 'sort'], ['r', 'runbook'], ['c', 'checks'], [':', 'cmd'], ['?', 'help'], ['q', 'quit']], 40).map((x) => x.text).join('');
    expect([...hints].length).toBeLessThanOrEqual(40);
    expect(hints).toMatch(/enter open .* \? help\s+q quit $/);
  });

  test('the workload title keeps its name, success, RPS and p99 on a narrow terminal', () => {
    const state = stateWith({inventory: [wl('istio-ingress', 'istio-ingressgateway')], signals: signals({}, 60, {edges: [
      {mesh: 'istio', srcNamespace: 'istio-ingress', srcWorkload: 'istio-ingressgateway', dstNamespace: 'shop', dstWorkload: 'frontend', requests: 54000, successes: 54000, latencyMs: null, responseFlags: {}},
    ]})});
    const d = workloadDetail(state, 'istio-ingress', 'istio-ingressgateway');
    const narrow = workloadTitle(d, 60).map((x) => x.text).join('');
    expect([...narrow].length).toBe(60);
    expect(narrow).toMatch(/^ istio-in…tio-ingressgateway  success 100% o  900 rps  p99 -$/);
    expect(workloadTitle(d, 140).map((x) => x.text).join('')).toMatch(/^ Deployment istio-ingress\/istio-ingressgateway  istio  pods 2\/2  success 100% o \(what it sent\)  900 rps  p50 - p95 -  p99 -/);
  });
});

