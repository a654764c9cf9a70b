import {describe, expect, test} from 'vitest';
import {parseRunbook} from '../../../src/runbooks/parse.js';
import {currentView, HISTORY_POINTS, reduce} from '../../../src/tui/state/reducer.js';
import {namespaceRows, selectedIndex, serviceRows} from '../../../src/tui/state/services.js';
import {freshness} from '../../../src/tui/state/status.js';
import type {TuiState} from '../../../src/tui/state/types.js';
import {deployment, finding, result, run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

const RUNBOOK = parseRunbook(`---
check: MD6001
title: Success rate below the SLO
severity: warning
---

## Meaning

Requests to {{namespace}}/{{workload}} fail.

## Impact

Users see errors.

## Diagnosis

1. Look at the pods.

   \`\`\`sh
   kubectl -n {{namespace}} get pods
   \`\`\`

2. Check the metrics.

   \`\`\`meshdoctor
   metrics {{namespace}}/{{workload}}
   \`\`\`

## Mitigation

- Roll back.
`, 'runbooks/traffic-health/success-rate-below-slo.md');

const inventory = [wl('shop', 'cart'), wl('shop', 'checkout-v2'), wl('web', 'api')];
const bad = finding('MD6001', deployment('shop', 'checkout-v2'));

function base(): TuiState {
  return run(stateWith({
    inventory,
    signals: signals({'shop/cart': {requests: 600}, 'shop/checkout-v2': {requests: 600, successes: 500}, 'web/api': {requests: 900}}),
    results: [result('MD6001', 'fail', [bad])],
  }), {type: 'runbooks', runbooks: new Map([['MD6001', RUNBOOK]])});
}

describe('sources: failures are state, never exceptions', () => {
  test('connecting → ok → stale with reason, age and retry time → recovers by itself', () => {
    let s = stateWith({inventory});
    expect(freshness(s, 'metrics')).toMatchObject({connecting: true, stale: false});
    s = run(s, {type: 'source-failed', source: 'metrics', at: T0, reason: 'connection refused', retryAt: T0 + 2000});
    expect(s.sources.metrics).toMatchObject({state: 'connecting', reason: 'connection refused', failures: 1});
    s = run(s, {type: 'metrics', signals: signals({'shop/cart': {requests: 60}}), source: 'proxies', at: T0 + 3000}, {type: 'source-ok', source: 'metrics', at: T0 + 3000});
    expect(freshness(s, 'metrics')).toMatchObject({stale: false, connecting: false, ageMs: 0});
    s = run(s, {type: 'source-failed', source: 'metrics', at: T0 + 5000, reason: 'Prometheus did not answer', retryAt: T0 + 9000}, {type: 'tick', now: T0 + 6000});
    expect(freshness(s, 'metrics')).toMatchObject({stale: true, reason: 'Prometheus did not answer', ageMs: 3000, retryInMs: 3000});
    // The last data stays on screen while stale.
    expect(serviceRows(s).find((r) => r.key === 'shop/cart')!.rps).toBe(1);
    s = run(s, {type: 'source-ok', source: 'metrics', at: T0 + 9000}, {type: 'tick', now: T0 + 9000});
    expect(freshness(s, 'metrics')).toMatchObject({stale: false, ageMs: 0});
    expect(s.sources.metrics.failures).toBe(0);
  });

  test('data older than three refresh intervals (10 s at least) is stale even without a failure', () => {
    const s = run(stateWith({inventory, signals: signals({})}), {type: 'tick', now: T0 + 10_001});
    expect(freshness(s, 'metrics').stale).toBe(true);
    expect(freshness(run(s, {type: 'tick', now: T0 + 9_000}), 'metrics').stale).toBe(false);
  });

  test('frozen --at metrics never age', () => {
    const s = run(stateWith({inventory, signals: signals({}), config: {refreshSeconds: 2, options: base().config.options, scope: 'x', at: T0 - 3_600_000}}), {type: 'tick', now: T0 + 3_600_000});
    expect(freshness(s, 'metrics').stale).toBe(false);
  });
});

describe('metrics refreshes', () => {
  test('each refresh recomputes golden metrics and appends one history point per workload, capped', () => {
    let s = stateWith({inventory});
    for (let i = 0; i < HISTORY_POINTS + 5; i++) s = run(s, {type: 'metrics', signals: signals({'shop/cart': {requests: 600, successes: 600 - i}}), source: 'proxies', at: T0 + i * 2000});
    const h = s.data.history['shop/cart'].points();
    expect(h).toHaveLength(HISTORY_POINTS);
    expect(h.at(-1)).toMatchObject({t: T0 + (HISTORY_POINTS + 4) * 2000, rps: 10});
    expect(h.at(-1)!.successRate).toBeCloseTo((600 - HISTORY_POINTS - 4) / 600, 9);
  });

  test('with the proxies each refresh appends the row\'s own figures: the chart\'s last point is what the row prints', () => {
    let s = stateWith({inventory});
    for (const [i, clientSuccesses] of [600, 540, 480].entries()) s = run(s, {type: 'metrics', signals: signals({'shop/cart': {requests: 600, clientSuccesses, p99: 100 * (i + 1)}}, 60, {source: 'proxies'}), source: 'proxies', at: T0 + i * 2000});
    const row = serviceRows(s).find((r) => r.key === 'shop/cart')!;
    const last = s.data.history['shop/cart'].last()!;
    expect([last.successRate, last.rps, last.p99]).toEqual([row.success, row.rps, row.p99]);
    expect(s.data.history['shop/cart'].points().map((p) => p.successRate)).toEqual([1, 0.9, 0.8]);
  });

  test('below the traffic guard a history point keeps its RPS but no success rate or p99 (noise, not a dip)', () => {
    const s = run(stateWith({inventory}), {type: 'metrics', signals: signals({'shop/cart': {requests: 5, successes: 2, p99: 900}}, 0.3, {source: 'proxies'}), source: 'proxies', at: T0});
    expect(s.data.history['shop/cart'].points()).toEqual([{t: T0, rps: 5 / 0.3, successRate: null, p99: null}]);
  });

  test('history from Prometheus is each step\'s signals through the same golden metrics as the row: the worse of client and server side, RPS, p99', () => {
    const step = (t: number, clientSuccesses: number, p99: number) => ({...signals({'shop/cart': {requests: 600, clientSuccesses, p99}}), at: new Date(t).toISOString()});
    let s = run(stateWith({inventory}), {type: 'metrics', signals: signals({'shop/cart': {requests: 600, clientSuccesses: 480, p99: 2100}}), source: 'prometheus', at: T0 + 60_000});
    s = run(s, {type: 'history', from: T0, to: T0 + 60_000, sets: [step(T0, 600, 100), step(T0 + 30_000, 540, 900), step(T0 + 60_000, 480, 2100)]});
    const points = s.data.history['shop/cart'].points();
    expect(points.map((p) => [p.t, p.rps, p.successRate, p.p99])).toEqual([[T0, 10, 1, 100], [T0 + 30_000, 10, 0.9, 900], [T0 + 60_000, 10, 0.8, 2100]]);
    const row = serviceRows(s).find((r) => r.key === 'shop/cart')!;
    expect([row.success, row.rps, row.p99]).toEqual([points.at(-1)!.successRate, points.at(-1)!.rps, points.at(-1)!.p99]);
  });

  test('with Prometheus each refresh moves one live point to now; a later load takes over its span and keeps what is newer', () => {
    const step = (t: number) => ({...signals({'shop/cart': {requests: 600}}), at: new Date(t).toISOString()});
    let s = run(stateWith({inventory}), {type: 'history', from: T0, to: T0 + 15_000, sets: [step(T0), step(T0 + 15_000)]});
    for (const dt of [17_000, 19_000, 21_000, 31_000]) s = run(s, {type: 'metrics', signals: signals({'shop/cart': {requests: 600}}), source: 'prometheus', at: T0 + dt});
    expect(s.data.history['shop/cart'].points().map((p) => [p.t, p.live ?? false])).toEqual([[T0, false], [T0 + 15_000, false], [T0 + 31_000, true]]);
    s = run(s, {type: 'history', from: T0 + 30_000, to: T0 + 30_000, sets: [step(T0 + 30_000)]});
    expect(s.data.history['shop/cart'].points().map((p) => p.t)).toEqual([T0, T0 + 15_000, T0 + 30_000, T0 + 31_000]);
    s = run(s, {type: 'history', from: T0 + 45_000, to: T0 + 45_000, sets: [step(T0 + 45_000)]});
    expect(s.data.history['shop/cart'].points().map((p) => p.t)).toEqual([T0, T0 + 15_000, T0 + 30_000, T0 + 45_000]);
  });
});

describe('navigation', () => {
  test('the selection follows the workload when rows re-sort; before any move it is the worst row', () => {
    let s = base();
    expect(serviceRows(s)[selectedIndex(s)].key).toBe('shop/checkout-v2');
    s = run(s, {type: 'move', by: 1});
    const chosen = serviceRows(s)[selectedIndex(s)].key;
    s = run(s, {type: 'metrics', signals: signals({'shop/cart': {requests: 600, successes: 300}, 'shop/checkout-v2': {requests: 600}, 'web/api': {requests: 900}}), source: 'prometheus', at: T0 + 2000});
    expect(serviceRows(s)[selectedIndex(s)].key).toBe(chosen);
    expect(run(s, {type: 'move', by: 'top'}).services.selected).toBe(serviceRows(s)[0].key);
    expect(run(s, {type: 'move', by: 'bottom'}).services.selected).toBe(serviceRows(s).at(-1)!.key);
  });

  test('enter drills into the workload, esc goes back along the breadcrumbs', () => {
    const s = run(base(), {type: 'open'});
    expect(currentView(s)).toMatchObject({view: 'workload', namespace: 'shop', workload: 'checkout-v2'});
    const checks = run(s, {type: 'navigate', entry: {view: 'checks', cursor: -1, scroll: 0}});
    expect(checks.stack.map((e) => e.view)).toEqual(['services', 'workload', 'checks']);
    expect(run(checks, {type: 'back'}, {type: 'back'}).stack.map((e) => e.view)).toEqual(['services']);
  });

  test('esc on Services clears the filter, then the namespace', () => {
    let s = run(base(), {type: 'mode', mode: {kind: 'filter', text: '', previous: ''}}, {type: 'type', chars: 'cart'}, {type: 'submit'});
    s = run(s, {type: 'mode', mode: {kind: 'command', text: 'ns shop'}}, {type: 'submit'});
    expect([s.services.filter, s.namespace]).toEqual(['cart', 'shop']);
    s = run(s, {type: 'back'});
    expect([s.services.filter, s.namespace]).toEqual(['', 'shop']);
    expect(run(s, {type: 'back'}).namespace).toBeNull();
  });

  test('esc while typing a filter restores the previous one; erasing past the start leaves the mode', () => {
    let s = run(base(), {type: 'mode', mode: {kind: 'filter', text: '', previous: ''}}, {type: 'type', chars: 'api'}, {type: 'submit'});
    s = run(s, {type: 'mode', mode: {kind: 'filter', text: '', previous: 'api'}}, {type: 'type', chars: 'xyz'});
    expect(serviceRows(s)).toHaveLength(0);
    s = run(s, {type: 'mode', mode: {kind: 'normal'}});
    expect(s.services.filter).toBe('api');
    const erased = run(base(), {type: 'mode', mode: {kind: 'command', text: ''}}, {type: 'type', chars: 'c'}, {type: 'erase'}, {type: 'erase'});
    expect(erased.mode.kind).toBe('normal');
  });

  test('command mode: views, namespace, quit, unknown commands, Tab completion', () => {
    const cmd = (text: string, s = base()) => run(s, {type: 'mode', mode: {kind: 'command', text}}, {type: 'submit'});
    expect(currentView(cmd('checks')).view).toBe('checks');
    expect(currentView(cmd('help')).view).toBe('help');
    expect(cmd('svc', cmd('checks')).stack).toEqual([{view: 'services'}]);
    expect(cmd('q').quitting).toBe(true);
    expect(cmd('frobnicate').flash).toMatchObject({level: 'error', text: expect.stringContaining('unknown command')});
    expect(cmd('ns nowhere').flash?.level).toBe('warn');
    expect(cmd('ctx').flash?.text).toBe('context test: the kubeconfig names no other');
    const tab = (text: string) => run(base(), {type: 'mode', mode: {kind: 'command', text}}, {type: 'complete'}).mode;
    expect(tab('che')).toEqual({kind: 'command', text: 'checks'});
    expect(tab('ns we')).toEqual({kind: 'command', text: 'ns web'});
    expect(tab('ns ')).toEqual({kind: 'command', text: 'ns '});
    expect(tab('n')).toEqual({kind: 'command', text: 'n'});
  });
});

describe('k9s habits', () => {
  const cmd = (text: string, s: TuiState) => run(s, {type: 'mode', mode: {kind: 'command', text}}, {type: 'submit'});
  const mixed = () => stateWith({
    inventory: [wl('shop', 'cart'), wl('shop', 'redis', {kind: 'StatefulSet'}), wl('web', 'api')],
    signals: signals({'shop/cart': {requests: 600}, 'shop/redis': {requests: 60}, 'web/api': {requests: 900}}),
  });

  test(':deploy, :sts and :ds list only that kind; :svc every kind again; esc clears the kind too', () => {
    const sts = cmd('sts', mixed());
    expect(serviceRows(sts).map((r) => r.key)).toEqual(['shop/redis']);
    expect(serviceRows(cmd('deploy', mixed())).map((r) => r.key).sort()).toEqual(['shop/cart', 'web/api']);
    expect(serviceRows(cmd('svc', sts))).toHaveLength(3);
    expect(serviceRows(run(sts, {type: 'back'}))).toHaveLength(3);
  });

  test(':pods opens the selected workload at its pods; :ns alone is a picker listing every namespace with workloads', () => {
    const pods = cmd('pods', base());
    expect(currentView(pods)).toMatchObject({view: 'workload', namespace: 'shop', workload: 'checkout-v2'});
    const picker = cmd('ns', base());
    expect(currentView(picker)).toEqual({view: 'namespaces', cursor: 0, scroll: 0});
    expect(namespaceRows(picker).map((r) => [r.namespace, r.workloads])).toEqual([[null, 3], ['shop', 2], ['web', 1]]);
    const chosen = run(picker, {type: 'move', by: 2}, {type: 'open'});
    expect([chosen.namespace, currentView(chosen).view]).toEqual(['web', 'services']);
    expect(currentView(run(cmd('ns', chosen), {type: 'back'})).view).toBe('services');
  });

  test('a filter matches the Services that select a workload\'s pods', () => {
    const s = run(stateWith({inventory: [wl('shop', 'checkout-v2', {services: ['shop/checkout', 'shop/checkout-canary']}), wl('shop', 'checkout-v1', {services: ['shop/checkout', 'shop/checkout-stable']})], signals: signals({})}),
      {type: 'mode', mode: {kind: 'filter', text: '', previous: ''}}, {type: 'type', chars: 'checkout-canary'}, {type: 'submit'});
    expect(serviceRows(s).map((r) => r.key)).toEqual(['shop/checkout-v2']);
  });
});

describe('runbook walkthroughs', () => {
  test('r on a finding opens its runbook filled in; the walkthrough is kept when reopened', () => {
    let s = run(base(), {type: 'open-runbook', finding: bad, at: T0});
    const top = currentView(s);
    expect(top).toMatchObject({view: 'runbook', key: 'MD6001 Deployment shop/checkout-v2'});
    const key = (top as {key: string}).key;
    const w = s.walkthroughs[key];
    expect(w.target).toBe('Deployment shop/checkout-v2');
    expect(w.steps[0].filledCommands).toEqual(['kubectl -n shop get pods']);
    expect(w.steps[1].filledVerifies[0]).toMatchObject({kind: 'metrics', target: 'shop/checkout-v2'});
    s = run(s, {type: 'walkthrough', key, action: {type: 'toggle-done', at: new Date(T0).toISOString()}});
    s = run(s, {type: 'verify-started', key, stepId: 'diagnosis-2', index: 0});
    expect(Object.keys(s.verifying)).toEqual([`${key}|diagnosis-2|0`]);
    s = run(s, {type: 'walkthrough', key, action: {type: 'verify-result', stepId: 'diagnosis-2', index: 0, result: {status: 'fail', value: 'success 83.3%', at: new Date(T0).toISOString()}}});
    expect(s.verifying).toEqual({});
    s = run(s, {type: 'back'}, {type: 'open-runbook', finding: bad, at: T0 + 60_000});
    const again = s.walkthroughs[key];
    expect(again.states['diagnosis-1'].status).toBe('done');
    expect(again.states['diagnosis-2'].verifies[0]).toMatchObject({status: 'fail'});
    expect(again.current).toBe(1);
  });

  test('moving in the runbook view moves between steps', () => {
    let s = run(base(), {type: 'open-runbook', finding: bad, at: T0});
    const key = (currentView(s) as {key: string}).key;
    s = run(s, {type: 'move', by: 1});
    expect(s.walkthroughs[key].current).toBe(1);
    s = run(s, {type: 'move', by: 'bottom'});
    expect(s.walkthroughs[key].current).toBe(2);
    expect(run(s, {type: 'move', by: 'top'}).walkthroughs[key].current).toBe(0);
  });

  test('a finding without a runbook is a message, not a crash', () => {
    const s = run(base(), {type: 'open-runbook', finding: finding('MD4102', null), at: T0});
    expect(currentView(s).view).toBe('services');
    expect(s.flash).toMatchObject({level: 'warn', text: 'no runbook for MD4102'});
  });

  test('flashes expire with the clock', () => {
    const s = run(base(), {type: 'flash', text: 'hello', at: T0});
    expect(run(s, {type: 'tick', now: T0 + 1000}).flash?.text).toBe('hello');
    expect(run(s, {type: 'tick', now: T0 + 10_000}).flash).toBeUndefined();
  });
});

test('the reducer never mutates the state it is given', () => {
  const s = base();
  const frozen = JSON.stringify({stack: s.stack, services: s.services, walkthroughs: s.walkthroughs});
  for (const a of [{type: 'open'}, {type: 'move', by: 1}, {type: 'sort-next'}, {type: 'trend-toggle'}, {type: 'open-runbook', finding: bad, at: T0}] as const) reduce(s, a);
  expect(JSON.stringify({stack: s.stack, services: s.services, walkthroughs: s.walkthroughs})).toBe(frozen);
});
