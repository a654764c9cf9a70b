/**
 * The Workload view's model, derived from state: golden metrics over time, what changed on the same
 * time axis (rollouts from ReplicaSet creation times, config edits from the snapshot's last-change
 * times of the objects that apply to the workload, warning Events), inbound and outbound edges with
 * their own golden metrics and response flags, pods with proxy version / readiness / sync status,
 * the effective Istio configuration (src/mesh/istio/describe.ts) and the workload's findings. Pure.
 */
import type {EdgeMetrics, WorkloadRef} from '../../core/golden.js';
import {ago, callerEnvoy, callerEnvoyText, trafficOf, upstreamHosts} from '../../runbooks/context-summary.js';
import {findingContext} from '../../runbooks/finding-context.js';
import {serviceHost} from './pod.js';
import {edgeMetrics} from '../../core/golden.js';
import type {Pod} from '../../core/kube-types/index.js';
import {subjectKey, subjectOf} from '../../core/subjects.js';
import type {Finding, MeshName, Subject} from '../../core/types.js';
import type {Description} from '../../mesh/istio/describe.js';
import {describedSubjects, describeIstio} from '../../mesh/istio/describe.js';
import {connectedProxies, typeStatuses} from '../../mesh/istio/syncz.js';
import {proxyContainer, proxyMeshes} from '../../mesh/markers.js';
import {podReady} from '../../mesh/readiness.js';
import type {TimelineEvent} from '../../snapshot/changes.js';
import {timeline} from '../../snapshot/changes.js';
import type {Snapshot} from '../../snapshot/snapshot.js';
import {worseFinding, workloadKey} from './findings.js';
import {lastValue} from './memo.js';
import type {ServiceRow} from './services.js';
import {serviceRows} from './services.js';
import type {HistoryPoint, TuiState} from './types.js';

export type {TimelineEvent} from '../../snapshot/changes.js';

export type PodLine = Readonly<{name: string; phase: string; ready: boolean; restarts: number; proxy: string | null; sync: string | null}>;

export type EdgeLine = Readonly<{
  direction: 'in' | 'out';
  /** `namespace/workload` of the other end, or `namespace/service (no pod)` when nothing answered. */
  peer: string;
  /** Workload key to open with enter. */
  peerKey?: string;
  rps: number;
  success: number | null;
  p99: number | null;
  flags: readonly Readonly<{flag: string; rps: number}>[];
  /** `namespace/service` the requests were sent to (when the metrics name it). */
  service?: string;
  /** The pod whose sidecar sent them (the caller's side: its Envoy knows the upstream), and the upstream's FQDN. */
  proxy?: Readonly<{namespace: string; pod: string; host?: string}>;
}>;

export type DetailLine =
  | Readonly<{kind: 'heading'; text: string}>
  | Readonly<{kind: 'text'; text: string; tone?: 'dim' | 'warn' | 'error'}>
  | Readonly<{kind: 'edge'; edge: EdgeLine}>
  | Readonly<{kind: 'pod'; pod: PodLine}>
  | Readonly<{kind: 'finding'; finding: Finding}>
  | Readonly<{kind: 'change'; change: TimelineEvent}>;

export type WorkloadDetail = Readonly<{
  key: string;
  namespace: string;
  workload: string;
  subject: Subject;
  row?: ServiceRow;
  ref?: WorkloadRef;
  history: readonly HistoryPoint[];
  timeline: readonly TimelineEvent[];
  lines: readonly DetailLine[];
}>;

export function isSelectable(line: DetailLine): boolean {
  return line.kind === 'edge' || line.kind === 'finding' || line.kind === 'pod';
}

const API_VERSION: Readonly<Record<string, string>> = {Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1', Pod: 'v1'};

function podsOf(snapshot: Snapshot | undefined, namespace: string, workload: string): Pod[] {
  if (!snapshot) return [];
  return snapshot.objects.list('pods', namespace).filter((p) => snapshot.workloads.ownerOf(p).name === workload) as Pod[];
}

function proxyVersion(pod: Pod): string | null {
  const mesh = proxyMeshes(pod)[0] as MeshName | undefined;
  if (!mesh) return null;
  if (mesh === 'linkerd') {
    const annotated = pod.metadata.annotations?.['linkerd.io/proxy-version'];
    if (annotated) return annotated;
  }
  const image = proxyContainer(pod, mesh)?.image;
  const tag = image?.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : undefined;
  return tag ? `${mesh} ${tag}` : mesh;
}

const SYNC_ORDER = ['ERROR', 'STALE', 'NOT SENT', 'SYNCED', 'IGNORED'];

/** The proxy's xDS sync status as istiod reports it (worst type first); null when not known. */
function syncStatus(snapshot: Snapshot | undefined, pod: Pod): string | null {
  if (!snapshot || !proxyMeshes(pod).includes('istio')) return null;
  const fact = snapshot.facts.get('istioSyncz');
  if (!fact.value) return fact.state.state === 'unavailable' ? null : 'unknown';
  const id = `${pod.metadata.name}.${pod.metadata.namespace}`;
  const connected = connectedProxies(fact.value).find((c) => c.proxy.proxy === id);
  if (!connected) return 'not connected';
  const statuses = typeStatuses(connected.proxy).map((s) => s.status as string);
  return SYNC_ORDER.find((s) => statuses.includes(s)) ?? 'SYNCED';
}

function podLine(snapshot: Snapshot | undefined, pod: Pod): PodLine {
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return {name: pod.metadata.name, phase: pod.status?.phase ?? 'Unknown', ready: podReady(pod), restarts, proxy: proxyVersion(pod), sync: syncStatus(snapshot, pod)};
}

function flagsOf(e: EdgeMetrics): {flag: string; rps: number}[] {
  return Object.entries(e.responseFlags ?? {}).filter(([f, v]) => v > 0 && f !== '-').map(([flag, rps]) => ({flag, rps})).sort((a, b) => b.rps - a.rps);
}

/** Inbound and outbound edges of one workload, busiest first. */
export function workloadEdges(edges: readonly EdgeMetrics[], namespace: string, workload: string, services: readonly string[]): EdgeLine[] {
  const out: EdgeLine[] = [];
  for (const e of edges) {
    const inbound = e.dstNamespace === namespace && (e.dstWorkload === workload || (!e.dstWorkload && e.dstService !== undefined && services.includes(`${e.dstNamespace}/${e.dstService}`)));
    if (inbound) {
      const via = e.dstWorkload ? '' : ` → Service ${e.dstService}, no pod answered`;
      out.push({direction: 'in', peer: `${e.srcNamespace}/${e.srcWorkload}${via}`, peerKey: workloadKey(e.srcNamespace, e.srcWorkload), rps: e.rps, success: e.successRate, p99: e.latencyMs?.p99 ?? null, flags: flagsOf(e), ...(e.dstService ? {service: `${e.dstNamespace}/${e.dstService}`} : {})});
    }
    if (e.srcNamespace === namespace && e.srcWorkload === workload) {
      const peer = e.dstWorkload ? `${e.dstNamespace}/${e.dstWorkload}` : `${e.dstNamespace}/${e.dstService ?? '?'} (no pod answered)`;
      out.push({direction: 'out', peer, ...(e.dstWorkload ? {peerKey: workloadKey(e.dstNamespace, e.dstWorkload)} : {}), rps: e.rps, success: e.successRate, p99: e.latencyMs?.p99 ?? null, flags: flagsOf(e), ...(e.dstService ? {service: `${e.dstNamespace}/${e.dstService}`} : {})});
    }
  }
  return out.sort((a, b) => (a.direction === b.direction ? b.rps - a.rps : a.direction === 'in' ? -1 : 1));
}

/** The pod whose sidecar sent an edge's requests (the caller's side), and the upstream they went to. */
function withProxy(state: TuiState, e: EdgeLine, namespace: string, workload: string): EdgeLine {
  const snapshot = state.data.snapshot;
  if (!snapshot) return e;
  const [callerNs, callerWl] = e.direction === 'in' ? (e.peerKey ?? '').split('/') : [namespace, workload];
  const pod = (snapshot.objects.list('pods', callerNs) as readonly Pod[]).filter((p) => p.status?.phase === 'Running' && snapshot.workloads.ownerOf(p).name === callerWl && proxyMeshes(p).length > 0)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  if (!pod) return e;
  const host = e.service ? serviceHost(e.service.split('/')[0], e.service.split('/')[1], state.config.options.clusterDomain) : undefined;
  return {...e, proxy: {namespace: callerNs, pod: pod.metadata.name, ...(host ? {host} : {})}};
}

/**
 * A finding's context in a few lines: the route and weights that send traffic there, the failing
 * callers — with what the first caller's Envoy sees of the upstream when it has been read — and the
 * change that preceded it.
 */
function findingContextLines(state: TuiState, f: Finding, edges: readonly EdgeMetrics[]): string[] {
  const snapshot = state.data.snapshot;
  const subject = f.subject;
  if (!snapshot || !subject?.namespace) return [];
  const ctx = findingContext(subject, snapshot, {edges, ...(state.config.options.clusterDomain ? {clusterDomain: state.config.options.clusterDomain} : {})});
  const t = trafficOf(ctx);
  const out: string[] = [];
  for (const r of t.routes.slice(0, 2)) out.push(`↳ routed by ${r.route}: ${r.weights.map((w) => `${w.share}% ${w.host}${w.here ? ' ←' : ''}`).join(', ')}`);
  const caller = t.callers.find((c) => c.failingRps > 0);
  if (caller) {
    const pod = (snapshot.objects.list('pods', caller.namespace) as readonly Pod[]).filter((p) => p.status?.phase === 'Running' && snapshot.workloads.ownerOf(p).name === caller.workload)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
    const envoy = pod ? state.data.pods[`${caller.namespace}/${pod.metadata.name}`]?.envoy : undefined;
    const seen = pod && envoy?.endpoints ? `; ${callerEnvoyText(callerEnvoy(caller.namespace, pod.metadata.name, envoy.endpoints, upstreamHosts(ctx, state.config.options.clusterDomain)))}` : '';
    out.push(`↳ caller ${caller.namespace}/${caller.workload}: ${caller.failingRps.toFixed(1)} of ${caller.rps.toFixed(1)} rps failing${caller.flags.length ? ` (${caller.flags.join(' ')})` : ''}${seen}`);
  }
  if (t.precededBy) out.push(`↳ preceded by ${t.precededBy.text}, ${ago(state.now - Date.parse(t.precededBy.at))}`);
  return out;
}

function describeLines(d: Description): DetailLine[] {
  const lines: DetailLine[] = [];
  const text = (t: string, tone?: 'dim' | 'warn') => lines.push({kind: 'text', text: t, ...(tone ? {tone} : {})});
  text(`mTLS (workload): ${d.peerAuthentication.mode} — ${d.peerAuthentication.source}`);
  for (const s of d.services) {
    text(`Service ${s.name} (${s.host})`);
    for (const p of s.ports) text(`  port ${p.port}${p.name ? `/${p.name}` : ''} → ${p.targetPort ?? '?'}: mTLS ${p.mtls} (${p.mtlsSource})`, 'dim');
    for (const vs of s.virtualServices) text(`  VirtualService ${vs.name} via ${vs.gateways.join(', ')}${vs.subsets.length ? `; subsets ${vs.subsets.join(', ')}` : ''}`);
    for (const dr of s.destinationRules) text(`  DestinationRule ${dr.name}${dr.tlsMode ? ` tls ${dr.tlsMode}` : ''}; these pods are in ${dr.matchingSubsets.join(', ') || 'no subset'}`);
  }
  text(`AuthorizationPolicies: ${d.authorizationPolicies.map((a) => `${a.name} (${a.action})`).join(', ') || 'none'}`);
  text(`Sidecar resource: ${d.sidecarResource ?? 'none (mesh defaults)'}`);
  for (const w of d.warnings) text(`⚠ ${w}`, 'warn');
  return lines;
}

const detailMemo = lastValue<WorkloadDetail>();

export function workloadDetail(state: TuiState, namespace: string, workload: string): WorkloadDetail {
  const d = state.data;
  return detailMemo([namespace, workload, d.snapshot, d.signals, d.results, d.history, d.inventory, d.golden, state.config, d.pods], () => buildDetail(state, namespace, workload));
}

function buildDetail(state: TuiState, namespace: string, workload: string): WorkloadDetail {
  const d = state.data;
  const key = workloadKey(namespace, workload);
  const ref = d.inventory.find((w) => w.namespace === namespace && w.workload === workload);
  const row = serviceRows({...state, namespace: null, services: {...state.services, filter: ''}}).find((r) => r.key === key);
  const kind = ref?.kind ?? 'Deployment';
  const subject: Subject = {kind, apiVersion: API_VERSION[kind] ?? 'apps/v1', namespace, name: workload};
  const pods = podsOf(d.snapshot, namespace, workload);
  const snapshot = d.snapshot;
  const istio = snapshot?.meshes.find((m) => m.name === 'istio');
  let description: Description | undefined;
  if (snapshot && istio && pods.some((p) => proxyMeshes(p).includes('istio'))) {
    description = describeIstio(snapshot.objects, subject, pods, {clusterDomain: state.config.options.clusterDomain, rootNamespace: istio.rootNamespace ?? istio.namespace ?? 'istio-system'});
  }
  const related = description ? describedSubjects(description, pods.map(subjectOf)) : new Set([subjectKey(subject), ...pods.map((p) => subjectKey(subjectOf(p)))]);
  for (const s of ref?.services ?? []) related.add(`Service ${s}`);
  const findings = d.results.flatMap((r) => r.findings).filter((f) => f.subject && (related.has(subjectKey(f.subject)) || (f.subject.kind === 'ReplicaSet' && f.subject.namespace === namespace && f.subject.name.startsWith(`${workload}-`)))).sort(worseFinding);

  const lines: DetailLine[] = [];
  lines.push({kind: 'heading', text: `Findings (${findings.length})`});
  if (findings.length === 0) lines.push({kind: 'text', text: d.checksAt ? 'none: every check that applies passes' : 'checks have not run yet', tone: 'dim'});
  const allEdges = d.signals ? edgeMetrics(d.signals) : [];
  for (const f of findings) {
    lines.push({kind: 'finding', finding: f});
    for (const text of findingContextLines(state, f, allEdges)) lines.push({kind: 'text', text, tone: 'dim'});
  }
  const changes = timeline(snapshot, namespace, workload, pods, related);
  lines.push({kind: 'heading', text: `What changed (${changes.length})`});
  if (changes.length === 0) lines.push({kind: 'text', text: snapshot ? 'no rollout, config edit or warning event on record' : 'waiting for the cluster', tone: 'dim'});
  for (const c of [...changes].reverse().slice(0, 8)) lines.push({kind: 'change', change: c});
  if (changes.length > 8) lines.push({kind: 'text', text: `… and ${changes.length - 8} older`, tone: 'dim'});
  const edges = workloadEdges(allEdges, namespace, workload, ref?.services ?? []).map((e) => withProxy(state, e, namespace, workload));
  lines.push({kind: 'heading', text: `Inbound (${edges.filter((e) => e.direction === 'in').length})`});
  for (const e of edges.filter((x) => x.direction === 'in')) lines.push({kind: 'edge', edge: e});
  const sender = row?.golden?.basis === 'outbound';
  if (!edges.some((e) => e.direction === 'in')) lines.push({kind: 'text', text: !d.signals ? 'no metrics yet' : sender ? 'no meshed callers: its clients are outside the mesh (a gateway reports only what it sends)' : 'no callers in the window', tone: 'dim'});
  lines.push({kind: 'heading', text: `Outbound (${edges.filter((e) => e.direction === 'out').length})`});
  for (const e of edges.filter((x) => x.direction === 'out')) lines.push({kind: 'edge', edge: e});
  if (!edges.some((e) => e.direction === 'out')) lines.push({kind: 'text', text: d.signals ? 'no calls in the window' : 'no metrics yet', tone: 'dim'});
  lines.push({kind: 'heading', text: `Pods (${pods.length})`});
  for (const p of pods) lines.push({kind: 'pod', pod: podLine(snapshot, p)});
  if (pods.length === 0) lines.push({kind: 'text', text: snapshot ? 'no pods' : 'waiting for the cluster', tone: 'dim'});
  lines.push({kind: 'heading', text: 'Effective mesh configuration'});
  if (description) lines.push(...describeLines(description));
  else lines.push({kind: 'text', text: istio ? 'no Istio sidecar in these pods' : 'shown for Istio workloads (istioctl describe equivalent)', tone: 'dim'});

  return {
    key, namespace, workload, subject,
    ...(row ? {row} : {}),
    ...(ref ? {ref} : {}),
    history: d.history[key]?.points() ?? [],
    timeline: changes,
    lines,
  };
}
