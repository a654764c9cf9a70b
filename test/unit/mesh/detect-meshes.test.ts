/** Mesh detection (docs/rules.md D1) for Linkerd, Consul and OSM, alone and side by side. */
import {describe, expect, test} from 'vitest';
import {rawOf, snapshotOf, yamlObjects} from '../../helpers/snapshot-builder.js';
import {Snapshot} from '../../../src/snapshot/snapshot.js';

const LINKERD = `
apiVersion: v1
kind: Namespace
metadata: {name: linkerd}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-destination, namespace: linkerd, labels: {linkerd.io/control-plane-component: destination}}
spec: {template: {spec: {containers: [{name: destination, image: "cr.l5d.io/linkerd/controller:edge-25.8.1"}]}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: linkerd-viz, labels: {linkerd.io/extension: viz}}
---
apiVersion: v1
kind: Namespace
metadata: {name: linkerd-smi, labels: {linkerd.io/extension: smi}}
---
apiVersion: v1
kind: Namespace
metadata: {name: linkerd-cni, labels: {linkerd.io/cni-resource: "true"}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: linkerd-cni, namespace: linkerd-cni}
spec: {template: {spec: {containers: [{name: install-cni}]}}}`;

const CONSUL = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: consul-connect-injector, namespace: consul, labels: {app: consul, component: connect-injector}}
spec: {template: {spec: {containers: [{name: sidecar-injector}]}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: consul-server, namespace: consul, labels: {app: consul, component: server}}
spec: {template: {spec: {containers: [{name: consul, image: "hashicorp/consul:1.21.3"}]}}}`;

const OSM = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: osm-controller, namespace: mesh-system, labels: {app: osm-controller}}
spec: {template: {spec: {containers: [{name: osm-controller, image: "openservicemesh/osm-controller:v1.2.4", args: ["--mesh-name", "prod-mesh"]}]}}}`;

describe('Linkerd, Consul and OSM detection', () => {
  test('three meshes side by side are all detected, each with its control-plane namespace and version', () => {
    const snap = snapshotOf([LINKERD, CONSUL, OSM].join('\n---\n'));
    const byName = Object.fromEntries(snap.meshes.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['consul', 'linkerd', 'osm']);
    expect(byName.linkerd).toMatchObject({namespace: 'linkerd', version: 'edge-25.8.1', controlPlane: 'in-cluster'});
    expect(byName.consul).toMatchObject({namespace: 'consul', version: '1.21.3', controlPlane: 'in-cluster'});
    expect(byName.osm).toMatchObject({namespace: 'mesh-system', version: '1.2.4', controlPlane: 'in-cluster', notes: ['mesh name prod-mesh']});
  });

  test('Linkerd extensions: viz, any linkerd.io/extension namespace, and the CNI plugin namespace', () => {
    const linkerd = snapshotOf(LINKERD).meshes.find((m) => m.name === 'linkerd')!;
    expect(linkerd.extensions).toEqual({viz: 'linkerd-viz', smi: 'linkerd-smi', cni: 'linkerd-cni'});
  });

  test('extension namespaces are part of the default (meshed) scope', () => {
    const snap = snapshotOf(LINKERD);
    for (const ns of ['linkerd', 'linkerd-viz', 'linkerd-smi', 'linkerd-cni']) expect(snap.scope.includes(ns), ns).toBe(true);
  });

  test('a live cluster with only injection markers (no control plane, no proxies) detects nothing', () => {
    const snap = snapshotOf(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, annotations: {linkerd.io/inject: enabled}, labels: {openservicemesh.io/monitored-by: osm}}`);
    expect(snap.meshes).toEqual([]);
  });

  test('a manifest repo holding only workloads is detected from their injection markers', () => {
    const objects = yamlObjects(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, annotations: {linkerd.io/inject: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: books, labels: {openservicemesh.io/monitored-by: osm}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: payments}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}, annotations: {consul.hashicorp.com/connect-inject: "true"}}
    spec: {containers: [{name: api}]}`);
    const snap = new Snapshot(rawOf(objects, {mode: 'manifests'}));
    expect(snap.meshes.map((m) => `${m.name}:${m.controlPlane}`).sort()).toEqual(['consul:unknown', 'linkerd:unknown', 'osm:unknown']);
  });
});
