import {describe, expect, test} from 'vitest';
import {serviceRows, servicesSummary} from '../../../src/tui/state/services.js';
import {deployment, finding, pod, result, run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

const inventory = [wl('shop', 'cart'), wl('shop', 'checkout-v2'), wl('shop', 'frontend'), wl('web', 'api'), wl('web', 'quiet'), wl('web', 'unknown', {mesh: 'linkerd'})];
const traffic = signals({
  'shop/cart': {requests: 6000, successes: 5940, p99: 80}, // 99.0% server: at the warning line, not below
  'shop/checkout-v2': {requests: 1200, successes: 1200, clientRequests: 1200, clientSuccesses: 1056, flags: {UF: 144, URX: 144}, p99: 900}, // 88% client side
  'shop/frontend': {requests: 6000, successes: 6000, p99: 2500}, // latency breach (≥ 1000 ms warning)
  'web/api': {requests: 20, successes: 10}, // 20 requests in 60 s: below the guard
  'web/quiet': {requests: 0, successes: 0},
});

function row(rows: ReturnType<typeof serviceRows>, key: string) {
  const r = rows.find((x) => x.key === key);
  expect(r, key).toBeDefined();
  return r!;
}

describe('Services rows', () => {
  const state = stateWith({inventory, signals: traffic});
  const rows = serviceRows(state);

  test('success rate is the worse of server and client side, marked which', () => {
    expect(row(rows, 'shop/checkout-v2')).toMatchObject({success: 0.88, side: 'client', successHealth: 'error', health: 'error'});
    expect(row(rows, 'shop/cart')).toMatchObject({success: 0.99, side: 'server', successHealth: 'ok'});
  });

  test('below the traffic guard it is low traffic, without traffic idle, without metrics no data — never 0 %', () => {
    expect(row(rows, 'web/api')).toMatchObject({successHealth: 'low', health: 'low', success: 0.5});
    expect(row(rows, 'web/quiet')).toMatchObject({successHealth: 'idle', rps: 0, success: null});
    expect(row(rows, 'web/unknown')).toMatchObject({successHealth: 'no-data', rps: null, success: null, p99: null});
  });

  test('p99 above the latency SLO is a breach too', () => {
    expect(row(rows, 'shop/frontend')).toMatchObject({latencyHealth: 'warning', health: 'warning', successHealth: 'ok'});
  });

  test('worst first: SLO breach, then error rate, then latency; low traffic, idle and no data last', () => {
    expect(rows.map((r) => r.key)).toEqual(['shop/checkout-v2', 'shop/frontend', 'shop/cart', 'web/api', 'web/quiet', 'web/unknown']);
  });

  test('sortable by any column, and reversible; rows without data stay last', () => {
    const byRps = serviceRows(run(state, {type: 'mode', mode: {kind: 'command', text: 'sort rps'}}, {type: 'submit'}));
    expect(byRps.map((r) => r.key)).toEqual(['shop/cart', 'shop/frontend', 'shop/checkout-v2', 'web/api', 'web/quiet', 'web/unknown']);
    const byP99 = run(state, {type: 'mode', mode: {kind: 'command', text: 'sort p99'}}, {type: 'submit'});
    expect(serviceRows(byP99)[0].key).toBe('shop/frontend');
    expect(serviceRows(byP99).at(-1)!.key).toBe('web/unknown');
    const reversed = serviceRows(run(byP99, {type: 'sort-reverse'}));
    expect(reversed[0].key).toBe('web/unknown');
    const byName = serviceRows(run(state, {type: 'sort-next'}));
    expect(byName.map((r) => r.key)).toEqual([...inventory].map((w) => `${w.namespace}/${w.workload}`).sort());
  });

  test('/ filters with a regular expression, ! inverts, an invalid pattern matches as text', () => {
    const filtered = (text: string) => serviceRows(run(state, {type: 'mode', mode: {kind: 'filter', text: '', previous: ''}}, {type: 'type', chars: text})).map((r) => r.key);
    expect(filtered('^web/')).toEqual(['web/api', 'web/quiet', 'web/unknown']);
    expect(filtered('!^web/')).toEqual(['shop/checkout-v2', 'shop/frontend', 'shop/cart']);
    expect(filtered('cart|api')).toEqual(['shop/cart', 'web/api']);
    expect(filtered('checkout-v2(')).toEqual([]);
    expect(filtered('[')).toEqual([]);
  });

  test(':ns narrows to one namespace; :ns all widens again', () => {
    const ns = run(state, {type: 'mode', mode: {kind: 'command', text: 'ns web'}}, {type: 'submit'});
    expect(serviceRows(ns).map((r) => r.namespace)).toEqual(['web', 'web', 'web']);
    expect(serviceRows(run(ns, {type: 'mode', mode: {kind: 'command', text: 'ns all'}}, {type: 'submit'}))).toHaveLength(6);
  });

  test('summary: breaching workloads, total RPS, findings by severity', () => {
    const withFindings = run(state, {type: 'checks-done', at: T0, results: [result('MD6001', 'fail', [finding('MD6001', deployment('shop', 'checkout-v2')), finding('MD6001', deployment('shop', 'cart'), 'warning')]), result('MD5117', 'fail', [finding('MD5117', null, 'info')])]});
    const s = servicesSummary(withFindings);
    expect(s).toMatchObject({workloads: 6, breaching: 2, findings: {error: 1, warning: 1, info: 1}});
    expect(s.rps).toBeCloseTo((6000 + 1200 + 6000 + 20) / 60, 6);
  });
});

describe('worst finding per workload', () => {
  test('found through the workload, its pods, its ReplicaSet and the Services in front of it, worst severity first', () => {
    const objects = [
      pod('shop', 'cart-7d9f-abcde', {kind: 'ReplicaSet', name: 'cart-7d9f'}),
      {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'cart-7d9f', namespace: 'shop', ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', uid: 'u', controller: true}]}, spec: {}},
    ];
    const svc = {kind: 'Service', apiVersion: 'v1', namespace: 'shop', name: 'checkout-canary'};
    const results = [
      result('MD3002', 'fail', [finding('MD3002', {kind: 'Pod', apiVersion: 'v1', namespace: 'shop', name: 'cart-7d9f-abcde'}, 'warning')]),
      result('MD6007', 'fail', [finding('MD6007', svc, 'error')]),
      result('MD2102', 'fail', [finding('MD2102', deployment('shop', 'cart'), 'info')]),
    ];
    const state = stateWith({inventory: [wl('shop', 'cart'), wl('shop', 'checkout-v2', {services: ['shop/checkout', 'shop/checkout-canary']}), wl('shop', 'checkout-v1', {services: ['shop/checkout']})], results, objects: objects as never});
    const rows = serviceRows(state);
    expect(row(rows, 'shop/cart')).toMatchObject({findings: 2, finding: {checkId: 'MD3002', severity: 'warning'}});
    expect(row(rows, 'shop/checkout-v2')).toMatchObject({findings: 1, finding: {checkId: 'MD6007'}});
    expect(row(rows, 'shop/checkout-v1').finding).toBeUndefined();
  });
});
