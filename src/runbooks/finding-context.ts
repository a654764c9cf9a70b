/**
 * What a finding is about, resolved against the real objects: the subject, the workload and pods
 * behind it (through ownerReferences, or the Service's selector), the label selector that finds
 * those pods, the Services in front of them, the routes that send traffic there with their weights,
 * the callers whose requests fail (from the edge metrics), and the change that preceded it (the
 * newest rollout or config edit on the "what changed" timeline). Runbooks are filled from it and the
 * TUI and `describe` show it. Pure.
 */
import type {EdgeMetrics} from '../core/golden.js';
import type {Container, KubeObject, LabelSelector, Pod, ReplicaSet, Service} from '../core/kube-types/index.js';
import type {ResourceKey} from '../core/resources.js';
import {groupOf, resourceTypeFor} from '../core/resources.js';
import {selectorText} from '../core/selectors.js';
import {subjectKey, subjectOf} from '../core/subjects.js';
import type {Subject} from '../core/types.js';
import {PROXY_CONTAINERS, proxyMeshes} from '../mesh/markers.js';
import {ROUTE_KINDS} from '../mesh/gateway-api/routes.js';
import type {RoutingRule} from '../mesh/routes-to.js';
import {routesTo, servicesSelectingLabels} from '../mesh/routes-to.js';
import type {TimelineEvent} from '../snapshot/changes.js';
import {replicaSetsOf, timeline} from '../snapshot/changes.js';
import type {Snapshot} from '../snapshot/snapshot.js';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);

/** Kinds a finding's context reads beyond the base collection: Services, routes, rollouts and Events. */
export const CONTEXT_KINDS: readonly ResourceKey[] = ['services', 'events', 'replicasets.apps', 'virtualservices.networking.istio.io', ...ROUTE_KINDS];

/** kubectl's resource name for a kind meshdoctor reads (`deployment`, `virtualservices.networking.istio.io`). */
const KUBECTL_RESOURCE: Readonly<Record<string, string>> = {
  Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset', Job: 'job', CronJob: 'cronjob', ReplicaSet: 'replicaset',
  Pod: 'pod', Service: 'service', Namespace: 'namespace', Secret: 'secret', ConfigMap: 'configmap', ServiceAccount: 'serviceaccount',
  MutatingWebhookConfiguration: 'mutatingwebhookconfiguration', ValidatingWebhookConfiguration: 'validatingwebhookconfiguration',
};

export type CallerEdge = Readonly<{namespace: string; workload: string; rps: number; failing: number; flags: readonly string[];
  /** `namespace/name` of the Services its requests were sent to (the upstreams its Envoy has clusters for). */
  services: readonly string[]}>;

export type FindingContext = Readonly<{
  subject: Subject | null;
  object?: KubeObject;
  /** The workload behind the subject (its top owner, or the one workload a Service selects). */
  workload?: Subject;
  workloadObject?: KubeObject;
  /** Why there is no workload, when there is none. */
  workloadGap?: string;
  pods: readonly Pod[];
  /** The label selector that finds the pods (kubectl `-l` syntax). */
  selector?: string;
  selectorGap?: string;
  /** Services in front of the pods (the subject first when it is one). */
  services: readonly Service[];
  /** Route rules sending traffic to those Services. */
  routes: readonly RoutingRule[];
  /** Callers whose requests to the subject fail, worst first (empty without edge metrics). */
  callers: readonly CallerEdge[];
  /** The newest rollout or config edit on the workload's timeline, at or before `now`. */
  precededBy?: TimelineEvent;
  /** The Deployment's revision before the current one (`rollout undo --to-revision`). */
  previousRevision?: number;
  revisionGap?: string;
}>;

export type ContextOptions = Readonly<{
  edges?: readonly EdgeMetrics[];
  clusterDomain?: string;
  now?: number;
}>;

function running(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => Number(b.status?.phase === 'Running') - Number(a.status?.phase === 'Running') || a.metadata.name.localeCompare(b.metadata.name));
}

/** kubectl's `TYPE` for an object: a short built-in name, or `plural.group` for custom resources. */
export function kubectlResource(subject: Pick<Subject, 'apiVersion' | 'kind'>): string {
  const builtin = KUBECTL_RESOURCE[subject.kind];
  if (builtin) return builtin;
  const known = resourceTypeFor(subject.apiVersion, subject.kind)?.key;
  if (known) return known;
  const group = groupOf(subject.apiVersion);
  return `${subject.kind.toLowerCase()}s${group ? `.${group}` : ''}`;
}

function workloadSelector(o: KubeObject | undefined): LabelSelector | undefined {
  const spec = (o as {spec?: {selector?: LabelSelector; jobTemplate?: {spec?: {selector?: LabelSelector}}}} | undefined)?.spec;
  return spec?.selector ?? spec?.jobTemplate?.spec?.selector;
}

function templateLabels(o: KubeObject | undefined): Record<string, string> | undefined {
  return (o as {spec?: {template?: {metadata?: {labels?: Record<string, string>}}}} | undefined)?.spec?.template?.metadata?.labels;
}

/** The previous revision of a Deployment (the one `rollout undo` goes back to), or why there is none. */
export function previousRevision(snapshot: Snapshot, namespace: string, deployment: string): {revision?: number; gap?: string} {
  const revisions = replicaSetsOf(snapshot, namespace, deployment)
    .map((rs: ReplicaSet) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => b - a);
  if (revisions.length >= 2) return {revision: revisions[1]};
  return {gap: `deployment ${namespace}/${deployment} has ${revisions.length === 0 ? 'no recorded revision' : `only revision ${revisions[0]}`}: there is nothing to roll back to`};
}

/** The container of a pod that runs the application (not the mesh proxy or its init). */
export function appContainer(pod: Pod): Container | undefined {
  const proxies = new Set(Object.values(PROXY_CONTAINERS).flat());
  return (pod.spec?.containers ?? []).find((c) => !proxies.has(c.name));
}

/** The mesh proxy container of a pod. */
export function proxyContainerName(pod: Pod): string | undefined {
  const mesh = proxyMeshes(pod)[0];
  if (!mesh) return undefined;
  const names = new Set(PROXY_CONTAINERS[mesh]);
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => names.has(c.name))?.name;
}

function ownerWorkload(snapshot: Snapshot, pods: readonly Pod[]): {workload?: Subject; gap?: string} {
  const owners = new Map<string, Subject>();
  for (const p of pods) {
    const o = snapshot.workloads.ownerOf(p);
    owners.set(subjectKey(o), o);
  }
  if (owners.size === 1) return {workload: [...owners.values()][0]};
  if (owners.size === 0) return {gap: 'no pod is selected'};
  return {gap: `the pods belong to ${owners.size} workloads (${[...owners.values()].map((o) => o.name).sort().join(', ')})`};
}

/** Services in front of the pods: the subject first, then the most specific selector (a canary's own Service before the apex). */
function orderServices(services: readonly Service[], subject: Subject | null, routed: ReadonlySet<string>): Service[] {
  const key = (s: Service) => `${s.metadata.namespace}/${s.metadata.name}`;
  const rank = (s: Service) => (subject?.kind === 'Service' && subject.name === s.metadata.name ? -1000 : 0) - (routed.has(key(s)) ? 100 : 0) - Object.keys(s.spec?.selector ?? {}).length;
  return [...services].sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name));
}

function callersOf(edges: readonly EdgeMetrics[] | undefined, namespace: string, workloads: ReadonlySet<string>, services: ReadonlySet<string>): CallerEdge[] {
  const out = new Map<string, {namespace: string; workload: string; rps: number; failing: number; flags: Set<string>; services: Set<string>}>();
  for (const e of edges ?? []) {
    const toWorkload = e.dstWorkload !== undefined && workloads.has(`${e.dstNamespace}/${e.dstWorkload}`);
    const toService = e.dstService !== undefined && services.has(`${e.dstNamespace}/${e.dstService}`);
    if (e.dstNamespace !== namespace || !(toWorkload || toService)) continue;
    const k = `${e.srcNamespace}/${e.srcWorkload}`;
    const row = out.get(k) ?? {namespace: e.srcNamespace, workload: e.srcWorkload, rps: 0, failing: 0, flags: new Set<string>(), services: new Set<string>()};
    if (e.dstService) row.services.add(`${e.dstNamespace}/${e.dstService}`);
    row.rps += e.rps;
    row.failing += e.successRate === null ? 0 : e.rps * (1 - e.successRate);
    for (const [f, v] of Object.entries(e.responseFlags ?? {})) if (v > 0 && f !== '-') row.flags.add(f);
    out.set(k, row);
  }
  return [...out.values()].map((r) => ({...r, flags: [...r.flags].sort(), services: [...r.services].sort()})).filter((r) => r.workload !== 'unknown').sort((a, b) => b.failing - a.failing || b.rps - a.rps);
}

export function findingContext(subject: Subject | null, snapshot: Snapshot | undefined, options: ContextOptions = {}): FindingContext {
  const empty: FindingContext = {subject, pods: [], services: [], routes: [], callers: []};
  if (!subject || !snapshot || !subject.namespace) return {...empty, ...(snapshot && subject ? {object: snapshot.objectFor(subject)} : {})};
  const ns = subject.namespace;
  const object = snapshot.objectFor(subject);
  let workload: Subject | undefined;
  let workloadGap: string | undefined;
  let pods: Pod[] = [];
  let selector: string | undefined;
  let selectorGap: string | undefined;
  const allPods = snapshot.objects.list('pods', ns) as readonly Pod[];
  if (WORKLOAD_KINDS.has(subject.kind) || subject.kind === 'ReplicaSet') {
    const owner = subject.kind === 'ReplicaSet'
      ? (object?.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment'))
      : undefined;
    workload = owner ? {kind: 'Deployment', apiVersion: 'apps/v1', namespace: ns, name: owner.name} : subject;
    pods = allPods.filter((p) => subjectKey(snapshot.workloads.ownerOf(p)) === subjectKey(workload!));
  } else if (subject.kind === 'Pod') {
    const pod = object as Pod | undefined;
    if (pod) {
      pods = [pod];
      workload = snapshot.workloads.ownerOf(pod);
    }
  } else if (subject.kind === 'Service') {
    const sel = (object as Service | undefined)?.spec?.selector;
    if (!object) selectorGap = `Service ${ns}/${subject.name} is not in the snapshot`;
    else if (!sel || Object.keys(sel).length === 0) selectorGap = `Service ${ns}/${subject.name} has no selector (its endpoints are managed by hand)`;
    else {
      selector = selectorText(sel);
      pods = allPods.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
      const owned = ownerWorkload(snapshot, pods);
      workload = owned.workload;
      workloadGap = owned.gap;
    }
  }
  const workloadObject = workload ? snapshot.objectFor(workload) : undefined;
  if (workload && !selector && subject.kind !== 'Service') {
    const sel = workloadSelector(workloadObject);
    if (sel) selector = selectorText(sel);
    else if (workload.kind === 'Pod') selectorGap = `pod ${ns}/${workload.name} has no owner: select it by name`;
    else selectorGap = `${workload.kind} ${ns}/${workload.name} is not in the snapshot`;
  }
  if (!workload && !workloadGap && subject.kind !== 'Service') workloadGap = `${subject.kind} ${ns}/${subject.name} is not a workload, pod or Service`;
  // Services in front of the pods (by their labels, or the workload's template labels when no pod runs).
  const labels = pods[0]?.metadata.labels ?? templateLabels(workloadObject);
  const selecting = servicesSelectingLabels(snapshot.objects, ns, labels);
  if (subject.kind === 'Service' && object && !selecting.some((s) => s.metadata.name === subject.name)) selecting.unshift(object as Service);
  const istio = snapshot.meshes.find((m) => m.name === 'istio');
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const serviceKeys = new Set(selecting.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const routes = routesTo(snapshot.objects, serviceKeys, {clusterDomain, rootNamespace: istio?.rootNamespace ?? istio?.namespace ?? 'istio-system'});
  // A route that splits by weight names the Service it sends this workload's share to.
  const routed = new Set(routes.flatMap((r) => (r.destinations.length > 1 ? r.destinations.map((d) => d.service ?? '') : [])));
  const services = orderServices(selecting, subject, routed);
  const workloadKeys = new Set(workload ? [`${workload.namespace}/${workload.name}`] : []);
  const callerServices = subject.kind === 'Service' ? new Set([`${ns}/${subject.name}`]) : serviceKeys;
  const callers = callersOf(options.edges, ns, workloadKeys, callerServices);
  // The change before now: the workload's rollouts and config edits of what routes to it.
  const related = new Set<string>([subjectKey(subject), ...services.map((s) => subjectKey(subjectOf(s))), ...routes.map((r) => `${r.kind} ${r.namespace}/${r.name}`)]);
  if (workload) related.add(subjectKey(workload));
  const now = options.now ?? Date.parse(snapshot.takenAt);
  const changes = timeline(snapshot, ns, workload?.name ?? subject.name, pods, related).filter((c) => c.kind !== 'event' && c.t <= now);
  const precededBy = changes.at(-1);
  const revision = workload?.kind === 'Deployment' ? previousRevision(snapshot, ns, workload.name) : {gap: workload ? `${workload.kind} ${ns}/${workload.name} is not a Deployment: \`rollout undo\` works on its controller revisions instead` : workloadGap};
  return {
    subject, ...(object ? {object} : {}),
    ...(workload ? {workload} : {}), ...(workloadObject ? {workloadObject} : {}), ...(workloadGap ? {workloadGap} : {}),
    pods: running(pods),
    ...(selector ? {selector} : {}), ...(selectorGap ? {selectorGap} : {}),
    services, routes, callers,
    ...(precededBy ? {precededBy} : {}),
    ...(revision.revision !== undefined ? {previousRevision: revision.revision} : {}),
    ...(revision.gap ? {revisionGap: revision.gap} : {}),
  };
}
