/**
 * The proxy-scrape source (Prometheus down or absent; best effort, labelled `source: proxies`):
 * read each meshed pod's proxy metrics endpoint twice, `sample` apart, through the API server's pod
 * proxy subresource (`pods/<pod>:<port>/proxy<path>`), falling back to another reader (port-forward)
 * for pods the API server cannot reach. Bounded: a concurrency limit, a per-pod timeout and a cap on
 * pods per refresh; the pods that could not be read are named.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {MeshName, Subject} from '../../core/types.js';
import type {MeshMetrics} from '../../mesh/metric-query.js';
import type {PodHttpClient} from '../kube/port-forward.js';
import {mapLimit} from '../concurrency.js';
import type {ExpoSample} from './exposition.js';
import {parseExposition} from './exposition.js';
import type {ScrapePair} from './evaluate.js';
import type {KubeHttp} from './kube-http.js';
import {KubeHttpError, podProxyPath} from './kube-http.js';

export type ScrapeTarget = Readonly<{namespace: string; pod: string; mesh: MeshName; port: number; path: string; labels: Readonly<Record<string, string>>}>;

/** Reads one pod's metrics text; throws an Error whose message is the one-line reason. */
export interface PodMetricsReader {
  readonly name: string;
  read(target: ScrapeTarget, timeoutMs: number): Promise<string>;
}

export class PodReadError extends Error {
  /** `unreachable` = the API server could not connect to the pod (try another reader). */
  constructor(message: string, readonly unreachable = false) {
    super(message);
  }
}

/** Through the API server: GET pods/<pod>:<port>/proxy<path>. */
export function apiServerPodReader(http: KubeHttp): PodMetricsReader {
  return {
    name: 'pod proxy',
    async read(t, timeoutMs) {
      let res;
      try {
        res = await http.get(podProxyPath(t.namespace, t.pod, t.port, t.path), {timeoutMs, limit: 'proxyScrape', accept: 'text/plain'});
      } catch (error) {
        // The pod answered, too much: another reader would get the same answer.
        throw new PodReadError((error as Error).message, !(error instanceof KubeHttpError && error.capped));
      }
      if (res.status === 200) return res.body.toString('utf8');
      const detail = res.body.toString('utf8').replace(/\s+/g, ' ').slice(0, 160);
      // 502/503/500 from the pod proxy: the API server could not reach the pod (private clusters).
      throw new PodReadError(`HTTP ${res.status} from the pod proxy${detail ? ` (${detail})` : ''}`, res.status >= 500 || res.status === 0);
    },
  };
}

/**
 * Through the port-forward subresource (src/sources/kube/port-forward.ts), for pods the API server's
 * proxy cannot reach (private clusters). The client is created on first use.
 */
export function portForwardPodReader(client: () => Promise<PodHttpClient>): PodMetricsReader {
  let created: Promise<PodHttpClient> | undefined;
  return {
    name: 'port-forward',
    async read(t, timeoutMs) {
      let res;
      try {
        res = await (created ??= client()).then((c) => c.get({namespace: t.namespace, pod: t.pod, port: t.port}, t.path, timeoutMs));
      } catch (error) {
        throw new PodReadError((error as Error).message);
      }
      if (res.status === 200) return res.body.toString('utf8');
      throw new PodReadError(`HTTP ${res.status} through port-forward`);
    },
  };
}

export type ProxyScrapeOptions = Readonly<{
  sampleSeconds: number;
  /** Per pod, per scrape. */
  timeoutMs: number;
  concurrency?: number;
  maxPods?: number;
  readers: readonly PodMetricsReader[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}>;

export type ProxyScrapeResult = Readonly<{
  pairs: ScrapePair[];
  scraped: number;
  failed: readonly {pod: string; reason: string}[];
  /** Pods left out by the cap. */
  skipped: number;
}>;

/** Meshed pods worth scraping: Running, with the mesh's proxy, in the namespaces asked for. */
export function scrapeTargets(pods: readonly Pod[], meshes: readonly MeshMetrics[], proxyMeshOf: (pod: Pod) => MeshName | undefined,
  ownerOf: (pod: Pod) => Subject, include: (namespace: string) => boolean): ScrapeTarget[] {
  const out: ScrapeTarget[] = [];
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? 'default';
    if (!include(ns) || pod.status?.phase !== 'Running') continue;
    const mesh = proxyMeshOf(pod);
    const knowledge = mesh && meshes.find((m) => m.mesh === mesh);
    if (!knowledge) continue;
    out.push({namespace: ns, pod: pod.metadata.name, mesh: knowledge.mesh, port: knowledge.scrape.port, path: knowledge.scrape.path, labels: knowledge.targetLabels(pod, ownerOf(pod))});
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function scrapeProxies(targets: readonly ScrapeTarget[], options: ProxyScrapeOptions): Promise<ProxyScrapeResult> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? defaultSleep;
  const cap = options.maxPods ?? 200;
  const chosen = targets.slice(0, cap);
  const failed = new Map<string, string>();
  const key = (t: ScrapeTarget) => `${t.namespace}/${t.pod}`;

  const readOnce = async (t: ScrapeTarget): Promise<{at: number; samples: ExpoSample[]} | undefined> => {
    let lastError = '';
    for (const reader of options.readers) {
      try {
        const text = await reader.read(t, options.timeoutMs);
        const at = now();
        const samples = parseExposition(text).map((s) => ({name: s.name, labels: {...s.labels, ...t.labels}, value: s.value}));
        return {at, samples};
      } catch (error) {
        lastError = `${reader.name}: ${(error as Error).message}`;
        if (!(error instanceof PodReadError && error.unreachable)) break;
      }
    }
    failed.set(key(t), lastError);
    return undefined;
  };

  const started = now();
  const first = await mapLimit(chosen, options.concurrency ?? 8, readOnce);
  const elapsed = now() - started;
  // Nothing answered: no point waiting for a second round.
  if (first.some((f) => f !== undefined)) await sleep(Math.max(0, options.sampleSeconds * 1000 - elapsed));
  const second = await mapLimit(chosen, options.concurrency ?? 8, (t, i) => (first[i] ? readOnce(t) : Promise.resolve(undefined)));
  const pairs: ScrapePair[] = [];
  chosen.forEach((t, i) => {
    const a = first[i];
    const b = second[i];
    if (a && b) pairs.push({first: {key: key(t), ...a}, second: {key: key(t), ...b}});
  });
  return {
    pairs,
    scraped: pairs.length,
    failed: [...failed].map(([pod, reason]) => ({pod, reason})),
    skipped: targets.length - chosen.length,
  };
}
