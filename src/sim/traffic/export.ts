/**
 * The simulator's metrics as a Prometheus server would store them: each pod's proxy series plus
 * the target labels the mesh's standard scrape configuration adds (namespace, pod, workload…),
 * sampled every `step` seconds, written as OpenMetrics for
 * `promtool tsdb create-blocks-from openmetrics` (backfilled history for a real Prometheus).
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {Subject} from '../../core/types.js';
import type {MeshMetrics} from '../../mesh/metric-query.js';
import {istioMetrics} from '../../mesh/istio/metrics.js';
import {linkerdMetrics} from '../../mesh/linkerd/metrics.js';
import type {SimPod, SimSample, TrafficSim} from './model.js';
import {formatLabels, formatValue} from './model.js';
import {simObjects} from './objects.js';

const KNOWLEDGE: Readonly<Record<string, MeshMetrics>> = {istio: istioMetrics, linkerd: linkerdMetrics};

/** Per pod: the labels a Prometheus scraping it with the mesh's standard configuration adds. */
export function scrapeLabels(sim: TrafficSim): Map<string, Record<string, string>> {
  const pods = new Map(simObjects(sim).filter((o) => o.kind === 'Pod').map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p as Pod]));
  const out = new Map<string, Record<string, string>>();
  for (const pod of sim.pods) {
    const knowledge = KNOWLEDGE[pod.workload.mesh];
    const object = pods.get(`${pod.namespace}/${pod.name}`);
    if (!knowledge || !object) continue;
    const owner: Subject = {kind: pod.workload.kind, apiVersion: 'apps/v1', namespace: pod.namespace, name: pod.workload.name};
    out.set(`${pod.namespace}/${pod.name}`, knowledge.targetLabels(object, owner));
  }
  return out;
}

/** Samples of a pod with its scrape labels merged (what Prometheus stores for it). */
export function scrapedSamples(sim: TrafficSim, pod: SimPod, atMs: number, labels: Readonly<Record<string, string>>): SimSample[] {
  return sim.samples(pod, atMs).map((s) => ({...s, labels: {...s.labels, ...labels}}));
}

export type HistoryOptions = Readonly<{fromMs: number; toMs: number; stepSeconds: number}>;

/** Write the history as OpenMetrics text through `write` (chunked; ends with `# EOF`). */
export function writeOpenMetrics(sim: TrafficSim, options: HistoryOptions, write: (chunk: string) => void): number {
  const labels = scrapeLabels(sim);
  const pods = sim.pods.filter((p) => labels.has(`${p.namespace}/${p.name}`));
  let count = 0;
  const step = options.stepSeconds * 1000;
  const first = Math.max(options.fromMs, sim.startMs);
  for (let t = first; t <= options.toMs; t += step) {
    const ts = t % 1000 === 0 ? String(t / 1000) : (t / 1000).toFixed(3);
    const lines: string[] = [];
    for (const pod of pods) {
      for (const s of scrapedSamples(sim, pod, t, labels.get(`${pod.namespace}/${pod.name}`)!)) {
        lines.push(`${s.name}${formatLabels(s.labels)} ${formatValue(s.value)} ${ts}`);
        count++;
      }
    }
    write(`${lines.join('\n')}\n`);
  }
  write('# EOF\n');
  return count;
}

export function openMetricsText(sim: TrafficSim, options: HistoryOptions): string {
  const chunks: string[] = [];
  writeOpenMetrics(sim, options, (c) => chunks.push(c));
  return chunks.join('');
}
