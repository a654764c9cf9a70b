/**
 * The traffic simulator's input: a small service graph as data (YAML or JSON), so scenarios are
 * files and tests state their ground truth as parameters. Workloads are Deployments (one per
 * version) behind Services; edges carry requests from a workload (or from outside the mesh) to a
 * Service; faults change an edge's or a workload's parameters from a given time, optionally ramping.
 *
 * ```yaml
 * start: -1h                       # simulated time origin (relative to the clock, or RFC 3339)
 * mesh: istio
 * workloads:
 *   - {namespace: shop, name: cart-v1, app: cart, version: v1, replicas: 2, latencyMs: {p50: 20, p99: 180}}
 *   - {namespace: shop, name: cart-v2, app: cart, version: v2, replicas: 1, errorRate: 0.002}
 *   - {namespace: shop, name: frontend, replicas: 2}
 * edges:
 *   - {from: shop/frontend, to: shop/cart, rps: 120, flags: {UH: 0.001}}
 *   - {from: external, to: shop/frontend, rps: 100, mtls: false}
 * faults:
 *   - {name: cart-v2 errors, at: 55m, ramp: 2m, workload: shop/cart-v2, set: {errorRate: 0.2}}
 * ```
 */
import {parse as parseYaml} from 'yaml';
import {parseDuration} from '../../core/duration.js';
import type {MeshName} from '../../core/types.js';
import {MESH_NAMES} from '../../core/types.js';

/** Request duration in ms: a log-normal from its median and 99th percentile, or an explicit CDF (`[[le, share], …]`). */
export type LatencySpec = Readonly<{p50: number; p99: number}> | Readonly<{cdf: readonly (readonly [number, number])[]}>;

/** Share of an edge's requests per Envoy response flag (or combination, `UF,URX`). */
export type FlagMix = Readonly<Record<string, number>>;

export type WorkloadSpec = Readonly<{
  namespace: string;
  name: string;
  /** Default: the graph's mesh. `none` = not meshed (no proxy, no metrics of its own). */
  mesh?: MeshName | 'none';
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** `app` label; default the name without a trailing `-v<N>`. */
  app?: string;
  version?: string;
  replicas?: number;
  /** The Service in front of it; default the app name. `false`: none. */
  service?: string | false;
  /** Share of the Service's traffic (default: replicas). */
  weight?: number;
  protocol?: 'http' | 'grpc' | 'tcp';
  latencyMs?: LatencySpec;
  /** Share of requests the workload answers with 500. */
  errorRate?: number;
  /** Ingress/egress gateways: a source of traffic with its own proxy. */
  gateway?: boolean;
  /** Seconds since the pods started, at the graph's start; default 0 (started at `start`). */
  readyBeforeStart?: number;
}>;

export type EdgeSpec = Readonly<{
  /** `ns/workload`, or `external` (callers without a proxy). */
  from: string;
  /** `ns/service`, or `BlackHoleCluster` / `PassthroughCluster` (Istio egress), or `ns/service` with no workload behind it. */
  to: string;
  rps: number;
  flags?: FlagMix;
  /** Default true when both ends are meshed. */
  mtls?: boolean;
  protocol?: 'http' | 'tcp';
  /** TCP: new connections per second (HTTP: keep-alive connections opened per second; default small). */
  connectionsPerSecond?: number;
  /** Concurrently open connections (the `tcp_open_connections` gauge); default one per caller pod. */
  openConnections?: number;
  /** Linkerd: share of requests refused by authorization policy (403). */
  denied?: number;
  /** Linkerd: share of requests matching no route (404 from the proxy). */
  routeNotFound?: number;
  /** Linkerd route timeouts (share of requests that hit RESPONSE_HEADERS_TIMEOUT). */
  timeouts?: number;
}>;

export type FaultEffect = Readonly<{
  errorRate?: number;
  latencyMs?: LatencySpec;
  flags?: FlagMix;
  /** Multiplies the edge's (or every edge into the workload's Service) request rate. */
  rpsFactor?: number;
  mtls?: boolean;
  denied?: number;
  routeNotFound?: number;
  timeouts?: number;
  /** Linkerd: the proxies stop renewing their identity certificate. */
  identityRefreshStuck?: boolean;
}>;

export type FaultSpec = Readonly<{
  name?: string;
  /** Offset from the graph's start (`55m`, seconds as a number) or an RFC 3339 instant. */
  at: string | number;
  ramp?: string | number;
  until?: string | number;
  /** `ns/workload` (its errors, latency, every edge into its Service) … */
  workload?: string;
  /** … or one edge, `from -> to` as written in `edges`. */
  edge?: string;
  set: FaultEffect;
}>;

export type TrafficGraph = Readonly<{
  /** RFC 3339, or relative to the clock when the simulator is created (`-1h`). Default `-1h`. */
  start?: string;
  mesh?: MeshName;
  /** Proxy versions reported in build-info metrics. */
  versions?: Partial<Record<MeshName, string>>;
  workloads: readonly WorkloadSpec[];
  edges: readonly EdgeSpec[];
  faults?: readonly FaultSpec[];
}>;

export class GraphError extends Error {}

function fail(where: string, message: string): never {
  throw new GraphError(`${where}: ${message}`);
}

function share(where: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(where, `must be a share between 0 and 1, got ${JSON.stringify(v)}`);
  return v;
}

function checkLatency(where: string, l: unknown): void {
  if (l === undefined) return;
  const spec = l as Record<string, unknown>;
  if ('cdf' in spec) {
    const cdf = spec.cdf as unknown;
    if (!Array.isArray(cdf) || cdf.some((p) => !Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number')) fail(where, 'cdf must be [[le, share], …]');
    return;
  }
  if (!(typeof spec.p50 === 'number' && typeof spec.p99 === 'number' && spec.p50 > 0 && spec.p99 >= spec.p50)) fail(where, 'latencyMs needs p50 > 0 and p99 ≥ p50 (ms)');
}

function checkFlags(where: string, flags: unknown): void {
  if (flags === undefined) return;
  if (typeof flags !== 'object' || flags === null) fail(where, 'flags must map flag → share');
  let total = 0;
  for (const [flag, v] of Object.entries(flags)) {
    if (!/^[A-Z]+(,[A-Z]+)*$/.test(flag)) fail(where, `"${flag}" is not an Envoy response flag`);
    total += share(`${where}.${flag}`, v);
  }
  if (total > 1) fail(where, 'flag shares add up to more than 1');
}

/** Offset in seconds from the graph start for `55m` / 3300, or from an RFC 3339 instant. */
export function offsetSeconds(value: string | number, startMs: number): number {
  if (typeof value === 'number') return value;
  const d = parseDuration(value.replace(/^\+/, ''));
  if (d !== undefined) return d;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new GraphError(`"${value}" is neither a duration nor an RFC 3339 instant`);
  return (t - startMs) / 1000;
}

/** Validate a graph (throws GraphError naming the field); returns it unchanged. */
export function validateGraph(graph: TrafficGraph): TrafficGraph {
  if (!graph || !Array.isArray(graph.workloads) || !Array.isArray(graph.edges)) throw new GraphError('a traffic graph needs workloads: [] and edges: []');
  if (graph.mesh !== undefined && !MESH_NAMES.includes(graph.mesh)) fail('mesh', `unknown mesh ${graph.mesh}`);
  const names = new Set<string>();
  graph.workloads.forEach((w, i) => {
    const where = `workloads[${i}]`;
    if (!w.namespace || !w.name) fail(where, 'needs namespace and name');
    if (names.has(`${w.namespace}/${w.name}`)) fail(where, `duplicate workload ${w.namespace}/${w.name}`);
    names.add(`${w.namespace}/${w.name}`);
    if (w.mesh !== undefined && w.mesh !== 'none' && !MESH_NAMES.includes(w.mesh)) fail(where, `unknown mesh ${w.mesh}`);
    if (w.replicas !== undefined && !(Number.isInteger(w.replicas) && w.replicas >= 0)) fail(where, 'replicas must be a whole number ≥ 0');
    if (w.errorRate !== undefined) share(`${where}.errorRate`, w.errorRate);
    checkLatency(`${where}.latencyMs`, w.latencyMs);
  });
  graph.edges.forEach((e, i) => {
    const where = `edges[${i}]`;
    if (e.from !== 'external' && !names.has(e.from)) fail(where, `from: no workload ${e.from}`);
    if (!e.to) fail(where, 'needs to');
    if (!(typeof e.rps === 'number' && e.rps >= 0)) fail(where, 'rps must be ≥ 0');
    checkFlags(`${where}.flags`, e.flags);
    for (const k of ['denied', 'routeNotFound', 'timeouts'] as const) if (e[k] !== undefined) share(`${where}.${k}`, e[k]);
  });
  (graph.faults ?? []).forEach((f, i) => {
    const where = `faults[${i}]`;
    if ((f.workload === undefined) === (f.edge === undefined)) fail(where, 'needs exactly one of workload or edge');
    if (f.workload && !names.has(f.workload)) fail(where, `no workload ${f.workload}`);
    if (f.edge && !graph.edges.some((e) => `${e.from} -> ${e.to}` === f.edge)) fail(where, `no edge "${f.edge}" (write it as "from -> to")`);
    if (!f.set || typeof f.set !== 'object') fail(where, 'needs set: {…}');
    if (f.set.errorRate !== undefined) share(`${where}.set.errorRate`, f.set.errorRate);
    checkFlags(`${where}.set.flags`, f.set.flags);
    checkLatency(`${where}.set.latencyMs`, f.set.latencyMs);
  });
  return graph;
}

/** A graph from YAML or JSON text. */
export function parseGraph(text: string, file = 'traffic graph'): TrafficGraph {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new GraphError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    return validateGraph(value as TrafficGraph);
  } catch (error) {
    throw new GraphError(`${file}: ${(error as Error).message}`);
  }
}
