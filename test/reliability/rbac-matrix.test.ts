/**
 * RBAC matrix: for every kind meshdoctor reads, a 403 on it leaves `check` completing, with exactly
 * the checks that need that kind skipped and a reason naming it — through the real client-node and
 * the fixture API server. Plus random combinations (fast-check) and a namespace-only user with -n.
 */
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import type {Check, CheckInputs, CheckResult} from '../../src/core/index.js';
import {DEFAULT_OPTIONS, resourceType} from '../../src/core/index.js';
import {runCheck} from '../../src/core/runner.js';
import {collectLive} from '../../src/snapshot/collect.js';
import type {ScopeRequest} from '../../src/snapshot/snapshot.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import {planFor} from '../../src/snapshot/plan.js';
import type {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {createLiveKubeSource} from '../../src/sources/kube/live.js';
import {startRichCluster} from '../helpers/rich-cluster.js';

let server: FixtureApiServer;
let kubeconfig: string;
let namespaces: string[];
const plan = planFor(allChecks);

async function run(scope: ScopeRequest = {mode: 'all'}): Promise<Map<string, CheckResult>> {
  const source = await createLiveKubeSource({kubeconfig, requestTimeoutMs: 10_000});
  const raw = await collectLive({source, plan, scope});
  const snap = buildSnapshot(raw);
  const now = new Date(raw.takenAt);
  return new Map(allChecks.map((c) => [c.id, runCheck(c, snap, {now, options: DEFAULT_OPTIONS}, allChecks)]));
}

/** Whether a check cannot run without `kind`: a direct input, or every alternative needs it. */
function needs(inputs: CheckInputs, kind: string): boolean {
  const direct = [...(inputs.kinds ?? []), ...(inputs.optionalKinds ?? []), ...(inputs.named ?? []).map((n) => n.kind)];
  if (direct.includes(kind as never)) return true;
  return (inputs.anyOf ?? []).length > 0 && (inputs.anyOf ?? []).every((alt) => needs(alt, kind));
}

let baseline: Map<string, CheckResult>;

beforeAll(async () => {
  const started = await startRichCluster();
  ({server, kubeconfig} = started);
  namespaces = [...new Set(started.objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
  baseline = await run();
});
afterAll(async () => server?.stop());

/** Asserts the skip rule for every check; returns how many checks were expected to skip. */
function expectSkips(results: Map<string, CheckResult>, forbidden: readonly string[], check: (c: Check) => boolean = () => true): number {
  let expected = 0;
  for (const c of allChecks) {
    const r = results.get(c.id)!;
    expect(r.outcome, `${c.id} crashed: ${r.reason}`).not.toBe('crash');
    const before = baseline.get(c.id)!.outcome;
    const blocked = forbidden.filter((k) => needs(c.inputs, k));
    if (before === 'not-applicable' || !check(c)) continue;
    if (blocked.length > 0) {
      expected++;
      expect(r.outcome, `${c.id} needs ${blocked.join(', ')}`).toBe('skip');
      expect(r.reason, c.id).toMatch(/forbidden/);
      expect(blocked.some((k) => r.reason!.includes(resourceType(k as never).plural)), `${c.id} reason "${r.reason}" names the kind`).toBe(true);
    } else if (r.outcome === 'skip') {
      expect(before, `${c.id} skipped without needing ${forbidden.join(', ')}: ${r.reason}`).toBe('skip');
    }
  }
  return expected;
}

describe('RBAC matrix', () => {
  test('the baseline (everything readable) has no skip and no crash, apart from metrics and syncz (no provider here)', () => {
    const bad = [...baseline.values()].filter((r) => r.outcome === 'crash' || (r.outcome === 'skip' && !/metric|signal|Prometheus|istioSyncz/i.test(r.reason ?? '')));
    expect(bad.map((r) => `${r.check.id}: ${r.reason}`)).toEqual([]);
  });

  // Kinds the checks declare (the base kinds for detection are covered by the property test).
  const kinds = [...new Set(allChecks.flatMap((c) => [...(c.inputs.kinds ?? []), ...(c.inputs.optionalKinds ?? [])]))].filter((k) => !['namespaces', 'pods', 'deployments.apps'].includes(k)).sort();

  test.each(kinds)('403 on %s: the run completes and exactly the checks needing it skip', async (kind) => {
    server.configure({forbid: [{resource: kind}]});
    try {
      const results = await run();
      const applicable = allChecks.filter((c) => needs(c.inputs, kind) && baseline.get(c.id)!.outcome !== 'not-applicable').length;
      expect(expectSkips(results, [kind])).toBe(applicable);
      expect(applicable).toBeGreaterThan(0);
      expect(results.get('MD1001')!.outcome).toBe('fail');
    } finally {
      server.configure({forbid: []});
    }
  });

  test('403 on Secrets in the control-plane namespaces: certificate checks skip naming get secrets and the namespace', async () => {
    server.configure({forbid: [{resource: 'secrets', namespace: 'istio-system'}, {resource: 'secrets', namespace: 'linkerd'}]});
    try {
      const results = await run();
      for (const id of ['MD4102', 'MD4201']) expect(results.get(id)).toMatchObject({outcome: 'skip', reason: expect.stringMatching(/forbidden: get secrets in (istio-system|linkerd)/)});
    } finally {
      server.configure({forbid: []});
    }
  });

  test('random sets of forbidden kinds never crash a check, and every check needing one skips (property)', async () => {
    const all = [...plan.kinds].filter((k) => k !== 'namespaces');
    await fc.assert(
      fc.asyncProperty(fc.subarray(all, {minLength: 1, maxLength: 6}), async (forbidden) => {
        server.configure({forbid: forbidden.map((resource) => ({resource}))});
        try {
          const results = await run();
          // Forbidding detection kinds changes which meshes are seen; only the skips of checks whose mesh is still detected are asserted.
          expectSkips(results, forbidden, (c) => c.meshes === 'any' || results.get(c.id)!.outcome !== 'not-applicable');
        } finally {
          server.configure({forbid: []});
        }
      }),
      {numRuns: 12},
    );
  });

  test('a user who may only read namespace bookinfo works with -n bookinfo', async () => {
    const namespaced = [...plan.kinds].filter((k) => resourceType(k).namespaced);
    const clusterScoped = [...plan.kinds].filter((k) => !resourceType(k).namespaced);
    const otherNamespaces = namespaces.filter((n) => n !== 'bookinfo');
    server.configure({
      forbid: [
        ...clusterScoped.map((resource) => ({resource})),
        ...namespaced.flatMap((resource) => otherNamespaces.map((namespace) => ({resource, namespace}))),
        {resource: 'secrets'},
        {resource: 'configmaps', namespace: 'istio-system'},
      ],
    });
    try {
      const results = await run({mode: 'namespaces', namespaces: ['bookinfo']});
      expect([...results.values()].filter((r) => r.outcome === 'crash')).toEqual([]);
      const ran = [...results.values()].filter((r) => r.outcome === 'pass' || r.outcome === 'fail').map((r) => r.check.id);
      expect(ran).toEqual(expect.arrayContaining(['MD5103', 'MD5105']));
      expect(results.get('MD1001')!.outcome).toBe('fail');
      expect(results.get('MD2002')!.outcome).toBe('skip');
    } finally {
      server.configure({forbid: []});
    }
  });
});
