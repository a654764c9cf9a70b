import {describe, expect, test} from 'vitest';
import type {Check} from '../../../src/core/index.js';
import {DEFAULT_OPTIONS, defineCheck, notApplicable, subjectOf} from '../../../src/core/index.js';
import {runCheck, runChecks} from '../../../src/core/runner.js';
import {snapshotOf} from '../../helpers/snapshot-builder.js';

const now = new Date('2026-11-22T00:00:00Z');
const run = {now, options: DEFAULT_OPTIONS};

const istioCluster = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system, labels: {app: istiod}}
spec: {template: {spec: {containers: [{name: discovery, image: istio/pilot:1.27.1}]}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {}
---
apiVersion: v1
kind: Service
metadata: {name: stray, namespace: other}
spec: {}
`;

function serviceCheck(overrides: Partial<Check> = {}): Check {
  return defineCheck({
    id: 'MD5999',
    slug: 'every-service',
    title: 'reports every Service',
    block: 'traffic-config',
    severity: 'warning',
    meshes: ['istio'],
    inputs: {kinds: ['services']},
    evaluate: (ctx) => ctx.objects.list('services').map((s) => ({subject: subjectOf(s), message: `service ${s.metadata.name}`})),
    ...overrides,
  });
}

describe('runCheck', () => {
  test('findings are stamped with id, severity and runbook, and limited to the scope', () => {
    const r = runCheck(serviceCheck(), snapshotOf(istioCluster), run);
    expect(r.outcome).toBe('fail');
    expect(r.findings.map((f) => [f.checkId, f.severity, f.subject?.name, f.runbook])).toEqual([['MD5999', 'warning', 'cart', 'runbooks/traffic-config/every-service.md']]);
  });

  test('-A widens the scope to every namespace', () => {
    const r = runCheck(serviceCheck(), snapshotOf(istioCluster, {scope: {mode: 'all'}}), run);
    expect(r.findings.map((f) => f.subject?.name).sort()).toEqual(['cart', 'stray']);
  });

  test('a check whose mesh is not detected is not-applicable, with the reason', () => {
    const r = runCheck(serviceCheck({meshes: ['linkerd']}), snapshotOf(istioCluster), run);
    expect(r.outcome).toBe('not-applicable');
    expect(r.reason).toBe('Linkerd not detected');
  });

  test('a forbidden input skips the check with a reason naming the kind and namespace', () => {
    const snap = snapshotOf(istioCluster, {availability: {services: {state: 'forbidden', reason: 'forbidden: list services in shop'}}});
    const r = runCheck(serviceCheck(), snap, run);
    expect(r).toMatchObject({outcome: 'skip', reason: 'forbidden: list services in shop'});
  });

  test('an absent CRD makes the check not-applicable; as an optional input it reads as empty', () => {
    const snap = snapshotOf(istioCluster, {availability: {'virtualservices.networking.istio.io': {state: 'absent'}}});
    expect(runCheck(serviceCheck({inputs: {kinds: ['virtualservices.networking.istio.io']}}), snap, run).outcome).toBe('not-applicable');
    expect(runCheck(serviceCheck({inputs: {kinds: ['services'], optionalKinds: ['virtualservices.networking.istio.io']}}), snap, run).outcome).toBe('fail');
  });

  test('alternatives: the check runs when one alternative is available and skips when none is', () => {
    const inputs = {anyOf: [{named: [{kind: 'secrets' as const, mesh: 'istio' as const, where: 'control-plane' as const, names: ['cacerts']}]}, {signals: ['caExpiry' as const]}]};
    const forbidden = {named: {'secrets/istio-system': {state: 'forbidden' as const, reason: 'forbidden: get secrets in istio-system'}}};
    const r = runCheck(serviceCheck({inputs}), snapshotOf(istioCluster, forbidden), run);
    expect(r.outcome).toBe('skip');
    expect(r.reason).toContain('forbidden: get secrets in istio-system');
    expect(r.reason).toContain('metrics unavailable');
    expect(runCheck(serviceCheck({inputs}), snapshotOf(istioCluster), run).outcome).toBe('fail');
  });

  describe('a check that judges state (runtime) in a run from files', () => {
    const podCheck = serviceCheck({
      runtime: true,
      inputs: {kinds: ['pods']},
      evaluate: (ctx) => ctx.objects.list('pods').map((p) => ({subject: subjectOf(p), message: `pod ${p.metadata.name} is ${p.status?.phase}`})),
    });
    const pod = (name: string, status: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: app}]}\n${status}\n`;

    test('is not-applicable when the files hold no status for what it judges, saying so', () => {
      const r = runCheck(podCheck, snapshotOf(istioCluster + pod('declared', 'status: {}'), {mode: 'manifests'}), run);
      expect(r.outcome).toBe('not-applicable');
      expect(r.reason).toMatch(/^needs Pod status, which the given files do not hold/);
    });

    test('runs on a dump that holds status, and sees only the objects that carry it', () => {
      const r = runCheck(podCheck, snapshotOf(istioCluster + pod('running', 'status: {phase: Running}') + pod('declared', ''), {mode: 'manifests'}), run);
      expect(r.findings.map((f) => f.message)).toEqual(['pod running is Running']);
    });

    test('kinds without a status are as the cluster had them only in a dump (a caBundle the mesh patched in)', () => {
      const webhooks = serviceCheck({runtime: true, inputs: {kinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io']}, evaluate: () => []});
      const webhook = '---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: istio-sidecar-injector}\nwebhooks: []\n';
      const repo = runCheck(webhooks, snapshotOf(istioCluster + webhook, {mode: 'manifests'}), run);
      expect(repo).toMatchObject({outcome: 'not-applicable', reason: expect.stringMatching(/^needs MutatingWebhookConfiguration objects as the cluster has them/)});
      expect(runCheck(webhooks, snapshotOf(istioCluster + webhook + pod('running', 'status: {phase: Running}'), {mode: 'manifests'}), run).outcome).toBe('pass');
    });

    test('a named input must be in the files; without it the reason names it', () => {
      const named = serviceCheck({runtime: true, inputs: {named: [{kind: 'secrets', mesh: 'istio', where: 'control-plane', names: ['cacerts']}]}});
      const r = runCheck(named, snapshotOf(istioCluster, {mode: 'manifests'}), run);
      expect(r).toMatchObject({outcome: 'not-applicable', reason: 'needs Secret cacerts in istio-system, which the given files do not hold'});
      const secret = '---\napiVersion: v1\nkind: Secret\nmetadata: {name: cacerts, namespace: istio-system}\ndata: {}\n';
      expect(runCheck(named, snapshotOf(istioCluster + secret, {mode: 'manifests'}), run).outcome).toBe('fail');
    });

    test('metrics and control-plane data are never in files: the reason says which', () => {
      expect(runCheck(serviceCheck({inputs: {signals: ['inbound']}}), snapshotOf(istioCluster, {mode: 'manifests'}), run).reason).toBe('needs metrics (Prometheus or the proxies), which files cannot hold');
      expect(runCheck(serviceCheck({inputs: {facts: ['istioSyncz']}}), snapshotOf(istioCluster, {mode: 'manifests'}), run).reason).toMatch(/^needs control-plane data \(istioSyncz.*which files cannot hold$/);
    });
  });

  test('a check that throws is a crash and the run goes on', () => {
    const boom = serviceCheck({id: 'MD5998', slug: 'boom', evaluate: () => { throw new Error('kaboom'); }});
    const events = [...runChecks([boom, serviceCheck()], snapshotOf(istioCluster), run)];
    const ends = events.filter((e) => e.type === 'check-end').map((e) => (e.type === 'check-end' ? [e.result.check.id, e.result.outcome, e.result.reason] : []));
    expect(ends).toEqual([['MD5998', 'crash', 'MD5998 crashed: kaboom'], ['MD5999', 'fail', undefined]]);
  });

  test('a crash names the check and the object it crashed on', () => {
    // Reads a field the types promise but this check does not guard: the crash must point at the Service that lacks it.
    const fragile = serviceCheck({
      id: 'MD5997',
      slug: 'fragile',
      evaluate: (ctx) => ctx.objects.list('services').map((s) => ({subject: subjectOf(s), message: (s.spec as {ports: {port: number}[]}).ports[0].port.toFixed()})),
    });
    const cluster = `${istioCluster}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: aa-first, namespace: shop}\nspec: {ports: [{port: 80}]}\n`;
    const r = runCheck(fragile, snapshotOf(cluster), run);
    expect(r.outcome).toBe('crash');
    expect(r.reason).toMatch(/^MD5997 crashed on Service shop\/cart: /);
  });

  test('a check may decline a verdict itself', () => {
    const r = runCheck(serviceCheck({evaluate: () => notApplicable('external control plane')}), snapshotOf(istioCluster), run);
    expect(r).toMatchObject({outcome: 'not-applicable', reason: 'external control plane'});
  });

  test('severity overrides from config re-grade every finding of the check', () => {
    const r = runCheck(serviceCheck(), snapshotOf(istioCluster), {...run, severityOverrides: new Map([['MD5999', 'error' as const]])});
    expect(r.findings[0].severity).toBe('error');
  });

  test('suppression by annotation on the subject, its namespace, or a config rule keeps the finding countable', () => {
    const annotated = istioCluster.replace('metadata: {name: cart, namespace: shop}', "metadata: {name: cart, namespace: shop, annotations: {meshdoctor.io/ignore: 'MD1234,MD5999'}}");
    const a = runCheck(serviceCheck(), snapshotOf(annotated), run);
    expect(a.findings).toHaveLength(0);
    expect(a.suppressed.map((s) => s.suppressedBy)).toEqual(['annotation meshdoctor.io/ignore on Service cart']);
    expect(a.outcome).toBe('pass');

    const nsWide = istioCluster.replace('metadata: {name: shop, labels: {istio-injection: enabled}}', "metadata: {name: shop, labels: {istio-injection: enabled}, annotations: {meshdoctor.io/ignore: '*'}}");
    expect(runCheck(serviceCheck(), snapshotOf(nsWide), run).suppressed[0].suppressedBy).toBe('annotation meshdoctor.io/ignore on Namespace shop');

    const rule = {check: 'every-service', namespace: 'sh*', subject: 'Service/c*', reason: 'known'};
    const c = runCheck(serviceCheck(), snapshotOf(istioCluster), {...run, suppressions: [rule]});
    expect(c.suppressed.map((s) => s.suppressedBy)).toEqual(['config: known']);
    const miss = runCheck(serviceCheck(), snapshotOf(istioCluster), {...run, suppressions: [{...rule, subject: 'Deployment/*'}]});
    expect(miss.findings).toHaveLength(1);
  });

  test('a pod finding is suppressed by its owning workload\'s annotation', () => {
    const objects = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop, annotations: {meshdoctor.io/ignore: MD5999}}
spec: {template: {spec: {containers: []}}}
---
apiVersion: v1
kind: Pod
metadata: {name: cart-abc12-xyz, namespace: shop, labels: {pod-template-hash: abc12}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: cart-abc12, controller: true}]}
spec: {containers: [{name: istio-proxy}]}`;
    const podCheck = serviceCheck({inputs: {kinds: ['pods']}, evaluate: (ctx) => ctx.objects.list('pods').map((p) => ({subject: subjectOf(p), message: 'x'}))});
    const r = runCheck(podCheck, snapshotOf(objects), run);
    expect(r.suppressed.map((s) => s.suppressedBy)).toEqual(['annotation meshdoctor.io/ignore on Deployment cart']);
  });

  test('control characters from the cluster are neutralised in messages and evidence', () => {
    const evil = serviceCheck({evaluate: () => [{subject: null, message: 'name \u001b[2Jx\u202e', evidence: {v: 'a\rb'}}]});
    const r = runCheck(evil, snapshotOf(istioCluster), run);
    expect(r.findings[0].message).not.toMatch(/[\u001b\u202e]/);
    expect(String(r.findings[0].evidence.v)).not.toContain('\r');
  });
});
