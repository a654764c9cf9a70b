/**
 * Runbook values come from the real objects of a finding — the istio-shop demo's world — never
 * from name guesses: the canary Service's own selector, the workload's real kind, the route that
 * splits traffic onto it with the exact patch that shifts the weight back, a failing caller's pod.
 * What cannot be resolved has a reason, and a command needing it is shown as not filled.
 */
import {beforeAll, describe, expect, test} from 'vitest';
import type {EdgeMetrics} from '../../../src/core/golden.js';
import {resourceTypeFor} from '../../../src/core/resources.js';
import type {Subject} from '../../../src/core/types.js';
import {routesTo, weightShift} from '../../../src/mesh/routes-to.js';
import {copyable, fillCommands, logicalLines} from '../../../src/runbooks/commands.js';
import {fillRunbookMarkdown} from '../../../src/runbooks/render.js';
import {resolveValues} from '../../../src/runbooks/values.js';
import {loadScenario} from '../../../src/sim/demo/scenario.js';
import {buildWorld} from '../../../src/sim/demo/world.js';
import {ManualClock} from '../../../src/sim/traffic/model.js';
import type {Snapshot} from '../../../src/snapshot/snapshot.js';
import {snapshotOf} from '../../helpers/snapshot-builder.js';

let snapshot: Snapshot;
const NOW = Date.parse('2026-03-02T10:00:00Z');

beforeAll(async () => {
  const world = await buildWorld(loadScenario('istio-shop'), {clock: new ManualClock(NOW)});
  snapshot = snapshotOf(world.objects.filter((o) => resourceTypeFor(o.apiVersion, o.kind)), {context: 'prod-eu1', takenAt: new Date(NOW).toISOString()});
});

const canaryService: Subject = {kind: 'Service', apiVersion: 'v1', namespace: 'shop', name: 'checkout-canary'};
const canaryDeployment: Subject = {kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'checkout-v2'};
const edges: EdgeMetrics[] = [
  {mesh: 'istio', srcNamespace: 'shop', srcWorkload: 'frontend', dstNamespace: 'shop', dstWorkload: 'checkout-v2', dstService: 'checkout-canary', rps: 53, successRate: 1, latencyMs: null, responseFlags: null},
  {mesh: 'istio', srcNamespace: 'shop', srcWorkload: 'frontend', dstNamespace: 'shop', dstService: 'checkout-canary', rps: 7, successRate: 0, latencyMs: null, responseFlags: {'UF,URX': 7}},
];

describe('placeholder values from the real objects', () => {
  test('a Service finding: its own selector (not a guess from its name), its pod and containers, the route and the caller', () => {
    const {values, gaps} = resolveValues(canaryService, snapshot, {edges});
    expect(values).toMatchObject({
      context: 'prod-eu1', namespace: 'shop', name: 'checkout-canary', resource: 'service/checkout-canary',
      selector: 'app=checkout,version=v2', workload: 'checkout-v2', workloadRef: 'deployment/checkout-v2',
      container: 'checkout', proxy: 'istio-proxy', service: 'checkout-canary', port: '80', host: 'checkout-canary.shop.svc.cluster.local',
      route: 'virtualservices.networking.istio.io/checkout', routeNamespace: 'shop',
      callerNamespace: 'shop', callerProxy: 'istio-proxy',
    });
    expect(values.pod).toMatch(/^checkout-v2-/);
    expect(values.callerPod).toMatch(/^frontend-/);
    // The canary has one revision: there is nothing to roll back to, and the reason says so.
    expect(values.previousRevision).toBeUndefined();
    expect(gaps.previousRevision).toContain('nothing to roll back to');
    expect(JSON.parse(values.weightPatch!)).toEqual([
      {op: 'replace', path: '/spec/http/0/route/0/weight', value: 100},
      {op: 'replace', path: '/spec/http/0/route/1/weight', value: 0},
    ]);
  });

  test('a workload finding picks the Service a weighted route sends its share to, not the apex that selects every version', () => {
    const {values, context} = resolveValues(canaryDeployment, snapshot, {edges});
    expect(values.service).toBe('checkout-canary');
    expect(values.selector).toBe('app=checkout,version=v2');
    expect(context.services.map((s) => s.metadata.name)).toEqual(['checkout-canary', 'checkout']);
    expect(context.callers).toEqual([{namespace: 'shop', workload: 'frontend', rps: 60, failing: 7, flags: ['UF,URX'], services: ['shop/checkout-canary']}]);
    expect(context.precededBy?.text).toMatch(/^rollout: ReplicaSet checkout-v2-/);
  });

  test('without edge metrics the caller is a gap with its reason; a cluster-wide finding fills only the context', () => {
    const {values, gaps} = resolveValues(canaryService, snapshot);
    expect(values.callerPod).toBeUndefined();
    expect(gaps.callerPod).toBe('no edge metrics were read (callers are known from metrics only)');
    expect(resolveValues(null, snapshot).values).toEqual({context: 'prod-eu1'});
  });

  test('a Service that selects two workloads names both instead of picking one', () => {
    const {values, gaps} = resolveValues({kind: 'Service', apiVersion: 'v1', namespace: 'shop', name: 'checkout'}, snapshot);
    expect(values.selector).toBe('app=checkout');
    expect(values.workload).toBeUndefined();
    expect(gaps.workload).toBe('the pods belong to 2 workloads (checkout-v1, checkout-v2)');
  });
});

describe('routes and weights', () => {
  test('the VirtualService split onto the canary, and the shift that sends its share back', () => {
    const rules = routesTo(snapshot.objects, new Set(['shop/checkout-canary']), {clusterDomain: 'cluster.local', rootNamespace: 'istio-system'});
    expect(rules.map((r) => [r.kind, r.name, r.rule, r.ruleName, r.destinations.map((d) => `${d.share} ${d.service}`)])).toEqual([
      ['VirtualService', 'checkout', 'http[0]', 'canary-split', ['75 shop/checkout-stable', '25 shop/checkout-canary']],
    ]);
    expect(weightShift(rules[0], new Set(['shop/checkout-canary']))?.after).toEqual([{host: 'checkout-stable', share: 100}, {host: 'checkout-canary', share: 0}]);
    expect(weightShift(rules[0], new Set(['shop/checkout-canary', 'shop/checkout-stable']))).toBeUndefined();
  });

  test('shares that do not divide evenly still add up to exactly 100', () => {
    const rule = {kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', resource: 'virtualservices.networking.istio.io', namespace: 'a', name: 'r', rule: 'http[0]', conditional: false,
      destinations: [{host: 'x', service: 'a/x', weight: 1, share: 100 / 3, pointer: '/0'}, {host: 'y', service: 'a/y', weight: 1, share: 100 / 3, pointer: '/1'}, {host: 'z', service: 'a/z', weight: 1, share: 100 / 3, pointer: '/2'}]};
    const shift = weightShift(rule, new Set(['a/z']))!;
    expect(shift.after.map((d) => d.share)).toEqual([50, 50, 0]);
    expect(shift.patch.reduce((a, p) => a + p.value, 0)).toBe(100);
  });
});

describe('commands of a step', () => {
  test('one command per line; continuations join; comments and blanks are not commands', () => {
    expect(logicalLines('# preview\nkubectl get a \\\n  -o yaml\n\nkubectl get b\n')).toEqual(['kubectl get a -o yaml', 'kubectl get b']);
  });

  test('a command with an unfilled placeholder keeps its gap and is never copied', () => {
    const commands = fillCommands('kubectl -n {{namespace}} get pods -l {{selector}}\nkubectl -n {{namespace}} rollout undo {{workloadRef}} --to-revision={{previousRevision}}', 'read',
      {namespace: 'shop', selector: 'app=checkout,version=v2', workloadRef: 'deployment/checkout-v2'}, {previousRevision: 'only revision 1'});
    expect(commands.map((c) => c.gaps)).toEqual([[], [{placeholder: 'previousRevision', reason: 'only revision 1'}]]);
    expect(copyable(commands)).toEqual({text: 'kubectl -n shop get pods -l app=checkout,version=v2', count: 1, unfilled: 1});
  });

  test('printed Markdown turns a command with a gap into comments that say why', () => {
    const md = '```sh write\nkubectl -n {{namespace}} rollout undo {{workloadRef}} --to-revision={{previousRevision}}\n```\n';
    expect(fillRunbookMarkdown(md, {namespace: 'shop', workloadRef: 'deployment/checkout-v2'}, {previousRevision: 'only revision 1'})).toBe(
      "```sh write\n# not filled: {{previousRevision}}: only revision 1\n# kubectl -n shop rollout undo deployment/checkout-v2 --to-revision='<previousRevision>'\n```\n");
  });
});
