/**
 * A scenario's world: the Kubernetes objects a fixture API server serves and the traffic simulator
 * behind their proxies. Objects come from the scenario's manifests (certificates generated now) and
 * from the simulator (`simObjects`: Deployments, ReplicaSets, Running pods, Services, EndpointSlices),
 * with the scenario's per-workload changes applied; a manifest object replaces the simulator's object
 * of the same kind, namespace and name. A small endpoints controller then gives every selector
 * Service without an EndpointSlice one, from the pods it selects. Meshed pods the simulator does not
 * know (control-plane pods written in the manifests) expose an idle proxy's metrics, so every meshed
 * namespace has the presence series a real scrape would find.
 */
import type {KubeObject, Pod} from '../../core/kube-types/index.js';
import type {MeshName} from '../../core/types.js';
import {matchesLabels} from '../../core/selectors.js';
import {proxyMeshes} from '../../mesh/markers.js';
import {relativeDate} from '../certs.js';
import {renderParsedTemplate} from '../manifest-template.js';
import {templateDocuments} from './compiled-yaml.js';
import type {SimClock} from '../traffic/model.js';
import {systemClock, TrafficSim} from '../traffic/model.js';
import {clusterIp, simObjects} from '../traffic/objects.js';
import type {Scenario, WorkloadOverlay} from './scenario.js';

/** A meshed pod of the manifests: not simulated, its proxy idles (presence metrics only). */
export type IdlePod = Readonly<{namespace: string; name: string; mesh: MeshName; version: string}>;

export type World = Readonly<{
  scenario: Scenario;
  sim: TrafficSim;
  /** Epoch ms the world was built at ("now" for every relative time in it). */
  builtAt: number;
  objects: readonly KubeObject[];
  idlePods: readonly IdlePod[];
}>;

type Json = Record<string, any>;

const PROXY_CONTAINERS: Readonly<Record<string, string>> = {istio: 'istio-proxy', linkerd: 'linkerd-proxy'};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function identity(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function withTag(image: string, tag: string): string {
  const at = image.lastIndexOf(':');
  return `${at > image.lastIndexOf('/') ? image.slice(0, at) : image}:${tag}`;
}

/** The image tag of a container (D9's input), '' when there is none. */
export function imageTag(image: string | undefined): string {
  const clean = (image ?? '').split('@')[0];
  const at = clean.lastIndexOf(':');
  return at > clean.lastIndexOf('/') ? clean.slice(at + 1) : '';
}

/** Apply a scenario's workload changes (and its default start time) to the simulator's objects. */
function overlay(objects: KubeObject[], sim: TrafficSim, scenario: Scenario, now: Date): KubeObject[] {
  const defaultStart = relativeDate(scenario.clock.workloadsStarted, now).getTime();
  const byPod = new Map<string, {overlay: WorkloadOverlay; gateway: boolean; app: string; start: number}>();
  const byWorkload = new Map<string, {overlay: WorkloadOverlay; gateway: boolean; app: string; start: number; replicaSet: string}>();
  for (const w of sim.workloads) {
    const o = scenario.workloads[w.key] ?? {};
    const start = o.startedAt ? relativeDate(o.startedAt, now).getTime() : defaultStart;
    const info = {overlay: o, gateway: w.spec.gateway === true, app: w.app, start, replicaSet: w.replicaSet};
    byWorkload.set(w.key, info);
    for (const p of w.pods) byPod.set(`${p.namespace}/${p.name}`, info);
  }
  const rsOwner = new Map([...byWorkload.values()].map((i) => [i.replicaSet, i]));
  return objects.map((original) => {
    const o = structuredClone(original) as Json;
    const ns = o.metadata.namespace ?? '';
    o.metadata.creationTimestamp = iso(defaultStart);
    if (o.kind === 'Pod') {
      const info = byPod.get(`${ns}/${o.metadata.name}`);
      if (!info) return o as KubeObject;
      const started = iso(info.start);
      o.metadata.creationTimestamp = started;
      o.status.startTime = started;
      for (const s of o.status.containerStatuses ?? []) if (s.state?.running) s.state.running.startedAt = started;
      Object.assign(o.metadata.labels, info.overlay.podLabels ?? {});
      if (info.overlay.podAnnotations) o.metadata.annotations = {...o.metadata.annotations, ...info.overlay.podAnnotations};
      if (info.overlay.serviceAccount) o.spec.serviceAccountName = info.overlay.serviceAccount;
      if (info.gateway) {
        // A gateway pod is its proxy and nothing else.
        o.spec.containers = o.spec.containers.filter((c: Json) => c.name !== info.app);
        o.status.containerStatuses = o.status.containerStatuses.filter((c: Json) => c.name !== info.app);
      }
      if (info.overlay.proxyVersion) {
        for (const c of [...o.spec.containers, ...o.status.containerStatuses]) {
          if (Object.values(PROXY_CONTAINERS).includes(c.name)) c.image = withTag(c.image, info.overlay.proxyVersion);
        }
        if (o.metadata.annotations?.['linkerd.io/proxy-version']) o.metadata.annotations['linkerd.io/proxy-version'] = info.overlay.proxyVersion;
      }
      return o as KubeObject;
    }
    const info = o.kind === 'ReplicaSet' ? rsOwner.get(o.metadata.name) : ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) ? byWorkload.get(`${ns}/${o.metadata.name}`) : undefined;
    if (info) {
      o.metadata.creationTimestamp = iso(info.start);
      if (info.overlay.podLabels) {
        o.metadata.labels = {...o.metadata.labels, ...info.overlay.podLabels};
        o.spec.template.metadata.labels = {...o.spec.template.metadata.labels, ...info.overlay.podLabels};
      }
      if (info.overlay.podAnnotations && o.spec.template?.metadata) o.spec.template.metadata.annotations = {...o.spec.template.metadata.annotations, ...info.overlay.podAnnotations};
      if (info.overlay.serviceAccount && o.spec.template?.spec) o.spec.template.spec.serviceAccountName = info.overlay.serviceAccount;
      if (info.gateway && o.spec.template?.spec?.containers) {
        o.spec.template.spec.containers = [{name: 'istio-proxy', image: 'auto'}];
        o.spec.template.metadata.annotations = {...o.spec.template.metadata.annotations, 'inject.istio.io/templates': 'gateway'};
      }
    }
    return o as KubeObject;
  });
}

function podReady(pod: Json): boolean {
  return pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
}

/** The port a Service's targetPort names on a pod (numbers as is; names through the containers' ports). */
function targetPortOn(pod: Json, target: number | string | undefined, port: number): number | undefined {
  if (target === undefined) return port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

/** EndpointSlices for selector Services that have none, as the endpointslice controller would write them. */
export function endpointSlices(objects: readonly KubeObject[], now: Date): KubeObject[] {
  const sliced = new Set(objects.filter((o) => o.kind === 'EndpointSlice').map((o) => `${o.metadata.namespace}/${o.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`));
  const pods = objects.filter((o) => o.kind === 'Pod') as Json[];
  const out: KubeObject[] = [];
  for (const svc of objects) {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (svc.kind !== 'Service' || !selector || Object.keys(selector).length === 0 || sliced.has(`${svc.metadata.namespace}/${svc.metadata.name}`)) continue;
    const selected = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && p.status?.podIP && matchesLabels(p.metadata.labels, selector));
    const ports = (svc.spec.ports ?? []) as Json[];
    out.push({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        name: `${svc.metadata.name}-demo`, namespace: svc.metadata.namespace, creationTimestamp: svc.metadata.creationTimestamp ?? iso(now.getTime()),
        labels: {'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'},
      },
      addressType: 'IPv4',
      endpoints: selected.map((p) => ({
        addresses: [p.status.podIP], conditions: {ready: podReady(p), serving: podReady(p), terminating: false},
        ...(p.spec?.nodeName ? {nodeName: p.spec.nodeName} : {}), targetRef: {kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace},
      })),
      ports: ports.map((sp) => ({name: sp.name ?? '', port: (selected[0] && targetPortOn(selected[0], sp.targetPort, sp.port)) ?? sp.port, protocol: sp.protocol ?? 'TCP'})),
    } as KubeObject);
  }
  return out;
}

/** A ClusterIP Service of the manifests without an address gets one, as the API server allocates it. */
function withClusterIp(o: KubeObject): KubeObject {
  const spec = (o as Json).spec;
  if (o.kind !== 'Service' || !spec || spec.clusterIP || spec.type === 'ExternalName') return o;
  return {...o, spec: {...spec, clusterIP: clusterIp(`${o.metadata.namespace}/${o.metadata.name}`)}} as KubeObject;
}

export type WorldOptions = Readonly<{clock?: SimClock}>;

/** Build a scenario's world at the clock's now (certificates are generated here). */
export async function buildWorld(scenario: Scenario, options: WorldOptions = {}): Promise<World> {
  const clock = options.clock ?? systemClock;
  const builtAt = clock.now();
  const now = new Date(builtAt);
  const documents = scenario.manifests.flatMap((f) => {
    try {
      return templateDocuments(f);
    } catch (error) {
      throw new Error(`${f}: ${(error as Error).message}`);
    }
  });
  const [{objects: manifestObjects}, sim] = await Promise.all([renderParsedTemplate(documents, now), Promise.resolve(new TrafficSim(scenario.graph, clock))]);
  const simulated = overlay(simObjects(sim), sim, scenario, now);
  const replaced = new Set<string>();
  for (const o of manifestObjects) {
    const id = identity(o);
    if (replaced.has(id)) throw new Error(`scenario ${scenario.name}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} is defined twice in its manifests`);
    replaced.add(id);
  }
  const objects = [...simulated.filter((o) => !replaced.has(identity(o))), ...manifestObjects].map(withClusterIp);
  objects.push(...endpointSlices(objects, now));

  const simPods = new Set(sim.pods.map((p) => `${p.namespace}/${p.name}`));
  const idlePods: IdlePod[] = [];
  for (const o of objects) {
    if (o.kind !== 'Pod' || simPods.has(`${o.metadata.namespace}/${o.metadata.name}`)) continue;
    const pod = o as Pod;
    const mesh = proxyMeshes(pod).find((m) => m in PROXY_CONTAINERS);
    if (!mesh || pod.status?.phase !== 'Running') continue;
    const proxy = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find((c) => c.name === PROXY_CONTAINERS[mesh]);
    idlePods.push({namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, mesh, version: imageTag(proxy?.image) || 'unknown'});
  }
  return {scenario, sim, builtAt, objects, idlePods};
}
