/**
 * The bench's cluster, in its own process (forked by cluster-server.ts): a realistic cluster
 * (src/sim/realistic) served by the fixture API server, reached the way meshdoctor reaches a real
 * one — a kube-prometheus Service (`monitoring/prometheus-k8s`) that discovery finds and the API
 * server's service proxy forwards to a Prometheus with no traffic to report, and istiod's
 * /debug/syncz (every proxy synced) behind the pods' port-forward. Its own process so the API
 * server's work (and its memory: the served JSON of a 50k-pod cluster is over a gigabyte) is not
 * counted against, or competing in, the process measured.
 *
 * IPC: the parent sends {type: 'bytes'} (answered with the response bytes served since the last
 * `reset`), {type: 'reset'}, {type: 'churn', perSecond} (replace that many pods a second, as
 * rollouts and evictions do, so watches have work) and {type: 'stop'}.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {KubeObject} from '../src/core/kube-types/index.js';
import {FixtureApiServer, type SubresourceCall} from '../src/sim/api-server/index.js';
import {PortForwardSimulator} from '../src/sim/port-forward.js';
import {synczHandler, synczOf} from '../src/sim/demo/istiod.js';
import {realisticCluster} from '../src/sim/realistic/cluster.js';
import type {RealisticMesh} from '../src/sim/realistic/workloads.js';

export type ServeClusterOptions = Readonly<{mesh: RealisticMesh; pods: number; latencyMs?: number; seed?: number; faultShare?: number; context?: string}>;

export type ReadyMessage = Readonly<{
  type: 'ready';
  kubeconfig: string;
  context: string;
  /** Base URL of the Prometheus and istiod stand-ins (also reachable through the cluster, as meshdoctor finds them). */
  auxUrl: string;
  objects: number;
  generatedMs: number;
  /** Mean JSON size of a pod as served (managedFields included) and as `kubectl get -o json` prints it (without). */
  podBytes: number;
  podBytesKubectl: number;
}>;

/** kube-prometheus' Service, which discovery looks for in `monitoring` whatever the mesh. */
const MONITORING: readonly KubeObject[] = [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'monitoring', labels: {'kubernetes.io/metadata.name': 'monitoring'}}},
  {apiVersion: 'v1', kind: 'Service', metadata: {name: 'prometheus-k8s', namespace: 'monitoring', labels: {'app.kubernetes.io/name': 'prometheus'}},
    spec: {selector: {'app.kubernetes.io/name': 'prometheus'}, ports: [{name: 'web', port: 9090, targetPort: 'web'}]}} as KubeObject,
];

/** A Prometheus with no traffic: every query answers an empty result (metric checks then pass or skip on nothing). */
function prometheusAnswer(url: URL): unknown {
  if (url.pathname === '/api/v1/status/config') return {status: 'success', data: {yaml: 'global:\n  scrape_interval: 15s\n'}};
  if (url.pathname === '/api/v1/status/buildinfo') return {status: 'success', data: {version: '2.53.0'}};
  if (url.pathname.startsWith('/api/v1/query_range')) return {status: 'success', data: {resultType: 'matrix', result: []}};
  return {status: 'success', data: {resultType: 'vector', result: []}};
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServeClusterOptions;
  const started = performance.now();
  const objects = [...await realisticCluster({mesh: options.mesh, pods: options.pods, seed: options.seed, faultShare: options.faultShare ?? 0.01}), ...MONITORING];
  const generatedMs = performance.now() - started;
  const api = new FixtureApiServer({objects, kubernetesVersion: '1.30', requestLogLimit: 1_000_000, ...(options.latencyMs ? {latencyMs: options.latencyMs} : {})});
  const pods = objects.filter((o) => o.kind === 'Pod');
  const byName = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const istiod = synczHandler(() => synczOf(byName.values(), {at: Date.now()}));
  const prometheus = (url: URL, res: http.ServerResponse): void => {
    const body = JSON.stringify(prometheusAnswer(url));
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
  };
  const aux = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://aux');
    return url.pathname.startsWith('/debug/') || url.pathname === '/ready' ? istiod(req, res) : prometheus(url, res);
  });
  api.registerSubresource('services', 'proxy', (call: SubresourceCall) => {
    if (call.kind !== 'http') return;
    if (`${call.namespace}/${call.name.split(':')[0]}` !== 'monitoring/prometheus-k8s') {
      call.res.writeHead(503, {'Content-Type': 'application/json'}).end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 503, message: 'no endpoints available'}));
      return;
    }
    prometheus(new URL(`${call.subpath}${call.query.toString() ? `?${call.query}` : ''}`, 'http://prometheus'), call.res);
  });
  const forwarder = new PortForwardSimulator((pod, port) => (pod.metadata.labels?.app === 'istiod' && port === 15014 ? istiod : undefined));
  forwarder.attach(api);
  await new Promise<void>((resolve) => aux.listen(0, '127.0.0.1', resolve));
  await api.start();
  const dir = mkdtempSync(join(tmpdir(), 'md-bench-cluster-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const context = options.context ?? `bench-${options.mesh}-${options.pods}`;
  api.writeKubeconfig(kubeconfig, {context});

  let bytesFrom = 0;
  let churn: NodeJS.Timeout | undefined;
  let generation = 0;
  const served = () => api.requests.slice(bytesFrom).reduce((n, r) => n + r.bytes, 0);
  process.on('message', (message: {type: string; perSecond?: number}) => {
    if (message.type === 'bytes') process.send!({type: 'bytes', bytes: served(), requests: api.requests.length - bytesFrom});
    else if (message.type === 'reset') {
      bytesFrom = api.requests.length;
      process.send!({type: 'reset'});
    } else if (message.type === 'churn') {
      if (churn) clearInterval(churn);
      const perSecond = message.perSecond ?? 0;
      if (perSecond > 0) {
        // A pod replaced: the old one deleted, a new one (same spec, new name and IP) added, as a rollout does.
        churn = setInterval(() => {
          const list = [...byName.values()];
          for (let i = 0; i < perSecond; i++) {
            const old = list[(generation * 7919 + i * 104_729) % list.length] as KubeObject & {status?: {podIP?: string}};
            generation++;
            const key = `${old.metadata.namespace}/${old.metadata.name}`;
            api.remove('v1', 'Pod', old.metadata.namespace, old.metadata.name);
            byName.delete(key);
            const name = `${old.metadata.name.replace(/-[^-]+$/, '')}-g${generation.toString(36)}`;
            const replacement = {...old, metadata: {...old.metadata, name, uid: undefined, resourceVersion: undefined, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}} as unknown as KubeObject;
            api.apply(replacement);
            byName.set(`${old.metadata.namespace}/${name}`, replacement);
          }
        }, 1000);
      }
      process.send!({type: 'churn'});
    } else if (message.type === 'stop') {
      if (churn) clearInterval(churn);
      void Promise.allSettled([forwarder.close(), api.stop(), new Promise((r) => aux.close(r))]).then(() => {
        rmSync(dir, {recursive: true, force: true});
        process.exit(0);
      });
    }
  });
  const sample = pods.filter((_, i) => i % Math.max(1, Math.floor(pods.length / 200)) === 0);
  const mean = (f: (p: KubeObject) => unknown) => Math.round(sample.reduce((n, p) => n + JSON.stringify(f(p)).length, 0) / sample.length);
  const ready: ReadyMessage = {
    type: 'ready', kubeconfig, context, auxUrl: `http://127.0.0.1:${(aux.address() as AddressInfo).port}`, objects: objects.length, generatedMs,
    podBytes: mean((p) => p),
    podBytesKubectl: mean((p) => {
      const {managedFields: _mf, ...metadata} = p.metadata as KubeObject['metadata'] & {managedFields?: unknown};
      return {...p, metadata};
    }),
  };
  process.send!(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
