/**
 * Serving the simulator's metrics: through the fixture API server's `pods/proxy` subresource (what
 * the proxy-scrape source reads: `pods/<pod>:<port>/proxy/<metrics path>`), through its
 * `services/proxy` subresource (an in-cluster Prometheus reached via the API server, forwarded to a
 * real one), and as a plain HTTP exporter a real Prometheus can scrape (`/pods/<ns>/<pod>`).
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {FixtureApiServer, SubresourceCall} from '../api-server/index.js';
import type {KubeObject} from '../../core/kube-types/index.js';
import type {TrafficSim} from './model.js';
import {istioMetrics} from '../../mesh/istio/metrics.js';
import {linkerdMetrics} from '../../mesh/linkerd/metrics.js';

const SCRAPE: Readonly<Record<string, {port: number; path: string}>> = {istio: istioMetrics.scrape, linkerd: linkerdMetrics.scrape};

function status(res: ServerResponse, code: number, message: string): void {
  const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code});
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
  res.end(body);
}

export type SimProxyOptions = Readonly<{
  /** `ns/name` of a Service → base URL its service proxy forwards to (e.g. a real Prometheus). */
  services?: Readonly<Record<string, string>>;
  /** Pods the API server "cannot reach" (private clusters): their pod proxy answers 503. */
  unreachablePods?: ReadonlySet<string>;
}>;

/** Register `pods/proxy` (and `services/proxy`) on a fixture API server, served from the simulator. */
export function registerSimProxies(server: FixtureApiServer, sim: TrafficSim, options: SimProxyOptions = {}): void {
  server.registerSubresource('pods', 'proxy', (call: SubresourceCall) => {
    if (call.kind !== 'http') return;
    const [name, port] = call.name.split(':');
    const pod = sim.pod(call.namespace ?? '', name);
    const key = `${call.namespace}/${name}`;
    if (options.unreachablePods?.has(key)) return status(call.res, 503, `error trying to reach service: dial tcp ${pod?.ip ?? '10.0.0.1'}:${port}: i/o timeout`);
    const scrape = pod && SCRAPE[pod.workload.mesh];
    if (!pod || !scrape) return status(call.res, 503, `error trying to reach service: dial tcp: connect: connection refused`);
    if (Number(port) !== scrape.port || decodeURIComponent(call.subpath.split('?')[0]) !== scrape.path) {
      call.res.writeHead(404, {'Content-Type': 'text/plain'});
      call.res.end('404 page not found\n');
      return;
    }
    const body = sim.exposition(pod);
    call.res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body)});
    call.res.end(body);
  });
  const services = options.services ?? {};
  server.registerSubresource('services', 'proxy', (call: SubresourceCall) => {
    if (call.kind !== 'http') return;
    const name = call.name.split(':')[0];
    const upstream = services[`${call.namespace}/${name}`];
    if (!upstream) return status(call.res, 503, `no endpoints available for service "${name}"`);
    const target = new URL(upstream.replace(/\/$/, '') + call.subpath + (call.query.toString() ? `?${call.query}` : ''));
    const req = http.get(target, (up: IncomingMessage) => {
      call.res.writeHead(up.statusCode ?? 502, {'Content-Type': up.headers['content-type'] ?? 'application/octet-stream'});
      up.pipe(call.res);
    });
    req.on('error', (e) => status(call.res, 503, `error trying to reach service: ${e.message}`));
  });
}

/** A plain HTTP exporter: `GET /pods/<ns>/<pod>` serves that pod's proxy metrics at the simulator's current time. */
export async function startSimExporter(sim: TrafficSim, host = '127.0.0.1'): Promise<{url: string; close(): Promise<void>}> {
  const server = http.createServer((req, res) => {
    const m = /^\/pods\/([^/]+)\/([^/?]+)/.exec(req.url ?? '');
    const pod = m && sim.pod(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    if (req.method !== 'GET' || !pod) {
      res.writeHead(404).end();
      return;
    }
    const body = sim.exposition(pod);
    res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8'}).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const {port} = server.address() as AddressInfo;
  return {url: `http://${host}:${port}`, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

/**
 * For the fixture server's port-forward simulator (src/sim/port-forward.ts): a handler for a
 * simulated pod's proxy metrics port, undefined for any other port (connection refused).
 */
export function simPodPorts(sim: TrafficSim, refuse: ReadonlySet<string> = new Set()): (pod: KubeObject, port: number) => http.RequestListener | undefined {
  const handlers = new Map<string, http.RequestListener>();
  return (object, port) => {
    const pod = sim.pod(object.metadata.namespace ?? '', object.metadata.name);
    const scrape = pod && SCRAPE[pod.workload.mesh];
    if (!pod || !scrape || scrape.port !== port || refuse.has(`${pod.namespace}/${pod.name}`)) return undefined;
    const key = `${pod.namespace}/${pod.name}`;
    let handler = handlers.get(key);
    if (!handler) {
      handler = (req, res) => {
        if ((req.url ?? '').split('?')[0] !== scrape.path) return void res.writeHead(404).end();
        res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4'}).end(sim.exposition(pod));
      };
      handlers.set(key, handler);
    }
    return handler;
  };
}
