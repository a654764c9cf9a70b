/**
 * GoldenMetrics (docs/design.md §4): the per-workload and per-edge view over a SignalSet that `stat` and
 * the TUI render — and the TUI's history, step by step: this is the one definition of each golden
 * signal. Pure: computed from the signals plus the snapshot's workloads (or, without a cluster, the
 * workloads the metric labels name). No traffic in the window → success rates and latencies are
 * null, never 0 or NaN; a signal that is absent for the mesh → null too.
 *
 * A workload's figures are those of the requests it received (`basis: 'inbound'`), unless it
 * received none its proxy could report and sent some: an ingress or egress gateway (Istio reports
 * gateway traffic only with reporter="source", from the gateway), a job, a client. Then they are
 * those of the requests it sent, as its own proxy saw them (`basis: 'outbound'`) — what a gateway's
 * clients got back.
 */
import type {EdgeRow, LatencyMs, SignalSet} from './signals.js';
import type {MeshName} from './types.js';

export type WorkloadRef = Readonly<{
  namespace: string;
  workload: string;
  /** Deployment, StatefulSet…; null when only metric labels named it. */
  kind: string | null;
  mesh: MeshName;
  pods: number | null;
  meshedPods: number | null;
  /** `namespace/name` of the Services selecting its pods: client-side failures that never reached a pod are attributed through them. */
  services?: readonly string[];
}>;

export type GoldenMetrics = Readonly<{
  namespace: string;
  workload: string;
  kind: string | null;
  mesh: MeshName;
  meshedPods: number | null;
  pods: number | null;
  /** Server side (inbound). */
  successRate: number | null;
  /** As callers see it (Istio reporter="source", Linkerd outbound): includes requests that never reached a pod. */
  clientSuccessRate: number | null;
  /** Success of the requests it sent, as its own proxy saw them; null when it sent none. */
  outboundSuccessRate: number | null;
  /** Which requests `rps`, `latencyMs` and `responseFlags` describe: those it received, or (a gateway, a client) those it sent. */
  basis: 'inbound' | 'outbound';
  /** Requests per second (inbound: the larger of what servers and callers counted); null when unknown. */
  rps: number | null;
  latencyMs: LatencyMs;
  tcpConnections?: number;
  /** Share of inbound requests and connections with mTLS. */
  mtlsShare: number | null;
  /** Requests per second per Envoy response flag, as callers saw them (outbound: as it saw its own requests); null when the label is absent. */
  responseFlags: Readonly<Record<string, number>> | null;
  window: string;
  source: SignalSet['source'];
}>;

export type EdgeMetrics = Readonly<{
  mesh: MeshName;
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace: string;
  dstWorkload?: string;
  dstService?: string;
  rps: number;
  successRate: number | null;
  latencyMs: LatencyMs | null;
  responseFlags: Readonly<Record<string, number>> | null;
}>;

const NO_LATENCY: LatencyMs = {p50: null, p95: null, p99: null};

function key(namespace: string, workload: string): string {
  return `${namespace}/${workload}`;
}

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function ok(set: SignalSet, name: keyof SignalSet['signals'], mesh: MeshName): boolean {
  const state = set.signals[name]?.meshes[mesh];
  return state?.state === 'ok';
}

/** The workloads metric labels name, when no cluster says which exist. */
export function workloadsFromSignals(set: SignalSet): WorkloadRef[] {
  const seen = new Map<string, WorkloadRef>();
  const add = (mesh: MeshName, namespace: string | undefined, workload: string | undefined, kind?: string) => {
    if (!namespace || !workload) return;
    const k = key(namespace, workload);
    const prev = seen.get(k);
    if (!prev || (kind && !prev.kind)) seen.set(k, {namespace, workload, kind: kind ?? prev?.kind ?? null, mesh, pods: null, meshedPods: null});
  };
  for (const r of set.signals.inbound?.rows ?? []) add(r.mesh, r.namespace, r.workload, r.kind);
  for (const r of set.signals.clientInbound?.rows ?? []) add(r.mesh, r.namespace, r.workload);
  for (const r of set.signals.latency?.rows ?? []) add(r.mesh, r.namespace, r.workload);
  for (const r of set.signals.tcp?.rows ?? []) add(r.mesh, r.namespace, r.workload);
  // Workloads that only send: gateways, jobs, clients.
  for (const r of set.signals.edges?.rows ?? []) add(r.mesh, r.srcNamespace, r.srcWorkload);
  return [...seen.values()];
}

type ClientTally = {requests: number; successes: number; flags?: Record<string, number>};

/** Adds requests, successes and flag counts to the tally kept under `k`. */
function tally(into: Map<string, ClientTally>, k: string, requests: number, successes: number, flags: Readonly<Record<string, number>> | undefined): void {
  const row = into.get(k) ?? {requests: 0, successes: 0};
  row.requests += requests;
  row.successes += successes;
  if (flags) {
    row.flags ??= {};
    for (const [flag, n] of Object.entries(flags)) row.flags[flag] = (row.flags[flag] ?? 0) + n;
  }
  into.set(k, row);
}

/**
 * Requests callers sent to a Service that never reached a pod (UH, UF, UO, NR: destination workload
 * unknown) count against the workloads behind that Service, split by their share of its traffic.
 * Mutates `client` (keyed `namespace/workload`). Shared by the golden view and MD6001.
 */
export function attributeThroughServices(client: Map<string, ClientTally>, edges: readonly EdgeRow[], workloads: readonly Pick<WorkloadRef, 'namespace' | 'workload' | 'services'>[]): void {
  const unattributed = new Map<string, {requests: number; successes: number; flags: Record<string, number>}>();
  for (const e of edges) {
    if (e.dstWorkload || !e.dstService) continue;
    const k = key(e.dstNamespace, e.dstService);
    const row = unattributed.get(k) ?? {requests: 0, successes: 0, flags: {}};
    row.requests += e.requests;
    row.successes += e.successes;
    for (const [flag, n] of Object.entries(e.responseFlags ?? {})) row.flags[flag] = (row.flags[flag] ?? 0) + n;
    unattributed.set(k, row);
  }
  const behind = new Map<string, string[]>();
  for (const w of workloads) for (const svc of w.services ?? []) behind.set(svc, [...(behind.get(svc) ?? []), key(w.namespace, w.workload)]);
  for (const [svc, row] of unattributed) {
    const owners = behind.get(svc) ?? [];
    const weights = owners.map((o) => client.get(o)?.requests ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    owners.forEach((o, i) => {
      const share = total > 0 ? weights[i] / total : 1 / owners.length;
      const c = client.get(o) ?? {requests: 0, successes: 0};
      c.requests += row.requests * share;
      c.successes += row.successes * share;
      if (Object.keys(row.flags).length) {
        c.flags ??= {};
        for (const [flag, n] of Object.entries(row.flags)) c.flags[flag] = (c.flags[flag] ?? 0) + n * share;
      }
      client.set(o, c);
    });
  }
}

export function goldenMetrics(set: SignalSet, workloads: readonly WorkloadRef[] = workloadsFromSignals(set)): GoldenMetrics[] {
  const seconds = set.windowSeconds > 0 ? set.windowSeconds : 1;
  const inbound = new Map<string, {requests: number; successes: number}>();
  for (const r of set.signals.inbound?.rows ?? []) {
    const row = inbound.get(key(r.namespace, r.workload)) ?? {requests: 0, successes: 0};
    row.requests += r.requests;
    row.successes += r.successes;
    inbound.set(key(r.namespace, r.workload), row);
  }
  const client = new Map<string, ClientTally>();
  for (const r of set.signals.clientInbound?.rows ?? []) tally(client, key(r.namespace, r.workload), r.requests, r.successes, r.responseFlags);
  attributeThroughServices(client, set.signals.edges?.rows ?? [], workloads);
  const latency = new Map<string, LatencyMs>();
  for (const r of set.signals.latency?.rows ?? []) if (r.namespace && r.workload) latency.set(key(r.namespace, r.workload), r.latencyMs);
  const tcp = new Map<string, number>();
  for (const r of set.signals.tcp?.rows ?? []) tcp.set(key(r.namespace, r.workload), (tcp.get(key(r.namespace, r.workload)) ?? 0) + r.openConnections);
  const plain = new Map<string, {total: number; plaintext: number}>();
  for (const r of set.signals.plaintext?.rows ?? []) {
    const row = plain.get(key(r.namespace, r.workload)) ?? {total: 0, plaintext: 0};
    row.total += r.total;
    row.plaintext += r.plaintext;
    plain.set(key(r.namespace, r.workload), row);
  }

  // What each workload sent, from the edges as their callers (the workload itself) reported them.
  const sent = new Map<string, ClientTally>();
  for (const e of set.signals.edges?.rows ?? []) tally(sent, key(e.srcNamespace, e.srcWorkload), e.requests, e.successes, e.responseFlags);
  const sentLatency = new Map<string, LatencyMs>();
  for (const r of set.signals.outboundLatency?.rows ?? []) sentLatency.set(key(r.namespace, r.workload), r.latencyMs);
  const perSecond = (flags: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(flags).map(([f, n]) => [f, n / seconds]));
  const quantiles = (lat: LatencyMs | undefined): LatencyMs => (lat ? {p50: finite(lat.p50), p95: finite(lat.p95), p99: finite(lat.p99)} : NO_LATENCY);

  return workloads.map((w): GoldenMetrics => {
    const k = key(w.namespace, w.workload);
    const inb = inbound.get(k);
    const cli = client.get(k);
    const out = sent.get(k);
    const pl = plain.get(k);
    const inboundOk = ok(set, 'inbound', w.mesh);
    const clientOk = ok(set, 'clientInbound', w.mesh);
    const requests = Math.max(inb?.requests ?? 0, cli?.requests ?? 0);
    const sentRequests = out?.requests ?? 0;
    // No server side at all (no inbound proxy reports it) and more sent than callers say they sent it.
    const basis = (inb?.requests ?? 0) === 0 && sentRequests > 0 && sentRequests >= (cli?.requests ?? 0) ? 'outbound' : 'inbound';
    const tcpConnections = tcp.get(k);
    let rps: number | null;
    let latencyMs: LatencyMs;
    let flags: Readonly<Record<string, number>> | null;
    if (basis === 'outbound') {
      rps = sentRequests / seconds;
      latencyMs = quantiles(sentLatency.get(k));
      flags = out?.flags ?? (set.signals.edges?.rows.some((e) => e.mesh === w.mesh && e.responseFlags) ? {} : null);
    } else {
      rps = inboundOk || clientOk ? requests / seconds : null;
      latencyMs = requests > 0 ? quantiles(latency.get(k)) : NO_LATENCY;
      flags = cli?.flags ?? (clientOk && set.signals.clientInbound?.rows.some((r) => r.mesh === w.mesh && r.responseFlags) ? {} : null);
    }
    // One object literal per workload (no spreads): this runs for every workload on every refresh and history step.
    const g: {-readonly [K in keyof GoldenMetrics]: GoldenMetrics[K]} = {
      namespace: w.namespace,
      workload: w.workload,
      kind: w.kind,
      mesh: w.mesh,
      meshedPods: w.meshedPods,
      pods: w.pods,
      successRate: inb && inb.requests > 0 ? inb.successes / inb.requests : null,
      clientSuccessRate: cli && cli.requests > 0 ? cli.successes / cli.requests : null,
      outboundSuccessRate: out && out.requests > 0 ? out.successes / out.requests : null,
      basis,
      rps,
      latencyMs,
      mtlsShare: pl && pl.total > 0 ? 1 - pl.plaintext / pl.total : null,
      responseFlags: flags === null ? null : perSecond(flags),
      window: set.window,
      source: set.source,
    };
    if (tcpConnections !== undefined) g.tcpConnections = tcpConnections;
    return g;
  });
}

export function edgeMetrics(set: SignalSet): EdgeMetrics[] {
  const seconds = set.windowSeconds > 0 ? set.windowSeconds : 1;
  return (set.signals.edges?.rows ?? []).map((e) => ({
    mesh: e.mesh,
    srcNamespace: e.srcNamespace,
    srcWorkload: e.srcWorkload,
    dstNamespace: e.dstNamespace,
    ...(e.dstWorkload ? {dstWorkload: e.dstWorkload} : {}),
    ...(e.dstService ? {dstService: e.dstService} : {}),
    rps: e.requests / seconds,
    successRate: e.requests > 0 ? e.successes / e.requests : null,
    latencyMs: e.latencyMs,
    responseFlags: e.responseFlags ? Object.fromEntries(Object.entries(e.responseFlags).map(([f, n]) => [f, n / seconds])) : null,
  }));
}

/** A workload's success rate as the TUI shows it and its history draws it, and which side it comes from. */
export function headlineSuccess(g: Pick<GoldenMetrics, 'successRate' | 'clientSuccessRate' | 'outboundSuccessRate' | 'basis'>): {rate: number | null; side: 'client' | 'server' | 'sent' | null} {
  if (g.basis === 'outbound') return {rate: g.outboundSuccessRate, side: g.outboundSuccessRate === null ? null : 'sent'};
  const s = g.successRate;
  const c = g.clientSuccessRate;
  if (s === null && c === null) return {rate: null, side: null};
  if (c !== null && (s === null || c < s)) return {rate: c, side: 'client'};
  return {rate: s, side: 'server'};
}

/** The worse of the two success rates (of what it sent, for a gateway or client), null when neither is known. */
export function worstSuccess(g: Pick<GoldenMetrics, 'successRate' | 'clientSuccessRate' | 'outboundSuccessRate' | 'basis'>): number | null {
  return headlineSuccess(g).rate;
}

/** Worst first: lowest success rate, then most traffic; workloads without traffic last, by name. */
export function worstFirst(a: GoldenMetrics, b: GoldenMetrics): number {
  const sa = worstSuccess(a);
  const sb = worstSuccess(b);
  if (sa !== null && sb !== null && sa !== sb) return sa - sb;
  if (sa === null && sb !== null) return 1;
  if (sb === null && sa !== null) return -1;
  const ra = a.rps ?? -1;
  const rb = b.rps ?? -1;
  if (ra !== rb) return rb - ra;
  return a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload);
}
