/**
 * The realistic clusters the bench measures: real-sized injected pods shaped like upstream's injection
 * output (istio/istio pkg/kube/inject/testdata/inject/hello.yaml.injected, linkerd/linkerd2
 * cli/cmd/testdata/inject_emojivoto_deployment.golden.yml), with their controllers, Services and mesh
 * configuration — healthy but for the planted faults, so the catalog judges them as it would a real one.
 */
import {describe, expect, it} from 'vitest';
import {allChecks} from '../../../checks/index.js';
import type {KubeObject, Pod} from '../../../src/core/index.js';
import {DEFAULT_OPTIONS, RESOURCE_TYPES, resourceTypeFor, subjectKey} from '../../../src/core/index.js';
import {runCheck} from '../../../src/core/runner.js';
import {proxyContainer} from '../../../src/mesh/markers.js';
import {realisticCluster} from '../../../src/sim/realistic/cluster.js';
import {realisticWorkloads} from '../../../src/sim/realistic/workloads.js';
import {emptyCollection, Snapshot} from '../../../src/snapshot/snapshot.js';

const NOW = new Date('2026-12-01T12:00:00Z');

function snapshotOf(objects: readonly KubeObject[]): Snapshot {
  const byKey: Record<string, KubeObject[]> = {};
  for (const o of objects) (byKey[resourceTypeFor(o.apiVersion, o.kind)!.key] ??= []).push(structuredClone(o));
  return new Snapshot(emptyCollection({
    objects: byKey as never, availability: Object.fromEntries(RESOURCE_TYPES.map((t) => [t.key, {state: 'ok' as const}])), context: 'bench', takenAt: NOW.toISOString(),
    signals: {source: 'recorded', at: NOW.toISOString(), window: '1m', windowSeconds: 60, signals: {}},
    metricsStatus: {source: 'metrics', state: 'ok', detail: 'test: no series recorded'},
  }));
}

function loudFindings(objects: readonly KubeObject[]): string[] {
  const snap = snapshotOf(objects);
  return allChecks.flatMap((c) => {
    const r = runCheck(c, snap, {now: NOW, options: DEFAULT_OPTIONS}, allChecks);
    if (r.outcome === 'crash') return [`${c.id} crashed: ${r.reason}`];
    return r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.checkId} ${f.severity} ${subjectKey(f.subject)}`);
  });
}

const pods = (objects: readonly KubeObject[]) => objects.filter((o): o is Pod => o.kind === 'Pod' && o.metadata.namespace!.startsWith('team-'));
const kubectlBytes = (o: KubeObject) => {
  const {managedFields: _mf, ...metadata} = o.metadata as KubeObject['metadata'] & {managedFields?: unknown};
  return JSON.stringify({...o, metadata}).length;
};

describe('realistic clusters', () => {
  it('has exactly the pods asked for, the same for the same seed', () => {
    const a = realisticWorkloads({pods: 37, mesh: 'istio', meshVersion: '1.27.1', now: NOW});
    const b = realisticWorkloads({pods: 37, mesh: 'istio', meshVersion: '1.27.1', now: NOW});
    expect(pods(a)).toHaveLength(37);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(realisticWorkloads({pods: 37, mesh: 'istio', meshVersion: '1.27.1', now: NOW, seed: 7}))).not.toBe(JSON.stringify(a));
  });

  it('injects Istio pods as the injector does: istio-init and istio-proxy, native sidecar or classic, probes through the agent', () => {
    const objects = realisticWorkloads({pods: 50, mesh: 'istio', meshVersion: '1.27.1', servicesPerNamespace: 2, now: NOW});
    const byLayout = new Map<string, Pod>();
    for (const pod of pods(objects)) {
      const proxy = proxyContainer(pod, 'istio');
      expect(proxy?.image).toBe('docker.io/istio/proxyv2:1.27.1');
      byLayout.set(pod.spec.containers.some((c) => c.name === 'istio-proxy') ? 'classic' : 'native', pod);
    }
    expect([...byLayout.keys()].sort()).toEqual(['classic', 'native']);
    const native = byLayout.get('native')!;
    expect(native.spec.initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['istio-init', undefined], ['istio-proxy', 'Always']]);
    expect(JSON.parse(native.metadata.annotations!['sidecar.istio.io/status'])).toMatchObject({initContainers: ['istio-init', 'istio-proxy'], containers: null});
    const app = native.spec.containers[0];
    expect(app.readinessProbe?.httpGet).toMatchObject({port: 15020, path: `/app-health/${app.name}/readyz`});
    const probers = proxyContainer(native, 'istio')!.env!.find((e) => e.name === 'ISTIO_KUBE_APP_PROBERS')!.value!;
    expect(JSON.parse(probers)[`/app-health/${app.name}/readyz`]).toMatchObject({httpGet: {path: '/ready', port: 8080}});
  });

  it('makes pods of real size: 8–15 KB as kubectl prints them, about twice that with managedFields', () => {
    for (const mesh of ['istio', 'linkerd'] as const) {
      for (const pod of pods(realisticWorkloads({pods: 20, mesh, meshVersion: 'v', trustAnchorsPem: '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(700) + '\n-----END CERTIFICATE-----\n', now: NOW}))) {
        const printed = kubectlBytes(pod);
        expect(printed, `${mesh} ${pod.metadata.name}`).toBeGreaterThan(8_000);
        expect(printed, `${mesh} ${pod.metadata.name}`).toBeLessThan(15_000);
        expect(JSON.stringify(pod).length).toBeGreaterThan(1.5 * printed);
      }
    }
  });

  it('keeps old ReplicaSets scaled to 0 and an EndpointSlice and Endpoints per Service naming every pod', () => {
    const objects = realisticWorkloads({pods: 10, mesh: 'linkerd', meshVersion: 'edge-25.8.1', podsPerService: 5, now: NOW});
    expect(objects.filter((o) => o.kind === 'ReplicaSet').map((o) => (o.spec as {replicas: number}).replicas)).toEqual([5, 0, 0, 5, 0, 0]);
    const slice = objects.find((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === 'svc-0') as KubeObject & {endpoints: {targetRef: {name: string}}[]};
    expect(slice.endpoints.map((e) => e.targetRef.name).sort()).toEqual(pods(objects).filter((p) => p.metadata.labels?.app === 'svc-0').map((p) => p.metadata.name).sort());
  });

  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`is healthy on ${mesh} for the whole catalog, but for the faults planted`, async () => {
      const healthy = await realisticCluster({pods: 120, mesh, now: NOW});
      expect(loudFindings(healthy)).toEqual([]);
      const faulty = await realisticCluster({pods: 120, mesh, now: NOW, faultShare: 1, podsPerService: 60});
      const expected = mesh === 'istio'
        ? ['MD5103 error VirtualService team-0/svc-0', 'MD5103 error VirtualService team-0/svc-1']
        : ['MD5202 warning Server team-0/svc-0', 'MD5202 warning Server team-0/svc-1', 'MD5203 error AuthorizationPolicy team-0/svc-0', 'MD5203 error AuthorizationPolicy team-0/svc-1'];
      expect(loudFindings(faulty).sort()).toEqual(expected);
    });
  }
});
