/**
 * A fake istiod for the demo: its monitoring port (15014, or the pod's `prometheus.io/port`) answers
 * `GET /debug/syncz` in istiod's HTTP form (istio/istio pilot/pkg/xds/debug.go: an array of SyncStatus with the
 * nonces sent and acknowledged per xDS type and `resources[typeUrl]` with `sentTime`), computed from
 * the world's running istio-proxy pods at request time. Every proxy is connected and synced unless the
 * scenario says it is stale (a push it has not acknowledged) or rejected (its last push NACKed). Reached
 * through the fixture API server's port-forward, exactly like a real istiod.
 */
import type http from 'node:http';
import type {KubeObject, Pod} from '../../core/kube-types/index.js';
import {XDS_TYPES} from '../../mesh/istio/syncz.js';
import {proxyContainer} from '../../mesh/markers.js';
import {imageTag, type World} from './world.js';

const FLAT: Readonly<Record<string, string>> = {CDS: 'cluster', LDS: 'listener', RDS: 'route', EDS: 'endpoint'};
const GATEWAY_LABELS = new Set(['ingressgateway', 'egressgateway']);

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A nonce shaped like istiod's (a UUID), stable for a proxy, type and push number. */
function nonce(proxy: string, type: string, push: number): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; hex.join('').length < 32; round++) {
    for (const ch of `${proxy}/${type}/${push}/${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const x = hex.join('').slice(0, 32);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-a${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

function isIstiod(o: KubeObject): boolean {
  return o.kind === 'Pod' && o.metadata.labels?.app === 'istiod' && (o as Pod).status?.phase === 'Running';
}

/** The port istiod serves /debug on (what the control-plane source asks for). */
export function istiodMonitoringPort(pod: KubeObject): number {
  const port = Number(pod.metadata.annotations?.['prometheus.io/port']);
  return Number.isInteger(port) && port > 0 ? port : 15014;
}

export function istiodPods(world: World): KubeObject[] {
  return world.objects.filter(isIstiod);
}

/** A proxy's state for one xDS type when it is not simply synced. */
export type XdsOverride = Readonly<{stale?: {since: number}; rejected?: {error: string}}>;

export type SynczOptions = Readonly<{
  /** When the payload is computed (pushes are placed relative to it). */
  at: number;
  /** Pods that are gateways (`<namespace>/<name>`), besides those labelled istio=ingressgateway/egressgateway. */
  gateways?: ReadonlySet<string>;
  override?: (namespace: string, pod: string, xdsType: string) => XdsOverride | undefined;
}>;

/** istiod's /debug/syncz payload for the Running pods with an istio-proxy (sidecar or native sidecar): synced unless overridden. */
export function synczOf(objects: Iterable<KubeObject>, options: SynczOptions): unknown[] {
  const lastPush = options.at - 150_000;
  const out: unknown[] = [];
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    const pod = o as Pod;
    const proxy = proxyContainer(pod, 'istio');
    if (!proxy || pod.status?.phase !== 'Running') continue;
    const ns = pod.metadata.namespace ?? 'default';
    const id = `${pod.metadata.name}.${ns}`;
    const router = options.gateways?.has(`${ns}/${pod.metadata.name}`) || GATEWAY_LABELS.has(pod.metadata.labels?.istio ?? '');
    const entry: Record<string, unknown> = {cluster_id: 'Kubernetes', proxy: id, proxy_type: router ? 'router' : 'sidecar', istio_version: imageTag(proxy.image) || 'unknown'};
    const resources: Record<string, Record<string, string>> = {};
    for (const [short, flat] of Object.entries(FLAT)) {
      const x = options.override?.(ns, pod.metadata.name, short);
      const acked = nonce(id, short, 1);
      const state: Record<string, string> = x?.stale
        ? {sent: nonce(id, short, 2), acked, sentTime: iso(options.at - x.stale.since * 1000)}
        : x?.rejected
          ? {sent: nonce(id, short, 2), acked, sentTime: iso(lastPush), lastError: x.rejected.error}
          : {sent: acked, acked, sentTime: iso(lastPush)};
      entry[`${flat}_sent`] = state.sent;
      entry[`${flat}_acked`] = state.acked;
      resources[XDS_TYPES[short as keyof typeof XDS_TYPES]] = state;
    }
    entry.resources = resources;
    out.push(entry);
  }
  return out;
}

/** istiod's /debug/syncz payload for the world (the demo's control plane does not change while it runs). */
export function syncz(world: World): unknown[] {
  const {stale, rejected} = world.scenario.controlPlane.istiod;
  const gateways = new Set(world.sim.workloads.filter((w) => w.spec.gateway).flatMap((w) => w.pods.map((p) => `${p.namespace}/${p.name}`)));
  const isThis = (ns: string, name: string) => (ref: {workload: string; pod: number}) => {
    const p = world.sim.workloads.find((w) => w.key === ref.workload)?.pods[ref.pod];
    return p?.namespace === ns && p.name === name;
  };
  return synczOf(world.objects, {
    at: world.builtAt,
    gateways,
    override: (ns, name, type) => {
      const s = stale.find((x) => x.type === type && isThis(ns, name)(x));
      if (s) return {stale: {since: s.since}};
      const r = rejected.find((x) => x.type === type && isThis(ns, name)(x));
      return r ? {rejected: {error: r.error}} : undefined;
    },
  });
}

/** The HTTP handler serving a syncz payload on istiod's monitoring port (`/debug/syncz`, `/ready`). */
export function synczHandler(payload: () => unknown[]): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://istiod');
    if (req.method !== 'GET') return void res.writeHead(405, {'Content-Type': 'text/plain'}).end('method not allowed\n');
    if (url.pathname === '/debug/syncz') {
      const namespace = url.searchParams.get('namespace');
      const all = payload() as {proxy: string}[];
      const body = JSON.stringify(namespace ? all.filter((p) => p.proxy.endsWith(`.${namespace}`)) : all);
      res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
      return;
    }
    if (url.pathname === '/ready') return void res.writeHead(200, {'Content-Type': 'text/plain'}).end('ok\n');
    res.writeHead(404, {'Content-Type': 'text/plain'}).end('404 page not found\n');
  };
}

/** The HTTP handler behind an istiod pod's monitoring port. */
export function istiodHandler(world: World): http.RequestListener {
  return synczHandler(() => syncz(world));
}
