/**
 * The Kubernetes objects behind a traffic graph — Namespaces with their mesh marker, Deployments,
 * ReplicaSets, Running pods with the mesh's proxy (and the labels its injector adds), Services and
 * EndpointSlices — so the fixture API server, the proxy-scrape source and the simulator agree on
 * which pods exist. The mesh control planes are not included (scenarios add their own).
 */
import type {KubeObject} from '../../core/kube-types/index.js';
import type {SimPod, SimWorkload, TrafficSim} from './model.js';

const KIND_API: Readonly<Record<string, string>> = {Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1'};

function podObject(sim: TrafficSim, w: SimWorkload, pod: SimPod): KubeObject {
  const start = new Date(sim.startMs).toISOString();
  const labels: Record<string, string> = {app: w.app, version: w.version};
  if (w.kind === 'Deployment') labels['pod-template-hash'] = w.templateHash;
  const annotations: Record<string, string> = {};
  const containers: Record<string, unknown>[] = [{name: w.app, image: `example.com/${w.app}:${w.version}`, ports: [{name: 'http', containerPort: 8080}]}];
  if (w.mesh === 'istio') {
    Object.assign(labels, {'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': w.app, 'service.istio.io/canonical-revision': w.version});
    Object.assign(annotations, {'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus', 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}'});
    containers.push({name: 'istio-proxy', image: `docker.io/istio/proxyv2:${sim.graph.versions?.istio ?? '1.27.1'}`, ports: [{name: 'http-envoy-prom', containerPort: 15090}]});
  } else if (w.mesh === 'linkerd') {
    Object.assign(labels, {'linkerd.io/control-plane-ns': 'linkerd', 'linkerd.io/workload-ns': w.namespace, [`linkerd.io/proxy-${w.kind.toLowerCase()}`]: w.name});
    Object.assign(annotations, {'linkerd.io/inject': 'enabled', 'linkerd.io/proxy-version': sim.graph.versions?.linkerd ?? 'edge-25.8.1'});
    containers.push({name: 'linkerd-proxy', image: `cr.l5d.io/linkerd/proxy:${sim.graph.versions?.linkerd ?? 'edge-25.8.1'}`, ports: [{name: 'linkerd-proxy', containerPort: 4143}, {name: 'linkerd-admin', containerPort: 4191}]});
  }
  const owner = w.kind === 'Deployment'
    ? {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: w.replicaSet, uid: `uid-${w.replicaSet}`, controller: true}
    : {apiVersion: 'apps/v1', kind: w.kind, name: w.name, uid: `uid-${w.name}`, controller: true};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name: pod.name, namespace: w.namespace, labels, annotations, ownerReferences: [owner], creationTimestamp: start, uid: `uid-${pod.name}`},
    spec: {containers, serviceAccountName: w.app},
    status: {
      phase: 'Running', podIP: pod.ip, startTime: start,
      conditions: [{type: 'Ready', status: 'True'}, {type: 'PodScheduled', status: 'True'}],
      containerStatuses: containers.map((c) => ({name: c.name, ready: true, restartCount: 0, image: c.image, state: {running: {startedAt: start}}})),
    },
  } as KubeObject;
}

/** A stable ClusterIP in 10.96.0.0/16 for a Service (`ns/name`), as the API server would allocate one. */
export function clusterIp(key: string): string {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `10.96.${(h >>> 8) & 255}.${(h & 254) + 1}`;
}

export function simObjects(sim: TrafficSim): KubeObject[] {
  const start = new Date(sim.startMs).toISOString();
  const out: KubeObject[] = [];
  const namespaces = new Map<string, Set<string>>();
  for (const w of sim.workloads) {
    const meshes = namespaces.get(w.namespace) ?? new Set<string>();
    if (w.mesh !== 'none') meshes.add(w.mesh);
    namespaces.set(w.namespace, meshes);
  }
  for (const [name, meshes] of namespaces) {
    const labels: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    if (meshes.has('istio')) labels['istio-injection'] = 'enabled';
    if (meshes.has('linkerd')) annotations['linkerd.io/inject'] = 'enabled';
    out.push({apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels, annotations, creationTimestamp: start}});
  }
  const services = new Map<string, SimWorkload[]>();
  for (const w of sim.workloads) {
    const selector = {app: w.app, version: w.version};
    const template = {metadata: {labels: selector}, spec: {containers: [{name: w.app, image: `example.com/${w.app}:${w.version}`}]}};
    const replicas = w.pods.length;
    out.push({
      apiVersion: KIND_API[w.kind], kind: w.kind,
      // The Deployment controller numbers rollouts in this annotation (on the Deployment and each ReplicaSet); `kubectl rollout history` reads it.
      metadata: {name: w.name, namespace: w.namespace, labels: {app: w.app, version: w.version}, uid: `uid-${w.name}`, creationTimestamp: start, generation: 1,
        ...(w.kind === 'Deployment' ? {annotations: {'deployment.kubernetes.io/revision': '1'}} : {})},
      spec: {replicas, selector: {matchLabels: selector}, template},
      status: {replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1},
    } as KubeObject);
    if (w.kind === 'Deployment') {
      out.push({
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {name: w.replicaSet, namespace: w.namespace, labels: {...selector, 'pod-template-hash': w.templateHash}, uid: `uid-${w.replicaSet}`, creationTimestamp: start,
          annotations: {'deployment.kubernetes.io/revision': '1'},
          ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, uid: `uid-${w.name}`, controller: true}]},
        spec: {replicas, selector: {matchLabels: {...selector, 'pod-template-hash': w.templateHash}}, template},
        status: {replicas, readyReplicas: replicas, availableReplicas: replicas},
      } as KubeObject);
    }
    for (const pod of w.pods) out.push(podObject(sim, w, pod));
    if (w.service) {
      const key = `${w.namespace}/${w.service}`;
      services.set(key, [...(services.get(key) ?? []), w]);
    }
  }
  for (const [key, backends] of services) {
    const [namespace, name] = key.split('/');
    const app = backends[0].app;
    const tcp = backends[0].spec.protocol === 'tcp';
    out.push({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace, creationTimestamp: start},
      spec: {selector: {app}, ports: [{name: tcp ? 'tcp' : 'http', port: 80, targetPort: 8080, protocol: 'TCP'}], type: 'ClusterIP', clusterIP: clusterIp(key)}} as KubeObject);
    out.push({apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {name: `${name}-sim`, namespace, labels: {'kubernetes.io/service-name': name}, creationTimestamp: start},
      addressType: 'IPv4',
      endpoints: backends.flatMap((w) => w.pods.map((p) => ({addresses: [p.ip], conditions: {ready: true}, targetRef: {kind: 'Pod', name: p.name, namespace}}))),
      ports: [{name: tcp ? 'tcp' : 'http', port: 8080, protocol: 'TCP'}]} as KubeObject);
  }
  return out;
}
