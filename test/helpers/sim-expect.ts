/** Ground truth from the simulator's own counters, for comparing what a metrics source reports. */
import type {TrafficSim} from '../../src/sim/traffic/index.js';
import {histogramQuantile, parseLe} from '../../src/sources/metrics/histogram.js';
import {parseExposition} from '../../src/sources/metrics/exposition.js';

type Pred = (name: string, labels: Record<string, string>) => boolean;

/** Increase of the matching series over (fromMs, toMs], summed over the workload's pods. */
export function increase(sim: TrafficSim, workload: string, fromMs: number, toMs: number, pred: Pred): number {
  let total = 0;
  for (const pod of sim.pods.filter((p) => p.workload.name === workload)) {
    const at = (t: number) => parseExposition(sim.exposition(pod, t)).filter((s) => pred(s.name, s.labels)).reduce((a, s) => a + s.value, 0);
    total += at(toMs) - at(fromMs);
  }
  return total;
}

/** p50/p95/p99 with Prometheus' interpolation over the simulator's bucket increases. */
export function quantiles(sim: TrafficSim, workload: string, fromMs: number, toMs: number, bucket: string, pred: (labels: Record<string, string>) => boolean): {p50: number; p95: number; p99: number} {
  const byLe = new Map<number, number>();
  for (const pod of sim.pods.filter((p) => p.workload.name === workload)) {
    const read = (t: number) => parseExposition(sim.exposition(pod, t)).filter((s) => s.name === bucket && pred(s.labels));
    const before = new Map(read(fromMs).map((s) => [JSON.stringify(s.labels), s.value]));
    for (const s of read(toMs)) {
      const le = parseLe(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + s.value - (before.get(JSON.stringify(s.labels)) ?? 0));
    }
  }
  const buckets = [...byLe].map(([le, count]) => ({le, count}));
  return {p50: histogramQuantile(0.5, buckets), p95: histogramQuantile(0.95, buckets), p99: histogramQuantile(0.99, buckets)};
}
