/**
 * Serving a demo world on loopback: the fixture API server (random free port, read-only) with the
 * subresources meshdoctor reads through it — `pods/proxy` (proxy metrics, a sidecar's Envoy admin),
 * `pods/portforward` (the same, and the fake istiod's /debug/syncz), `pods/log` (the containers'
 * logs, src/sim/proxy/logs.ts) — and a kubeconfig for it in a fresh temporary
 * directory. `stop()` closes everything it opened and removes the directory; `stopNow()` is the
 * synchronous last resort for process exit.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import type http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {KubeObject, Pod} from '../../core/kube-types/index.js';
import type {ResourceType} from '../../core/resources.js';
import {RESOURCE_TYPES} from '../../core/resources.js';
import {FixtureApiServer, type SubresourceCall} from '../api-server/index.js';
import {PortForwardSimulator} from '../port-forward.js';
import {registerPodLogs} from '../proxy/pod-log.js';
import type {WorldProxies} from '../proxy/world.js';
import {worldProxies} from '../proxy/world.js';
import {istiodHandler, istiodMonitoringPort, istiodPods} from './istiod.js';
import {podMetricsText, scrapedPods} from './metrics.js';
import type {World} from './world.js';

export type ServedWorld = Readonly<{
  world: World;
  api: FixtureApiServer;
  /** The API server's URL. */
  url: string;
  /** The temporary directory holding the kubeconfig (and Prometheus' data, when started). */
  dir: string;
  kubeconfig: string;
  context: string;
  stop(): Promise<void>;
  /** Synchronous cleanup for `process.on('exit')`: removes the directory. */
  stopNow(): void;
}>;

function status(res: http.ServerResponse, code: number, message: string): void {
  const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code});
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
}

/**
 * `pods/<name>:<port>/proxy<path>`: the pod's proxy metrics on its mesh's scrape port and path. An
 * Istio sidecar's Envoy admin (15000) listens on the pod's loopback, so the API server cannot reach
 * it here (connection refused, as in a real cluster); port-forward can.
 */
function registerPodProxy(api: FixtureApiServer, world: World): void {
  const endpoints = new Map(scrapedPods(world).map((p) => [`${p.namespace}/${p.name}`, p]));
  api.registerSubresource('pods', 'proxy', (call: SubresourceCall) => {
    if (call.kind !== 'http') return;
    const [name, port] = call.name.split(':');
    const target = endpoints.get(`${call.namespace}/${name}`);
    const ip = (call.object as KubeObject).status?.podIP ?? '10.0.0.1';
    if (!target || Number(port) !== target.port) return status(call.res, 503, `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
    if (decodeURIComponent(call.subpath.split('?')[0]) !== target.path) {
      call.res.writeHead(404, {'Content-Type': 'text/plain'}).end('404 page not found\n');
      return;
    }
    const body = podMetricsText(world, target.namespace, target.name) ?? '';
    call.res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body)}).end(body);
  });
}

/** What listens on a pod's port behind `pods/portforward`: istiod's monitoring port, a proxy's metrics port, a sidecar's Envoy admin port. */
function portResolver(world: World, proxies: WorldProxies): (pod: KubeObject, port: number) => http.RequestListener | undefined {
  const istiod = istiodHandler(world);
  const istiods = new Set(istiodPods(world).map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const endpoints = new Map(scrapedPods(world).map((p) => [`${p.namespace}/${p.name}`, p]));
  const handlers = new Map<string, http.RequestListener>();
  return (pod, port) => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (istiods.has(key) && port === istiodMonitoringPort(pod)) return istiod;
    const admin = proxies.admin(pod as Pod, port);
    if (admin) return admin;
    const target = endpoints.get(key);
    if (!target || target.port !== port) return undefined;
    let handler = handlers.get(key);
    if (!handler) {
      handler = (req, res) => {
        if ((req.url ?? '').split('?')[0] !== target.path) return void res.writeHead(404).end();
        res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4'}).end(podMetricsText(world, target.namespace, target.name) ?? '');
      };
      handlers.set(key, handler);
    }
    return handler;
  };
}

/**
 * Built-in kinds the demo's API server serves: meshdoctor's own, plus what a runbook step asks
 * kubectl for although meshdoctor never reads it (NetworkPolicies: none in the demo, an empty list).
 */
const DEMO_BUILTINS: readonly ResourceType[] = [
  ...RESOURCE_TYPES.filter((t) => t.builtin),
  {key: 'networkpolicies.networking.k8s.io', group: 'networking.k8s.io', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, versions: ['v1'], builtin: true},
];

export type ServeOptions = Readonly<{
  /** Parent of the temporary directory; default the OS temp directory. */
  tmpRoot?: string;
}>;

/** Start the API server for a world and write its kubeconfig. */
export async function serveWorld(world: World, options: ServeOptions = {}): Promise<ServedWorld> {
  const context = `meshdoctor-demo-${world.scenario.name}`;
  const api = new FixtureApiServer({objects: world.objects, kubernetesVersion: '1.31', user: 'meshdoctor-demo', builtins: DEMO_BUILTINS});
  const proxies = worldProxies(world);
  registerPodProxy(api, world);
  registerPodLogs(api, (pod) => proxies.logSource(pod));
  const forwarder = new PortForwardSimulator(portResolver(world, proxies));
  forwarder.attach(api);
  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'meshdoctor-demo-'));
  const kubeconfig = join(dir, 'kubeconfig');
  let stopped = false;
  const stopNow = () => {
    stopped = true;
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    const {url} = await api.start();
    api.writeKubeconfig(kubeconfig, {context});
    return {
      world, api, url, dir, kubeconfig, context, stopNow,
      async stop() {
        if (stopped) return;
        stopped = true;
        await Promise.allSettled([forwarder.close(), api.stop()]);
        rmSync(dir, {recursive: true, force: true});
      },
    };
  } catch (error) {
    await Promise.allSettled([forwarder.close(), api.stop()]);
    stopNow();
    throw error;
  }
}
