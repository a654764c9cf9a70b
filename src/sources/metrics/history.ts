/**
 * Golden-metric history for sparklines (the TUI's services view): per workload, requests per second
 * and success rate over the last N minutes, with one range query per mesh for the whole scope —
 * never one per workload.
 */
import type {MeshName} from '../../core/types.js';
import {MESH_METRICS, promDuration} from './collect-signals.js';
import type {PrometheusClient} from './prometheus.js';

export type HistoryPoint = Readonly<{t: number; rps: number; successRate: number | null}>;
export type WorkloadHistory = Readonly<{mesh: MeshName; namespace: string; workload: string; points: readonly HistoryPoint[]}>;

export type HistoryOptions = Readonly<{meshes: readonly MeshName[]; end: Date; minutes: number; stepSeconds: number; windowSeconds: number}>;

export async function workloadHistory(client: PrometheusClient, options: HistoryOptions): Promise<WorkloadHistory[]> {
  const start = new Date(options.end.getTime() - options.minutes * 60_000);
  const out: WorkloadHistory[] = [];
  await Promise.all(options.meshes.map(async (mesh) => {
    const history = MESH_METRICS[mesh].history;
    if (!history) return;
    const series = await client.range(history.promql(promDuration(options.windowSeconds)), start, options.end, options.stepSeconds);
    const byWorkload = new Map<string, {namespace: string; workload: string; total: Map<number, number>; failed: Map<number, number>}>();
    for (const s of series) {
      const who = history.read(s.labels);
      if (!who) continue;
      const key = `${who.namespace}/${who.workload}`;
      let w = byWorkload.get(key);
      if (!w) byWorkload.set(key, (w = {namespace: who.namespace, workload: who.workload, total: new Map(), failed: new Map()}));
      for (const [t, v] of s.points) {
        if (!Number.isFinite(v)) continue;
        w.total.set(t, (w.total.get(t) ?? 0) + v);
        if (who.failed) w.failed.set(t, (w.failed.get(t) ?? 0) + v);
      }
    }
    for (const w of byWorkload.values()) {
      const points = [...w.total].sort((a, b) => a[0] - b[0]).map(([t, rps]) => ({t, rps, successRate: rps > 0 ? 1 - (w.failed.get(t) ?? 0) / rps : null}));
      out.push({mesh, namespace: w.namespace, workload: w.workload, points});
    }
  }));
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload));
}
