import {describe, expect, test} from 'vitest';
import type {KubeObject} from '../../../src/core/kube-types/index.js';
import {checksLines} from '../../../src/tui/state/checks.js';
import {placeholderValues} from '../../../src/tui/state/findings.js';
import {workloadDetail, workloadEdges} from '../../../src/tui/state/workload.js';
import {deployment, finding, pod, result, run, signals, snapshotOf, stateWith, T0, wl} from '../../helpers/tui.js';

describe('Checks view lines', () => {
  const results = [
    result('MD6001', 'fail', [finding('MD6001', deployment('shop', 'cart'), 'error', 'success 88%')]),
    result('MD6003', 'skip', [], 'metrics unavailable: Prometheus not found'),
    result('MD1003', 'pass', [], undefined, 'cluster'),
    result('MD2201', 'not-applicable', [], 'Linkerd not detected', 'control-plane'),
    result('MD6004', 'crash', [], 'check crashed: boom'),
  ];
  const state = stateWith({results});

  test('by block in catalog order, with outcomes, reasons and the findings of failing checks', () => {
    const lines = checksLines(state);
    expect(lines.map((l) => (l.kind === 'block' ? `# ${l.block}` : l.kind === 'check' ? `${l.result.check.id} ${l.result.outcome}` : `  ${l.finding.message}`))).toEqual([
      '# cluster', 'MD1003 pass',
      '# control-plane', 'MD2201 not-applicable',
      '# traffic-health', 'MD6001 fail', '  success 88%', 'MD6003 skip', 'MD6004 crash',
    ]);
    expect(lines.find((l) => l.kind === 'block' && l.block === 'traffic-health')).toMatchObject({counts: {fail: 1, skip: 1, crash: 1}});
  });

  test('the filter keeps a check when it or one of its findings matches; ! inverts', () => {
    const filtered = (text: string) => checksLines(run(state, {type: 'navigate', entry: {view: 'checks', cursor: -1, scroll: 0}}, {type: 'mode', mode: {kind: 'filter', text: '', previous: ''}}, {type: 'type', chars: text}))
      .filter((l) => l.kind !== 'block').map((l) => (l.kind === 'check' ? l.result.check.id : 'finding'));
    expect(filtered('shop/cart')).toEqual(['MD6001', 'finding']);
    expect(filtered('Prometheus')).toEqual(['MD6003']);
    expect(filtered('!pass|n/a|not-applicable|fail')).toEqual(['MD6003', 'MD6004']);
  });
});

describe('Workload view model', () => {
  const objects: KubeObject[] = [
    pod('shop', 'checkout-v2-abc-1', {kind: 'ReplicaSet', name: 'checkout-v2-abc'}),
    {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'checkout-v2-abc', namespace: 'shop', creationTimestamp: new Date(T0 - 25 * 60_000).toISOString(), annotations: {'deployment.kubernetes.io/revision': '7'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-v2', uid: 'u', controller: true}]}, spec: {}} as KubeObject,
    {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e1', namespace: 'shop'}, type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: 503\nmore', count: 4, lastTimestamp: new Date(T0 - 60_000).toISOString(), involvedObject: {kind: 'Pod', name: 'checkout-v2-abc-1'}} as KubeObject,
    {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e2', namespace: 'shop'}, type: 'Normal', reason: 'Pulled', lastTimestamp: new Date(T0).toISOString(), involvedObject: {kind: 'Pod', name: 'checkout-v2-abc-1'}} as KubeObject,
    {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e3', namespace: 'shop'}, type: 'Warning', reason: 'Other', lastTimestamp: new Date(T0).toISOString(), involvedObject: {kind: 'Pod', name: 'cart-1'}} as KubeObject,
  ];
  const edges = [
    {mesh: 'istio' as const, srcNamespace: 'shop', srcWorkload: 'frontend', dstNamespace: 'shop', dstWorkload: 'checkout-v2', dstService: 'checkout-canary', requests: 900, successes: 900, latencyMs: {p50: 5, p95: 9, p99: 20}},
    {mesh: 'istio' as const, srcNamespace: 'shop', srcWorkload: 'frontend', dstNamespace: 'shop', dstService: 'checkout-canary', requests: 120, successes: 0, latencyMs: null, responseFlags: {UF: 120, URX: 120}},
    {mesh: 'istio' as const, srcNamespace: 'shop', srcWorkload: 'checkout-v2', dstNamespace: 'payments', dstWorkload: 'ledger', requests: 600, successes: 600, latencyMs: null},
    {mesh: 'istio' as const, srcNamespace: 'shop', srcWorkload: 'frontend', dstNamespace: 'shop', dstWorkload: 'cart', requests: 60, successes: 60, latencyMs: null},
  ];
  const state = stateWith({
    inventory: [wl('shop', 'checkout-v2', {services: ['shop/checkout', 'shop/checkout-canary']})],
    objects,
    signals: signals({'shop/checkout-v2': {requests: 1020, successes: 900}}, 60, {edges}),
    results: [result('MD6007', 'fail', [finding('MD6007', {kind: 'Service', apiVersion: 'v1', namespace: 'shop', name: 'checkout-canary'})]), result('MD3004', 'fail', [finding('MD3004', {kind: 'Pod', apiVersion: 'v1', namespace: 'shop', name: 'cart-1'}, 'warning')])],
  });

  test('edges in and out with their own metrics; failures that reached no pod are attributed through the Service', () => {
    const e = workloadEdges((state.data.signals ? edges.map((x) => ({...x, rps: x.requests / 60, successRate: x.successes / x.requests, latencyMs: x.latencyMs, responseFlags: x.responseFlags ? Object.fromEntries(Object.entries(x.responseFlags).map(([k, v]) => [k, v / 60])) : null})) : []) as never, 'shop', 'checkout-v2', ['shop/checkout', 'shop/checkout-canary']);
    expect(e.map((x) => `${x.direction} ${x.peer} ${x.rps.toFixed(0)}`)).toEqual(['in shop/frontend 15', 'in shop/frontend → Service checkout-canary, no pod answered 2', 'out payments/ledger 10']);
    expect(e[1]).toMatchObject({success: 0, flags: [{flag: 'UF', rps: 2}, {flag: 'URX', rps: 2}]});
  });

  test('what changed: the rollout and warning Events of its pods, oldest first; other pods\' events are left out', () => {
    const d = workloadDetail(state, 'shop', 'checkout-v2');
    expect(d.timeline.map((t) => `${t.kind} ${t.text}`)).toEqual([
      'rollout rollout: ReplicaSet checkout-v2-abc (revision 7) created',
      'event Pod checkout-v2-abc-1: Unhealthy (×4): Readiness probe failed: 503',
    ]);
  });

  test('pods with readiness, restarts, proxy version; findings on the workload\'s Services; edges selectable', () => {
    const d = workloadDetail(state, 'shop', 'checkout-v2');
    expect(d.lines.filter((l) => l.kind === 'pod')).toEqual([{kind: 'pod', pod: {name: 'checkout-v2-abc-1', phase: 'Running', ready: true, restarts: 1, proxy: 'istio 1.27.1', sync: null}}]);
    expect(d.lines.filter((l) => l.kind === 'finding').map((l) => (l.kind === 'finding' ? l.finding.checkId : ''))).toEqual(['MD6007']);
    expect(d.lines.filter((l) => l.kind === 'edge')).toHaveLength(3);
    // The 120 requests that reached no pod count against it client side (through the Service).
    expect(d.row).toMatchObject({side: 'client', success: 900 / 1140});
  });

  test('enter on an edge opens the workload at the other end', () => {
    let s = run(state, {type: 'navigate', entry: {view: 'workload', namespace: 'shop', workload: 'checkout-v2', cursor: -1, scroll: 0}});
    s = run(s, {type: 'move', by: 1}, {type: 'move', by: 1}, {type: 'move', by: 1});
    s = run(s, {type: 'open'});
    expect(s.stack.at(-1)).toMatchObject({view: 'workload', namespace: 'payments', workload: 'ledger'});
  });
});

function withLabels(o: KubeObject, labels: Record<string, string>): KubeObject {
  return {...o, metadata: {...o.metadata, labels}} as KubeObject;
}

describe('placeholder values for a finding', () => {
  test('from the real objects: the pod\'s workload and its selector, the Service selecting it; a cluster-wide finding fills only the context', () => {
    const objects: KubeObject[] = [
      {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'cart', namespace: 'shop'}, spec: {selector: {matchLabels: {app: 'cart', tier: 'api'}}, template: {metadata: {labels: {app: 'cart', tier: 'api'}}}}} as KubeObject,
      withLabels(pod('shop', 'cart-1', {kind: 'Deployment', name: 'cart'}), {app: 'cart', tier: 'api'}),
      {apiVersion: 'v1', kind: 'Service', metadata: {name: 'cart-svc', namespace: 'shop'}, spec: {selector: {app: 'cart'}, ports: [{port: 8080}]}} as KubeObject,
    ];
    const snapshot = snapshotOf(objects);
    expect(placeholderValues(finding('MD3004', {kind: 'Pod', apiVersion: 'v1', namespace: 'shop', name: 'cart-1'}), snapshot, undefined).values).toMatchObject({context: 'test', name: 'cart-1', namespace: 'shop', workload: 'cart', workloadRef: 'deployment/cart', selector: 'app=cart,tier=api', pod: 'cart-1', service: 'cart-svc', port: '8080'});
    expect(placeholderValues(finding('MD6001', deployment('shop', 'cart')), snapshot, undefined).values).toMatchObject({workload: 'cart', pod: 'cart-1', service: 'cart-svc', selector: 'app=cart,tier=api'});
    expect(placeholderValues(finding('MD1003', null), snapshot, undefined).values).toEqual({context: 'test'});
  });
});
