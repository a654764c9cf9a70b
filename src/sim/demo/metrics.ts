/**
 * The metrics a demo world's proxies expose: simulated pods serve the traffic simulator's series,
 * idle meshed pods (control-plane pods of the manifests) the presence series of an idle proxy. The
 * same text goes to the API server's pod proxy (proxy-scrape source), to port-forwards, and to the
 * plain exporter a real Prometheus scrapes with the mesh's standard target labels; the history written
 * for `promtool tsdb create-blocks-from openmetrics` carries exactly the labels the live scrape adds,
 * so backfilled and scraped samples form one series.
 */
import type {KubeObject, Pod} from '../../core/kube-types/index.js';
import type {MeshName, Subject} from '../../core/types.js';
import {istioMetrics} from '../../mesh/istio/metrics.js';
import {linkerdMetrics} from '../../mesh/linkerd/metrics.js';
import type {MeshMetrics} from '../../mesh/metric-query.js';
import {formatLabels, formatValue} from '../traffic/model.js';
import type {IdlePod, World} from './world.js';

const KNOWLEDGE: Readonly<Partial<Record<MeshName, MeshMetrics>>> = {istio: istioMetrics, linkerd: linkerdMetrics};

/** The job name of the demo's Prometheus scrape configuration (also written into the backfill). */
export const DEMO_JOB = 'meshdoctor-demo';

type Sample = Readonly<{name: string; labels: Readonly<Record<string, string>>; value: number; type: string; family: string}>;

function idleSamples(pod: IdlePod): Sample[] {
  if (pod.mesh === 'istio') {
    return [
      {name: 'envoy_server_live', family: 'envoy_server_live', type: 'gauge', labels: {}, value: 1},
      {name: 'istio_build', family: 'istio_build', type: 'gauge', labels: {component: 'proxy', tag: pod.version}, value: 1},
    ];
  }
  return [{name: 'proxy_build_info', family: 'proxy_build_info', type: 'gauge', labels: {version: pod.version, git_sha: 'demo', profile: 'release', vendor: 'linkerd'}, value: 1}];
}

function exposition(samples: readonly Sample[]): string {
  const lines: string[] = [];
  let family = '';
  for (const s of samples) {
    if (s.family !== family) lines.push(`# TYPE ${(family = s.family)} ${s.type}`);
    lines.push(`${s.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export type ScrapedPod = Readonly<{namespace: string; name: string; mesh: MeshName; port: number; path: string; object: Pod}>;

/** Every pod of the world whose proxy serves metrics, with where its mesh serves them. */
export function scrapedPods(world: World): ScrapedPod[] {
  const objects = new Map(world.objects.filter((o) => o.kind === 'Pod').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o as Pod]));
  const out: ScrapedPod[] = [];
  const add = (namespace: string, name: string, mesh: MeshName | 'none') => {
    const knowledge = mesh === 'none' ? undefined : KNOWLEDGE[mesh];
    const object = objects.get(`${namespace}/${name}`);
    if (knowledge && object && mesh !== 'none') out.push({namespace, name, mesh, port: knowledge.scrape.port, path: knowledge.scrape.path, object});
  };
  for (const p of world.sim.pods) add(p.namespace, p.name, p.workload.mesh);
  for (const p of world.idlePods) add(p.namespace, p.name, p.mesh);
  return out;
}

/** The text a pod's proxy serves at `atMs` (default now); undefined for pods without a meshed proxy. */
export function podMetricsText(world: World, namespace: string, name: string, atMs?: number): string | undefined {
  const pod = world.sim.pod(namespace, name);
  if (pod) return pod.workload.mesh === 'none' ? undefined : world.sim.exposition(pod, atMs);
  const idle = world.idlePods.find((p) => p.namespace === namespace && p.name === name);
  return idle ? exposition(idleSamples(idle)) : undefined;
}

function owner(pod: KubeObject): Subject {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  return ref ? {kind: ref.kind, apiVersion: ref.apiVersion, namespace: pod.metadata.namespace, name: ref.name} : {kind: 'Pod', apiVersion: 'v1', namespace: pod.metadata.namespace, name: pod.metadata.name};
}

/** The labels the demo's Prometheus attaches to a pod's samples: the mesh's standard target labels, job and instance. */
export function targetLabels(pod: ScrapedPod): Record<string, string> {
  return {...KNOWLEDGE[pod.mesh]!.targetLabels(pod.object, owner(pod.object)), job: DEMO_JOB, instance: `${pod.namespace}/${pod.name}`};
}

/** The exporter path serving one pod's metrics. */
export function exporterPath(pod: Pick<ScrapedPod, 'namespace' | 'name'>): string {
  return `/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`;
}

export type HistoryRange = Readonly<{fromMs: number; toMs: number; stepSeconds: number}>;

/** Write the world's metric history as OpenMetrics text (time-major, ends with `# EOF`); returns the sample count. */
export function writeHistory(world: World, range: HistoryRange, write: (chunk: string) => void): number {
  const pods = scrapedPods(world).map((p) => ({p, labels: targetLabels(p), sim: world.sim.pod(p.namespace, p.name), idle: world.idlePods.find((i) => i.namespace === p.namespace && i.name === p.name)}));
  let count = 0;
  const step = range.stepSeconds * 1000;
  const first = Math.max(range.fromMs, world.sim.startMs);
  // A pod's series come in the same order at every instant: format each series' name and labels once.
  const prefixes = new Map<string, string[]>();
  for (let t = first; t <= range.toMs; t += step) {
    const ts = t % 1000 === 0 ? String(t / 1000) : (t / 1000).toFixed(3);
    const lines: string[] = [];
    for (const {p, labels, sim, idle} of pods) {
      const samples: readonly Sample[] = sim ? world.sim.samples(sim, t) : idle ? idleSamples(idle) : [];
      const key = `${p.namespace}/${p.name}`;
      let prefix = prefixes.get(key);
      if (!prefix || prefix.length !== samples.length) prefixes.set(key, (prefix = samples.map((s) => `${s.name}${formatLabels({...s.labels, ...labels})} `)));
      for (let i = 0; i < samples.length; i++) lines.push(`${prefix[i]}${formatValue(samples[i].value)} ${ts}`);
      count += samples.length;
    }
    if (lines.length) write(`${lines.join('\n')}\n`);
  }
  write('# EOF\n');
  return count;
}
