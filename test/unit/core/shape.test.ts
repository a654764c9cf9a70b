/**
 * The tolerant read layer: objects are fitted to their kind's shape when they enter the snapshot.
 * null is absence (never a problem); a wrong type is dropped and reported; a required list or map
 * that is missing becomes empty; a required scalar that is missing drops its list element, or the
 * whole object.
 */
import {describe, expect, it} from 'vitest';
import {normalizeObject, projectObject, shapedKeys} from '../../../src/core/kube-types/shapes.js';
import {RESOURCE_TYPES} from '../../../src/core/resources.js';

const meta = {name: 'x', namespace: 'shop'};

describe('normalizeObject', () => {
  it('gives a well-formed object back untouched (same reference, no problems)', () => {
    const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {...meta, labels: {app: 'x'}}, spec: {containers: [{name: 'app', image: 'a'}]}, status: {phase: 'Running'}};
    const n = normalizeObject('pods', pod);
    expect(n.object).toBe(pod);
    expect(n.problems).toEqual([]);
  });

  it('reads null and empty maps as absent without calling them problems (istioctl manifest generate, linkerd viz install)', () => {
    const svc = {apiVersion: 'v1', kind: 'Service', metadata: {...meta, annotations: null, labels: null}, spec: {selector: null, ports: [{port: 80}]}};
    const n = normalizeObject('services', svc);
    expect(n.problems).toEqual([]);
    expect(n.object?.metadata).toEqual(meta);
    expect(n.object?.spec).toEqual({ports: [{port: 80}]});
  });

  it('gives a Pod without spec an empty container list (istio analyzer fixtures have such Pods)', () => {
    const n = normalizeObject('pods', {apiVersion: 'v1', kind: 'Pod', metadata: meta});
    expect(n.problems).toEqual([]);
    expect(n.object?.spec).toEqual({containers: []});
  });

  it('drops a value of the wrong type and says where and what', () => {
    const vs = {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta, spec: {hosts: ['a'], http: 'oops'}};
    const n = normalizeObject('virtualservices.networking.istio.io', vs);
    expect(n.object?.spec).toEqual({hosts: ['a']});
    expect(n.problems).toEqual([{path: 'spec.http', problem: 'expected a list, got a string'}]);
  });

  it('drops a list element whose required field is missing, keeping its siblings', () => {
    const gw = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: meta,
      spec: {servers: [{hosts: ['*']}, {port: {number: 80, protocol: 'HTTP'}, hosts: ['*']}]},
    };
    const n = normalizeObject('gateways.networking.istio.io', gw);
    expect(n.object?.spec.servers).toEqual([{port: {number: 80, protocol: 'HTTP'}, hosts: ['*']}]);
    expect(n.problems).toEqual([{path: 'spec.servers[0].port', problem: 'required, missing'}]);
  });

  it('leaves out an object that cannot stand for its kind (a DestinationRule without a host)', () => {
    const n = normalizeObject('destinationrules.networking.istio.io', {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta, spec: {subsets: []}});
    expect(n.object).toBeUndefined();
    expect(n.problems).toEqual([{path: 'spec.host', problem: 'required, missing'}]);
  });

  it('accepts int-or-string where Kubernetes does and rejects other types there', () => {
    const ok = normalizeObject('services', {apiVersion: 'v1', kind: 'Service', metadata: meta, spec: {ports: [{port: 80, targetPort: 'http'}, {port: 81, targetPort: 8081}]}});
    expect(ok.problems).toEqual([]);
    const bad = normalizeObject('services', {apiVersion: 'v1', kind: 'Service', metadata: meta, spec: {ports: [{port: '80'}, {port: 81, targetPort: true}]}});
    expect(bad.object?.spec.ports).toEqual([{port: 81}]);
    expect(bad.problems.map((p) => p.path)).toEqual(['spec.ports[0].port', 'spec.ports[1].targetPort']);
  });

  it('drops non-string label values and empty list items', () => {
    const n = normalizeObject('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {...meta, labels: {a: 'b', c: 1, d: null}}, spec: {containers: [null, {name: 'app'}]}});
    expect(n.object?.metadata.labels).toEqual({a: 'b'});
    expect(n.object?.spec.containers).toEqual([{name: 'app'}]);
    expect(n.problems.map((p) => p.path)).toEqual(['metadata.labels.c', 'spec.containers[0]']);
  });

  it('keeps fields no shape declares as they are', () => {
    const pod = {apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: {containers: [], tolerations: 'whatever'}, extra: {a: null}};
    expect(normalizeObject('pods', pod).object).toBe(pod);
  });

  it('leaves out a value that is not an object at all, or an object without a name', () => {
    expect(normalizeObject('pods', 'a string').object).toBeUndefined();
    expect(normalizeObject('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {namespace: 'shop'}}).problems).toEqual([{path: 'metadata.name', problem: 'required, missing'}]);
  });

  it('has a shape for every kind meshdoctor reads', () => {
    expect(new Set(shapedKeys())).toEqual(new Set(RESOURCE_TYPES.map((t) => t.key)));
  });
});

describe('projectObject (keep only what checks read, issue 20)', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {...meta, labels: {app: 'x'}, annotations: {'sidecar.istio.io/status': '{}'}, finalizers: ['f']},
    spec: {
      containers: [{
        name: 'app', image: 'a', resources: {limits: {cpu: '1'}}, volumeMounts: [{name: 'v', mountPath: '/v'}],
        env: [{name: 'A', value: '1'}, {name: 'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS', value: 'pem'}, {name: 'B', value: 2}, {value: 'nameless'}],
      }],
      volumes: [{name: 'v', emptyDir: {}}],
      dnsPolicy: 'ClusterFirst',
    },
    status: {phase: 'Running', podIP: '10.0.0.1', qosClass: 'Burstable'},
  };

  it('drops the fields no shape declares, at every depth, and keeps the declared ones with their values; of env, what checks read by name and what fitting would call a problem', () => {
    expect(projectObject('pods', pod)).toEqual({
      apiVersion: 'v1', kind: 'Pod',
      metadata: {...meta, labels: {app: 'x'}, annotations: {'sidecar.istio.io/status': '{}'}},
      spec: {containers: [{name: 'app', image: 'a', env: [{name: 'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS', value: 'pem'}, {name: 'B', value: 2}, {value: 'nameless'}]}]},
      status: {phase: 'Running', podIP: '10.0.0.1'},
    });
  });

  it('keeps a value of the wrong type as it is, so fitting the projection reports the same problems', () => {
    const odd = {...pod, spec: {...pod.spec, containers: 'oops'}, metadata: {...meta, labels: ['a']}};
    const projected = projectObject('pods', odd) as typeof odd;
    expect(projected.spec.containers).toBe('oops');
    expect(normalizeObject('pods', projected).problems).toEqual(normalizeObject('pods', odd).problems);
    expect(normalizeObject('pods', odd).problems.length).toBeGreaterThan(0);
  });

  it('keeps an object of a kind without a shape of its own whole, and never changes its input', () => {
    const event = {apiVersion: 'v1', kind: 'Event', metadata: meta, anything: {deep: [1]}};
    expect(projectObject('no-such-kind', event)).toBe(event);
    const before = structuredClone(pod);
    projectObject('pods', pod);
    expect(pod).toEqual(before);
  });
});
