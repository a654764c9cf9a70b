/**
 * What a simulated pod's containers write to their logs, derived from the same traffic simulator
 * as its metrics (same graph, same instants, deterministic per scenario, pod and second — same seed,
 * same story):
 *   - an Istio sidecar (`istio-proxy`): istio-agent lines (start-up, an xDS reconnect every 30
 *     minutes as istiod recycles connections) and Envoy access log lines in Istio's default text
 *     format (istio/istio pilot/pkg/model/telemetry_logging.go EnvoyTextLogFormat) for the requests it
 *     sends and receives — a sample of at most one line per edge per second, in which the share of
 *     failing lines (503 UF,URX and the like) is the simulator's share at that second;
 *   - a Linkerd proxy: start-up lines, and an access log in the `config.linkerd.io/access-log`
 *     format the pod asks for (apache or json), none without it (as the proxy does);
 *   - the application container: its start-up, a line per sampled request it answered (500s as
 *     errors) and, when callers cannot connect to it (UF/URX on edges into its Service), the
 *     connections it refused;
 *   - istiod: start-up and periodic push lines; any other container: start-up and a heartbeat.
 * Access lines are kept for the last 30 minutes (a busy proxy's log rotates); agent lines since the
 * container started.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {InboundFlow, OutboundFlow, SimPod, TrafficSim} from '../traffic/model.js';
import type {SidecarConfig} from './istio-config.js';

export type LogLine = Readonly<{t: number; text: string}>;

export const ACCESS_RETENTION_MS = 30 * 60_000;
const RECONNECT_MS = 30 * 60_000;

/** A deterministic number in [0, 1) for a key (FNV-1a). */
export function unit(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

function hex(key: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += Math.floor(unit(`${key}#${i}`) * 0xffffffff).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

function requestId(key: string): string {
  const h = hex(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Istio agent timestamps have microseconds. */
function agentTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

const POST = /checkout|ledger|fraud|payment|order|settle/;

function requestOf(service: string, key: string): {method: string; path: string} {
  if (POST.test(service)) return {method: 'POST', path: `/api/${service.replace(/-(stable|canary|v\d+)$/, '')}`};
  const id = Math.floor(unit(key) * 900) + 100;
  return {method: 'GET', path: `/api/${service.replace(/-(stable|canary|v\d+)$/, '')}/${id}`};
}

export type PodLogSource = Readonly<{
  scenario: string;
  sim: TrafficSim;
  pod: Pod;
  /** The simulated pod behind it (undefined: a control-plane or other pod of the manifests). */
  simPod?: SimPod;
  /** Its sidecar's configuration (Istio), for route names and authorities. */
  config?: () => SidecarConfig;
  /** When each container started (ms). */
  startedMs: number;
}>;

type Route = {authority: string; route: string; cluster: string; downstreamLocal: string};

/** The route a sidecar chose for a request to `upstream`: the unconditional route whose cluster holds that endpoint. */
function outboundRoute(src: PodLogSource, flow: OutboundFlow, upstream: string): Route {
  const host = `${flow.service}.${flow.namespace}.svc.cluster.local`;
  const config = src.config?.();
  const holding = new Set((config?.clusters ?? []).filter((c) => c.host === host && c.endpoints.some((e) => `${e.ip}:${e.port}` === upstream)).map((c) => c.name));
  for (const rc of config?.routes ?? []) {
    for (const vh of rc.virtualHosts) {
      if (vh.passthrough) continue;
      const candidates = vh.routes.filter((x) => x.clusters.some((c) => holding.has(c.name)));
      const r = candidates.find((x) => !x.match.headers) ?? candidates[0];
      if (!r) continue;
      const chosen = r.clusters.find((c) => holding.has(c.name))!;
      const short = vh.domains.find((d) => !d.includes('.') && !/^\d/.test(d)) ?? vh.name.split(':')[0];
      const vip = vh.domains.find((d) => /^\d+\.\d+\.\d+\.\d+$/.test(d));
      return {authority: short, route: r.name ?? 'default', cluster: chosen.name, downstreamLocal: `${vip ?? '10.96.0.1'}:${rc.name}`};
    }
  }
  return {authority: flow.service ?? flow.to, route: 'default', cluster: `outbound|80||${host}`, downstreamLocal: '10.96.0.1:80'};
}

function upstreamIp(flow: OutboundFlow, key: string): string {
  const pods = flow.targets.flatMap((t) => t.workload.pods.map((p) => ({p, w: t.share / Math.max(1, t.workload.pods.length)})));
  let u = unit(key);
  for (const x of pods) {
    if (u < x.w) return x.p.ip;
    u -= x.w;
  }
  return pods.at(-1)?.p.ip ?? '10.0.0.1';
}

/** Sampled requests of one flow in one second: at most one, present with the flow's rate as probability (≥ 1 rps: always). */
function sampled(rps: number, key: string): boolean {
  return rps > 0 && unit(`${key}#sample`) < Math.min(1, rps);
}

function failingFlag(flags: Readonly<Record<string, number>>, u: number): string | undefined {
  let acc = 0;
  for (const [flag, share] of Object.entries(flags)) {
    acc += share;
    if (u < acc) return flag;
  }
  return undefined;
}

const DETAILS: Readonly<Record<string, {details: string; transport: string; code: number; body: number}>> = {
  UF: {details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', transport: 'delayed_connect_error:_Connection_refused', code: 503, body: 145},
  UH: {details: 'no_healthy_upstream', transport: '-', code: 503, body: 19},
  NR: {details: 'route_not_found', transport: '-', code: 404, body: 0},
  UT: {details: 'response_timeout', transport: '-', code: 504, body: 24},
  UO: {details: 'upstream_reset_before_response_started{overflow}', transport: '-', code: 503, body: 81},
};

function detailsOf(flag: string): {details: string; transport: string; code: number; body: number} {
  return DETAILS[flag.split(',')[0]] ?? {details: 'upstream_reset_before_response_started{connection_termination}', transport: '-', code: 503, body: 95};
}

/** One second of a sidecar's access log (Istio's default text format). */
function istioAccessSecond(src: PodLogSource, second: number): LogLine[] {
  const {sim, simPod} = src;
  if (!simPod) return [];
  const at = second * 1000;
  const lines: LogLine[] = [];
  const self = simPod.ip;
  const outbound = sim.outboundAt(simPod, at);
  outbound.forEach((flow, i) => {
    if (flow.special || flow.protocol === 'tcp' || !flow.service) return;
    const key = `${src.scenario}|${simPod.namespace}/${simPod.name}|out${i}|${second}`;
    if (!sampled(flow.rps, key)) return;
    const t = at + Math.floor(unit(`${key}#t`) * 1000);
    const upstream = `${upstreamIp(flow, `${key}#up`)}:8080`;
    const route = outboundRoute(src, flow, upstream);
    const {method, path} = requestOf(flow.service, key);
    const flag = failingFlag(flow.flags, unit(`${key}#flag`));
    const ua = `${simPod.workload.app}/1.0`;
    const port = 30000 + Math.floor(unit(`${key}#port`) * 30000);
    if (flag) {
      const d = detailsOf(flag);
      const dur = 1 + Math.floor(unit(`${key}#dur`) * 9);
      lines.push({t, text: `[${iso(t)}] "${method} ${path} HTTP/1.1" ${d.code} ${flag} ${d.details} - "${d.transport}" 0 ${d.body} ${dur} - "-" "${ua}" "${requestId(key)}" "${route.authority}" "${upstream}" ${route.cluster} - ${route.downstreamLocal} ${self}:${port} - ${route.route}`});
      return;
    }
    const target = flow.targets.find((x) => x.workload.pods.some((p) => `${p.ip}:8080` === upstream))?.workload ?? flow.targets[0]?.workload;
    const err = target ? unit(`${key}#err`) < sim.errorRateAt(target, at) : false;
    const dur = target ? Math.max(1, Math.round(sim.latencyQuantileAt(target, Math.min(0.999, unit(`${key}#lat`)), at))) : 3;
    lines.push({t, text: `[${iso(t)}] "${method} ${path} HTTP/1.1" ${err ? 500 : 200} - via_upstream - "-" 0 ${err ? 57 : 100 + Math.floor(unit(`${key}#b`) * 900)} ${dur + 1} ${dur} "-" "${ua}" "${requestId(key)}" "${route.authority}" "${upstream}" ${route.cluster} ${self}:${40000 + Math.floor(unit(`${key}#lp`) * 20000)} ${route.downstreamLocal} ${self}:${port} - ${route.route}`});
  });
  const inbound: InboundFlow[] = sim.inboundAt(simPod, at);
  inbound.forEach((flow, i) => {
    if (simPod.workload.spec.protocol === 'tcp') return;
    const key = `${src.scenario}|${simPod.namespace}/${simPod.name}|in${i}|${second}`;
    if (!sampled(flow.rps, key)) return;
    const t = at + Math.floor(unit(`${key}#t`) * 1000);
    const service = simPod.workload.service ?? simPod.workload.app;
    const {method, path} = requestOf(service, key);
    const err = unit(`${key}#err`) < sim.errorRateAt(simPod.workload, at);
    const dur = Math.max(1, Math.round(sim.latencyQuantileAt(simPod.workload, Math.min(0.999, unit(`${key}#lat`)), at)));
    const caller = flow.from?.pods[Math.floor(unit(`${key}#c`) * flow.from.pods.length)]?.ip ?? '10.244.0.1';
    lines.push({t, text: `[${iso(t)}] "${method} ${path} HTTP/1.1" ${err ? 500 : 200} - via_upstream - "-" 0 ${err ? 57 : 100 + Math.floor(unit(`${key}#b`) * 900)} ${dur + 1} ${dur} "-" "${flow.from ? `${flow.from.app}/1.0` : 'curl/8.5.0'}" "${requestId(key)}" "${service}" "${simPod.ip}:8080" inbound|8080|| 127.0.0.6:${40000 + Math.floor(unit(`${key}#lp`) * 20000)} ${simPod.ip}:8080 ${caller}:${30000 + Math.floor(unit(`${key}#p`) * 30000)} outbound_.80_._.${service}.${simPod.namespace}.svc.cluster.local default`});
  });
  return lines;
}

/** One second of the application's own log. */
function appSecond(src: PodLogSource, second: number): LogLine[] {
  const {sim, simPod} = src;
  if (!simPod || simPod.workload.spec.gateway) return [];
  const at = second * 1000;
  const lines: LogLine[] = [];
  const w = simPod.workload;
  sim.inboundAt(simPod, at).forEach((flow, i) => {
    if (w.spec.protocol === 'tcp') return;
    const key = `${src.scenario}|${simPod.namespace}/${simPod.name}|app${i}|${second}`;
    if (!sampled(flow.rps, key)) return;
    const t = at + Math.floor(unit(`${key}#t`) * 1000);
    const {method, path} = requestOf(w.service ?? w.app, key);
    const err = unit(`${key}#err`) < sim.errorRateAt(w, at);
    const dur = Math.max(1, Math.round(sim.latencyQuantileAt(w, Math.min(0.999, unit(`${key}#lat`)), at)));
    lines.push({t, text: err
      ? `${iso(t)} ERROR ${method} ${path} 500 ${dur}ms error="upstream dependency failed" request_id=${requestId(key)}`
      : `${iso(t)} INFO  ${method} ${path} 200 ${dur}ms request_id=${requestId(key)}`});
  });
  // Connections the callers' proxies could not open show up here as refusals (UF/URX on edges into
  // its Service): sampled at the same rate as the requests it served, so the two keep their ratio.
  const served = sim.inboundAt(simPod, at).reduce((a, f) => a + f.rps, 0);
  const callers: {ip: string; rate: number}[] = [];
  for (const other of sim.pods) {
    if (other.workload === w) continue;
    for (const flow of sim.outboundAt(other, at)) {
      const target = flow.targets.find((x) => x.workload === w);
      if (flow.namespace !== w.namespace || flow.service !== w.service || !target) continue;
      const failed = Object.entries(flow.flags).reduce((a, [f, v]) => a + (/(^|,)UF(,|$)/.test(f) ? v : 0), 0);
      // q + q² + q³ refused attempts per request when q³ of them failed all three attempts.
      const q = failed > 0 ? failed ** (1 / 3) : 0;
      if (q > 0) callers.push({ip: other.ip, rate: flow.rps * (target.share / Math.max(1, w.pods.length)) * (q + q * q + q * q * q)});
    }
  }
  const refused = callers.reduce((a, c) => a + c.rate, 0);
  const key = `${src.scenario}|${simPod.namespace}/${simPod.name}|refuse|${second}`;
  if (refused > 0 && unit(key) < Math.min(1, refused / Math.max(1, served))) {
    let u = unit(`${key}#who`) * refused;
    const from = callers.find((c) => (u -= c.rate) < 0) ?? callers[callers.length - 1];
    const t = at + Math.floor(unit(`${key}#t`) * 1000);
    lines.push({t, text: `${iso(t)} WARN  accept: connection pool full (max_connections=64 active=64): refusing connection from ${from.ip}`});
  }
  return lines;
}

function startupLines(src: PodLogSource, container: string): LogLine[] {
  const s = src.startedMs;
  const at = (ms: number) => s + ms;
  const pod = src.pod;
  if (container === 'istio-proxy') {
    return [
      {t: at(120), text: `${agentTime(at(120))}\tinfo\tFLAG: --concurrency="2"`},
      {t: at(150), text: `${agentTime(at(150))}\tinfo\tProxy role\tips=[${pod.status?.podIP ?? ''}] type=sidecar id=${pod.metadata.name}.${pod.metadata.namespace} domain=${pod.metadata.namespace}.svc.cluster.local`},
      {t: at(310), text: `${agentTime(at(310))}\tinfo\txdsproxy\tInitializing with upstream address "istiod.istio-system.svc:15012" and cluster "Kubernetes"`},
      {t: at(420), text: `${agentTime(at(420))}\tinfo\tsds\tStarting SDS grpc server`},
      {t: at(900), text: `${agentTime(at(900))}\tinfo\tcache\tgenerated new workload certificate\tresourceName=default latency=184.2ms ttl=23h59m59s`},
      {t: at(1010), text: `${agentTime(at(1010))}\tinfo\txdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012\tid=1`},
      {t: at(1650), text: `${agentTime(at(1650))}\tinfo\tReadiness succeeded in 1.65s`},
      {t: at(1651), text: `${agentTime(at(1651))}\tinfo\tEnvoy proxy is ready`},
    ];
  }
  if (container === 'linkerd-proxy') {
    return [
      {t: at(50), text: `[     0.000${Math.floor(unit(pod.metadata.name) * 900) + 100}s]  INFO ThreadId(01) linkerd2_proxy: release 2.0 by linkerd on 2025`},
      {t: at(60), text: `[     0.002118s]  INFO ThreadId(01) linkerd2_proxy: Admin interface on 0.0.0.0:4191`},
      {t: at(70), text: `[     0.002127s]  INFO ThreadId(01) linkerd2_proxy: Inbound interface on 0.0.0.0:4143`},
      {t: at(80), text: `[     0.002131s]  INFO ThreadId(01) linkerd2_proxy: Outbound interface on 127.0.0.1:4140`},
      {t: at(90), text: `[     0.002137s]  INFO ThreadId(01) linkerd2_proxy: Local identity is ${pod.spec.serviceAccountName ?? 'default'}.${pod.metadata.namespace}.serviceaccount.identity.linkerd.cluster.local`},
      {t: at(300), text: `[     0.298211s]  INFO ThreadId(02) daemon:identity: linkerd_app: Certified identity id=${pod.spec.serviceAccountName ?? 'default'}.${pod.metadata.namespace}.serviceaccount.identity.linkerd.cluster.local`},
    ];
  }
  if (container === 'discovery') {
    return [
      {t: at(100), text: `${agentTime(at(100))}\tinfo\tFLAG: --domain="cluster.local"`},
      {t: at(800), text: `${agentTime(at(800))}\tinfo\tstarting discovery service at [::]:15010`},
      {t: at(900), text: `${agentTime(at(900))}\tinfo\tads\tStarting ADS server`},
    ];
  }
  return [
    {t: at(200), text: `${iso(at(200))} INFO  starting ${container} (${(pod.spec.containers ?? []).find((c) => c.name === container)?.image ?? 'unknown image'})`},
    {t: at(900), text: `${iso(at(900))} INFO  listening on :8080`},
  ];
}

/** Periodic lines that are not requests (reconnects, pushes, heartbeats) between from and to. */
function periodicLines(src: PodLogSource, container: string, from: number, to: number): LogLine[] {
  const out: LogLine[] = [];
  const every = container === 'istio-proxy' ? RECONNECT_MS : container === 'discovery' ? 10_000 : 5 * 60_000;
  const phase = Math.floor(unit(`${src.pod.metadata.name}|${container}|phase`) * every);
  let n = Math.ceil((from - src.startedMs - phase) / every);
  for (let t = src.startedMs + phase + Math.max(1, n) * every; t <= to; t += every, n++) {
    if (t < from || t < src.startedMs + 2000) continue;
    if (container === 'istio-proxy') out.push({t, text: `${agentTime(t)}\tinfo\txdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012\tid=${n + 1}`});
    else if (container === 'discovery') out.push({t, text: `${agentTime(t)}\tinfo\tads\tPush debounce stable[${n + 1}] 1 for config ServiceEntry: 100.1ms since last change, 100.1ms since last push, full=true`});
    else if (container !== 'linkerd-proxy') out.push({t, text: `${iso(t)} INFO  healthy: ${Math.round((t - src.startedMs) / 60_000)}m up`});
  }
  return out;
}

function linkerdAccessSecond(src: PodLogSource, second: number): LogLine[] {
  const format = src.pod.metadata.annotations?.['config.linkerd.io/access-log'];
  const {sim, simPod} = src;
  if (!simPod || (format !== 'apache' && format !== 'json')) return [];
  const at = second * 1000;
  const lines: LogLine[] = [];
  sim.inboundAt(simPod, at).forEach((flow, i) => {
    const key = `${src.scenario}|${simPod.namespace}/${simPod.name}|l5d${i}|${second}`;
    if (!sampled(flow.rps, key)) return;
    const t = at + Math.floor(unit(`${key}#t`) * 1000);
    const {method, path} = requestOf(simPod.workload.service ?? simPod.workload.app, key);
    const err = unit(`${key}#err`) < sim.errorRateAt(simPod.workload, at);
    const client = flow.from?.pods[0]?.ip ?? '10.244.0.1';
    const id = flow.from ? `${flow.from.app}.${flow.from.namespace}.serviceaccount.identity.linkerd.cluster.local` : '-';
    const host = `${simPod.workload.service ?? simPod.workload.app}.${simPod.namespace}.svc.cluster.local:8080`;
    if (format === 'apache') lines.push({t, text: `${client}:${40000 + Math.floor(unit(`${key}#p`) * 20000)} ${id} - [${iso(t)}] "${method} http://${host}${path} HTTP/2.0" ${err ? 500 : 200}`});
    else lines.push({t, text: JSON.stringify({client_addr: `${client}:${40000 + Math.floor(unit(`${key}#p`) * 20000)}`, client_id: id, host, method, processing_ns: String(Math.round(sim.latencyQuantileAt(simPod.workload, unit(`${key}#l`), at) * 1e6)), request_bytes: '', status: err ? 500 : 200, timestamp: iso(t), total_ns: String(Math.round(sim.latencyQuantileAt(simPod.workload, unit(`${key}#l`), at) * 1.05e6)), trace_id: '', uri: `http://${host}${path}`, user_agent: `${flow.from?.app ?? 'curl'}/1.0`, version: 'HTTP/2.0'})});
  });
  return lines;
}

function secondLines(src: PodLogSource, container: string, second: number): LogLine[] {
  if (container === 'istio-proxy') return istioAccessSecond(src, second);
  if (container === 'linkerd-proxy') return linkerdAccessSecond(src, second);
  if (src.simPod && container === src.simPod.workload.app) return appSecond(src, second);
  return [];
}

export type LogWindow = Readonly<{sinceMs?: number; tailLines?: number; toMs: number}>;

/**
 * A container's log up to `toMs`: lines since `sinceMs` (else since it started, access lines only
 * for the retention window), the last `tailLines` of them when asked. Oldest first.
 */
export function containerLog(src: PodLogSource, container: string, window: LogWindow): LogLine[] {
  const to = window.toMs;
  const from = Math.max(src.startedMs, window.sinceMs ?? src.startedMs);
  const accessFrom = Math.max(from, to - ACCESS_RETENTION_MS, src.sim.startMs);
  const fixed = [...startupLines(src, container).filter((l) => l.t >= from && l.t <= to), ...periodicLines(src, container, from, to)];
  const access: LogLine[] = [];
  const firstSecond = Math.ceil(accessFrom / 1000);
  const lastSecond = Math.floor(to / 1000) - 1;
  if (window.tailLines !== undefined) {
    // Newest seconds first, until there are enough lines.
    for (let s = lastSecond; s >= firstSecond && access.length < window.tailLines; s--) access.push(...secondLines(src, container, s).filter((l) => l.t <= to));
  } else {
    for (let s = firstSecond; s <= lastSecond; s++) access.push(...secondLines(src, container, s));
  }
  const oldestAccess = access.reduce((m, l) => Math.min(m, l.t), Infinity);
  const lines = [...fixed.filter((l) => window.tailLines === undefined || access.length < window.tailLines || l.t >= oldestAccess), ...access].sort((a, b) => a.t - b.t);
  return window.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - window.tailLines)) : lines;
}

/** Lines written in (fromMs, toMs]: what `follow` sends as time passes. */
export function containerLogBetween(src: PodLogSource, container: string, fromMs: number, toMs: number): LogLine[] {
  const lines: LogLine[] = [...periodicLines(src, container, fromMs + 1, toMs), ...startupLines(src, container).filter((l) => l.t > fromMs && l.t <= toMs)];
  for (let s = Math.floor(fromMs / 1000); s <= Math.floor(toMs / 1000); s++) lines.push(...secondLines(src, container, s).filter((l) => l.t > fromMs && l.t <= toMs));
  return lines.sort((a, b) => a.t - b.t);
}
