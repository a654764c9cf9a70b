/** Builders for TUI states: workloads, signals, findings and check results, applied through the reducer. */
import type {WorkloadRef} from '../../src/core/golden.js';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {DEFAULT_OPTIONS} from '../../src/core/options.js';
import type {ClientInboundRow, EdgeRow, InboundRow, LatencyRow, SignalSet} from '../../src/core/signals.js';
import type {CheckResult, Finding, Outcome, Severity, Subject} from '../../src/core/types.js';
import {buildSnapshot, emptyCollection} from '../../src/snapshot/snapshot.js';
import {initialState, reduce} from '../../src/tui/state/reducer.js';
import type {Action, TuiConfig, TuiState} from '../../src/tui/state/types.js';

export const T0 = Date.parse('2024-05-01T12:00:00Z');

export function config(patch: Partial<TuiConfig> = {}): TuiConfig {
  return {refreshSeconds: 2, options: DEFAULT_OPTIONS, scope: 'meshed namespaces', ...patch};
}

export function wl(namespace: string, workload: string, extra: Partial<WorkloadRef> = {}): WorkloadRef {
  return {namespace, workload, kind: 'Deployment', mesh: 'istio', pods: 2, meshedPods: 2, services: [`${namespace}/${workload}`], ...extra};
}

export type Traffic = Readonly<{
  requests: number;
  /** Server side. */
  successes?: number;
  /** Client side; defaults to the server side. */
  clientRequests?: number;
  clientSuccesses?: number;
  flags?: Record<string, number>;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
}>;

/** A SignalSet over `windowSeconds` with one inbound/client/latency row per workload. */
export function signals(traffic: Readonly<Record<string, Traffic>>, windowSeconds = 60, extra: {edges?: EdgeRow[]; source?: 'prometheus' | 'proxies'} = {}): SignalSet {
  const inbound: InboundRow[] = [];
  const clientInbound: ClientInboundRow[] = [];
  const latency: LatencyRow[] = [];
  for (const [key, t] of Object.entries(traffic)) {
    const [namespace, workload] = key.split('/');
    inbound.push({mesh: 'istio', namespace, workload, requests: t.requests, successes: t.successes ?? t.requests});
    clientInbound.push({mesh: 'istio', namespace, workload, requests: t.clientRequests ?? t.requests, successes: t.clientSuccesses ?? t.successes ?? t.requests, ...(t.flags ? {responseFlags: t.flags} : {})});
    latency.push({mesh: 'istio', namespace, workload, latencyMs: {p50: t.p50 ?? 5, p95: t.p95 ?? 20, p99: t.p99 === undefined ? 50 : t.p99}});
  }
  const ok = {istio: {state: 'ok' as const}};
  return {
    source: extra.source ?? 'prometheus',
    at: new Date(T0).toISOString(),
    window: `${windowSeconds}s`,
    windowSeconds,
    signals: {inbound: {rows: inbound, meshes: ok}, clientInbound: {rows: clientInbound, meshes: ok}, latency: {rows: latency, meshes: ok}, edges: {rows: extra.edges ?? [], meshes: ok}, plaintext: {rows: [], meshes: ok}, tcp: {rows: [], meshes: ok}},
  };
}

export function deployment(namespace: string, name: string): Subject {
  return {kind: 'Deployment', apiVersion: 'apps/v1', namespace, name};
}

export function finding(checkId: string, subject: Subject | null, severity: Severity = 'error', message = 'something is wrong'): Finding {
  return {checkId: checkId as Finding['checkId'], severity, subject, message, evidence: {}, runbook: ''};
}

export function result(checkId: string, outcome: Outcome, findings: Finding[] = [], reason?: string, block: CheckResult['check']['block'] = 'traffic-health'): CheckResult {
  return {
    check: {id: checkId as Finding['checkId'], slug: `slug-${checkId.toLowerCase()}`, title: `title of ${checkId}`, block, severity: 'warning', meshes: 'any', runbook: ''},
    outcome, findings, suppressed: [], durationMs: 1, ...(reason ? {reason} : {}),
  };
}

export type StateInput = Readonly<{
  inventory?: readonly WorkloadRef[];
  signals?: SignalSet;
  results?: readonly CheckResult[];
  objects?: readonly KubeObject[];
  size?: Readonly<{columns: number; rows: number}>;
  config?: TuiConfig;
  now?: number;
}>;

/** A snapshot of loose objects (pods, ReplicaSets, events…), by resource key. */
export function snapshotOf(objects: readonly KubeObject[], context = 'test'): ReturnType<typeof buildSnapshot> {
  const byKey: Record<string, KubeObject[]> = {};
  const keyOf: Record<string, string> = {Pod: 'pods', ReplicaSet: 'replicasets.apps', Deployment: 'deployments.apps', Event: 'events', Service: 'services', Namespace: 'namespaces', VirtualService: 'virtualservices.networking.istio.io'};
  for (const o of objects) (byKey[keyOf[o.kind]] ??= []).push(o);
  const availability = Object.fromEntries(Object.keys(byKey).map((k) => [k, {state: 'ok' as const}]));
  return buildSnapshot(emptyCollection({context, objects: byKey, availability, takenAt: new Date(T0).toISOString()}));
}

export function stateWith(input: StateInput = {}): TuiState {
  let s = initialState(input.config ?? config(), input.size ?? {columns: 120, rows: 40}, input.now ?? T0);
  const apply = (a: Action) => (s = reduce(s, a));
  const snapshot = snapshotOf(input.objects ?? []);
  apply({type: 'snapshot', snapshot, inventory: input.inventory ?? [], at: T0});
  apply({type: 'source-ok', source: 'kubernetes', at: T0});
  if (input.signals) {
    apply({type: 'metrics', signals: input.signals, source: input.signals.source === 'proxies' ? 'proxies' : 'prometheus', at: T0});
    apply({type: 'source-ok', source: 'metrics', at: T0, detail: 'test'});
  }
  if (input.results) apply({type: 'checks-done', results: input.results, at: T0});
  return s;
}

export function run(state: TuiState, ...actions: Action[]): TuiState {
  return actions.reduce(reduce, state);
}

export function pod(namespace: string, name: string, owner: {kind: string; name: string}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name, namespace, labels: {app: owner.name}, ownerReferences: [{apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true}]},
    spec: {containers: [{name: 'app', image: 'app:1'}, {name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1'}]},
    status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'app', ready: true, restartCount: 0}, {name: 'istio-proxy', ready: true, restartCount: 1}]},
    ...extra,
  } as KubeObject;
}
