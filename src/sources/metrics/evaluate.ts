/**
 * Evaluate metric queries (src/mesh/metric-query.ts) over two scrapes of each proxy, the way
 * Prometheus would over a window: counter increases are the deltas between the scrapes (a counter
 * that went down was reset: the new value is the increase; a series that appeared between the
 * scrapes started at 0), gauges are the second scrape's values, and quantiles come from bucket
 * deltas with Prometheus' own interpolation. Pure.
 */
import type {MetricQuery, Probe, ProbeResult, QueryResults, Sample} from '../../mesh/metric-query.js';
import {matches, PART_LABEL} from '../../mesh/metric-query.js';
import type {ExpoSample} from './exposition.js';
import {histogramQuantile, parseLe} from './histogram.js';

/** One pod's scrape, with the target labels (namespace, pod, workload…) already merged into each sample. */
export type PodScrape = Readonly<{key: string; at: number; samples: readonly ExpoSample[]}>;

/** First and second scrape of a pod; `first` is missing when the pod could only be read once. */
export type ScrapePair = Readonly<{first?: PodScrape; second: PodScrape}>;

function seriesKey(s: ExpoSample): string {
  const keys = Object.keys(s.labels).sort();
  let out = s.name;
  for (const k of keys) out += `\u0000${k}\u0001${s.labels[k]}`;
  return out;
}

function selected(q: MetricQuery, s: ExpoSample): boolean {
  if (!q.families.includes(s.name)) return false;
  for (const m of q.matchers ?? []) if (!matches(s.labels, m)) return false;
  return true;
}

function groupKey(by: readonly string[], s: ExpoSample): string {
  return by.map((l) => (l === '__name__' ? s.name : s.labels[l] ?? '')).join('\u0000');
}

function groupLabels(by: readonly string[], s: ExpoSample): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of by) {
    const v = l === '__name__' ? s.name : s.labels[l];
    if (v) labels[l] = v;
  }
  return labels;
}

/** Per selected series of a pair: the increase between the scrapes. */
function increases(q: MetricQuery, pair: ScrapePair, windowSeconds?: number): {sample: ExpoSample; value: number}[] {
  if (!pair.first) return [];
  // Normalise to the nominal window when this pod's two scrapes were not exactly that far apart.
  const dt = (pair.second.at - pair.first.at) / 1000;
  const factor = windowSeconds && dt > 0 ? windowSeconds / dt : 1;
  const before = new Map<string, number>();
  for (const s of pair.first.samples) if (selected(q, s)) before.set(seriesKey(s), s.value);
  const out: {sample: ExpoSample; value: number}[] = [];
  for (const s of pair.second.samples) {
    if (!selected(q, s) || !Number.isFinite(s.value)) continue;
    const prev = before.get(seriesKey(s));
    const value = prev === undefined ? s.value : s.value < prev ? s.value : s.value - prev;
    out.push({sample: s, value: value * factor});
  }
  return out;
}

export function evaluateQuery(q: MetricQuery, pairs: readonly ScrapePair[], windowSeconds?: number): Sample[] {
  if (q.parts) {
    // Each part on its own, labelled with its name (as the PromQL rendering does).
    return q.parts.flatMap((p) => evaluateQuery({...q, parts: undefined, matchers: [...(q.matchers ?? []), ...(p.matchers ?? [])], by: p.by}, pairs, windowSeconds)
      .map((s) => ({labels: {...s.labels, [PART_LABEL]: p.name}, value: s.value})));
  }
  const groups = new Map<string, {labels: Record<string, string>; value: number; count: number}>();
  const add = (s: ExpoSample, value: number, by = q.by, extra?: Record<string, string>) => {
    const key = groupKey(by, s) + (extra ? `\u0000${JSON.stringify(extra)}` : '');
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {labels: {...groupLabels(by, s), ...extra}, value, count: 1});
      return;
    }
    g.count++;
    switch (q.agg ?? 'sum') {
      case 'min':
        g.value = Math.min(g.value, value);
        break;
      case 'max':
        g.value = Math.max(g.value, value);
        break;
      default:
        g.value += value;
    }
  };
  switch (q.kind) {
    case 'increase':
      for (const pair of pairs) for (const {sample, value} of increases(q, pair, windowSeconds)) add(sample, value);
      break;
    case 'value':
      for (const pair of pairs) for (const s of pair.second.samples) if (selected(q, s)) add(s, q.agg === 'count' ? 1 : s.value);
      break;
    case 'max-over':
      for (const pair of pairs) {
        for (const scrape of [pair.first, pair.second]) {
          if (!scrape) continue;
          for (const s of scrape.samples) {
            if (!selected(q, s)) continue;
            const key = groupKey(q.by, s);
            const g = groups.get(key);
            if (!g) groups.set(key, {labels: groupLabels(q.by, s), value: s.value, count: 1});
            else g.value = Math.max(g.value, s.value);
          }
        }
      }
      break;
    case 'quantiles': {
      const buckets = new Map<string, {labels: Record<string, string>; buckets: Map<number, number>}>();
      for (const pair of pairs) {
        for (const {sample, value} of increases(q, pair)) {
          const le = parseLe(sample.labels.le ?? '');
          if (Number.isNaN(le)) continue;
          const key = groupKey(q.by, sample);
          let b = buckets.get(key);
          if (!b) buckets.set(key, (b = {labels: groupLabels(q.by, sample), buckets: new Map()}));
          b.buckets.set(le, (b.buckets.get(le) ?? 0) + value);
        }
      }
      const out: Sample[] = [];
      for (const {labels, buckets: bs} of buckets.values()) {
        const list = [...bs].map(([le, count]) => ({le, count}));
        for (const quantile of q.quantiles ?? [0.5, 0.95, 0.99]) {
          const v = histogramQuantile(quantile, list);
          out.push({labels: {...labels, quantile: String(quantile)}, value: q.scale && Number.isFinite(v) ? v * q.scale : v});
        }
      }
      return out;
    }
  }
  return [...groups.values()].map((g) => ({labels: g.labels, value: q.agg === 'count' ? g.count : g.value}));
}

export function evaluateQueries(queries: readonly MetricQuery[], pairs: readonly ScrapePair[], windowSeconds?: number): QueryResults {
  const results = new Map<string, Sample[]>();
  for (const q of queries) results.set(q.id, evaluateQuery(q, pairs, windowSeconds));
  return results;
}

/** Probes over the latest scrapes: a family is present when some sample has it (with the label non-empty). */
export function evaluateProbes(probes: readonly Probe[], pairs: readonly ScrapePair[]): ProbeResult {
  const found = new Set<string>();
  const byFamily = new Map<string, Probe[]>();
  for (const p of probes) (byFamily.get(p.family) ?? byFamily.set(p.family, []).get(p.family)!).push(p);
  for (const pair of pairs) {
    for (const s of pair.second.samples) {
      const list = byFamily.get(s.name);
      if (!list) continue;
      for (const p of list) if (!p.label || (s.labels[p.label] ?? '') !== '') found.add(p.id);
    }
  }
  return found;
}
