import {describe, expect, test} from 'vitest';
import {snapshotOf} from '../../helpers/snapshot-builder.js';

describe('workload resolution (D4)', () => {
  const snap = snapshotOf(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: api-5d4c, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, controller: true}]}
spec: {}
---
apiVersion: v1
kind: Pod
metadata: {name: api-5d4c-x, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-5d4c, controller: true}]}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: cart-7f9c-y, namespace: shop, labels: {pod-template-hash: 7f9c}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: cart-7f9c, controller: true}]}
spec: {containers: []}
---
apiVersion: batch/v1
kind: Job
metadata: {name: report-2911, namespace: shop, ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, controller: true}]}
spec: {template: {spec: {containers: []}}}
---
apiVersion: v1
kind: Pod
metadata: {name: report-2911-z, namespace: shop, ownerReferences: [{apiVersion: batch/v1, kind: Job, name: report-2911, controller: true}]}
spec: {containers: []}
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: shop}
spec: {containers: []}`);
  const owner = (name: string) => {
    const s = snap.workloads.ownerOf(snap.store.get('pods', 'shop', name)!);
    return `${s.kind} ${s.name}`;
  };

  test('Pod → ReplicaSet → Deployment, Job → CronJob, bare pods stay pods', () => {
    expect(owner('api-5d4c-x')).toBe('Deployment api');
    expect(owner('report-2911-z')).toBe('CronJob report');
    expect(owner('bare')).toBe('Pod bare');
  });

  test('without the ReplicaSet, the Deployment is inferred from pod-template-hash', () => {
    expect(owner('cart-7f9c-y')).toBe('Deployment cart');
  });

  test('podsOf lists the pods of a workload', () => {
    expect(snap.workloads.podsOf({kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'api'}).map((p) => p.metadata.name)).toEqual(['api-5d4c-x']);
  });
});

describe('mesh detection (D1)', () => {
  test('istiod revisions, versions and root namespace', () => {
    const snap = snapshotOf(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod-canary, namespace: istio-system, labels: {app: istiod, istio.io/rev: canary}}
spec: {template: {spec: {containers: [{name: discovery, image: "gcr.io/istio-release/pilot:1.28.0-distroless"}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system, labels: {app: istiod}}
spec: {template: {spec: {containers: [{name: discovery, image: "docker.io/istio/pilot:1.27.1@sha256:abc"}]}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data: {mesh: "defaultConfig: {}\\nrootNamespace: mesh-root\\n"}`);
    expect(snap.meshes).toHaveLength(1);
    const istio = snap.meshes[0];
    expect(istio).toMatchObject({name: 'istio', version: '1.27.1', namespace: 'istio-system', controlPlane: 'in-cluster', rootNamespace: 'mesh-root'});
    expect(istio.revisions.map((r) => `${r.name}@${r.version}`)).toEqual(['default@1.27.1', 'canary@1.28.0']);
  });

  test('an injector webhook with clientConfig.url and no istiod is an external control plane', () => {
    const snap = snapshotOf(`
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector}
webhooks: [{name: namespace.sidecar-injector.istio.io, clientConfig: {url: "https://istiod.example.com:15017/inject"}}]`);
    expect(snap.meshes.map((m) => [m.name, m.controlPlane])).toEqual([['istio', 'external']]);
  });

  test('proxies without a control plane, ambient mode, and several meshes side by side', () => {
    const snap = snapshotOf(`
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {containers: [{name: istio-proxy}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ztunnel, namespace: istio-system}
spec: {template: {spec: {containers: []}}}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: emoji, labels: {linkerd.io/control-plane-ns: linkerd}}
spec: {containers: [{name: linkerd-proxy}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: consul-server, namespace: consul, labels: {app: consul, component: server}}
spec: {template: {spec: {containers: [{name: consul, image: "hashicorp/consul:1.18.2"}]}}}`);
    expect(snap.meshes.map((m) => `${m.name}:${m.controlPlane}`)).toEqual(['istio:absent', 'linkerd:absent', 'consul:in-cluster']);
    expect(snap.meshes[0].ambient).toBe(true);
    expect(snap.meshes[2].version).toBe('1.18.2');
  });

  test('meshed namespaces: enrolment markers, proxies, and control-plane namespaces', () => {
    const snap = snapshotOf(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: side}
spec: {containers: [{name: istio-proxy}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system, labels: {app: istiod}}
spec: {template: {spec: {containers: []}}}`);
    expect([...snap.scope.namespaces].sort()).toEqual(['istio-system', 'shop', 'side']);
    expect(snap.scope.includes('plain')).toBe(false);
  });
});
