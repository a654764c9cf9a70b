/**
 * `meshdoctor stat`: golden metrics once, per workload, as a table (worst first) or the docs/design.md §5
 * JSON. From Prometheus (now, or `--at` a past instant) or, when Prometheus is absent, from two
 * scrapes of the proxies `--sample` apart. `--no-cluster` (or an unreachable cluster with a
 * Prometheus URL) works from Prometheus alone: workloads come from the metric labels. Prometheus
 * unreachable, too slow or answering garbage: one line on stderr and exit 3. Over several contexts
 * (`--context a,b`, `--all-contexts`) each cluster is read the same way, a few at once, into one
 * table or document; a cluster that cannot be read is named with its reason and the run exits 3.
 * Never imports React.
 */
import type {GoldenMetrics, WorkloadRef} from '../../core/golden.js';
import {goldenMetrics} from '../../core/golden.js';
import type {Service} from '../../core/kube-types/index.js';
import {GOLDEN_SIGNALS} from '../../core/signals.js';
import {planFor} from '../../snapshot/plan.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import {KubeConfigError, KubeConnectionError} from '../../sources/kube/kube-source.js';
import type {ClusterView} from '../../sources/metrics/gather.js';
import {acquire} from '../acquire.js';
import {contextChoice, overContexts} from '../contexts.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {usage} from '../options.js';
import type {Settings} from '../settings.js';
import {loadSettings} from '../settings.js';
import {sanitizeStrings, toSafeJson} from '../../core/sanitize.js';
import type {StatCluster, StatMeta} from './stat-output.js';
import {statClustersJson, statClustersTable, statJson, statTable} from './stat-output.js';

export type StatFlags = GlobalFlags & {cluster?: boolean; output?: string; at?: string; sample?: string; allContexts?: boolean};

/** `--at`: RFC 3339 or Unix seconds. */
export function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : /^\d{4}-\d\d-\d\dT/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(date.getTime())) usage(`--at: "${value}" is not a time (RFC 3339 like 2024-05-01T12:00:00Z, or Unix seconds)`);
  return date;
}

function warn(text: string): void {
  process.stderr.write(`meshdoctor: warning: ${text}\n`);
}

/** One cluster's (or Prometheus alone's) golden metrics. */
type StatRead = Readonly<{meta: StatMeta; rows: GoldenMetrics[]}>;

/**
 * Read one cluster's workloads and their golden metrics. `fallback`: an unreachable cluster with a
 * Prometheus URL is read from Prometheus alone — never over several contexts, where a shared
 * Prometheus would pass every cluster's workloads off as the missing one's.
 */
async function statOnce(all: Settings, readCluster: boolean, at: Date | undefined, fallback: boolean, onWarning: (text: string) => void): Promise<StatRead> {
  const settings = all.metrics;
  const {meshOverride, scope} = all;
  let cluster: ClusterView | undefined;
  let workloads: WorkloadRef[] | undefined;
  if (readCluster) {
    try {
      const raw = await acquire({settings: all, input: {cluster: true}, plan: planFor([], {kinds: ['services']})});
      const snap = buildSnapshot(raw);
      const pods = snap.objects.list('pods');
      cluster = {
        meshes: snap.meshes, namespaces: snap.objects.list('namespaces'), pods,
        ownerOf: (pod) => snap.workloads.ownerOf(pod), includes: (ns) => snap.scope.includes(ns),
      };
      const {workloadInventory} = await import('../../sources/metrics/inventory.js');
      workloads = workloadInventory({pods, services: snap.objects.list('services') as readonly Service[], ownerOf: cluster.ownerOf, includes: cluster.includes, ...(all.selector ? {selector: all.selector} : {})});
    } catch (error) {
      const unreachable = error instanceof KubeConnectionError || error instanceof KubeConfigError;
      // -l needs the pods' labels: no falling back to metric labels then.
      if (!fallback || !unreachable || !settings.prometheusUrl || all.selector) throw error;
      onWarning(`${(error as Error).message}; using Prometheus alone (workloads from metric labels)`);
    }
  }

  const {gatherSignals} = await import('../../sources/metrics/gather.js');
  const {createKubeHttp} = await import('../../sources/metrics/kube-http.js');
  let http: ReturnType<typeof createKubeHttp> | undefined;
  const result = await gatherSignals({
    ...settings,
    // A past instant exists only in Prometheus: no silent fallback to the proxies.
    source: at ? 'prometheus' : settings.source,
    wanted: new Set(GOLDEN_SIGNALS),
    ...(at ? {at} : {}),
    ...(meshOverride ? {meshes: [meshOverride]} : {}),
    ...(cluster ? {
      cluster,
      kube: () => (http ??= createKubeHttp(all.cluster)),
      portForward: () => import('../../sources/kube/port-forward.js').then((m) => m.createPortForwardClient(all.cluster)),
    } : {}),
  });
  if (!result.signals) throw new ExitError(ExitCode.unavailable, result.prometheusError?.message ?? `no metrics: ${result.status.detail ?? 'unavailable'}`);
  for (const w of result.signals.warnings ?? []) onWarning(w);
  if (result.prometheusError) onWarning(`${result.prometheusError.message}; metrics from the proxies instead`);

  let rows = goldenMetrics(result.signals, workloads);
  if (!cluster && scope.mode === 'namespaces') rows = rows.filter((r) => scope.namespaces.includes(r.namespace));
  return {meta: {at: result.signals.at, window: result.signals.window, source: result.signals.source, sourceDetail: result.status.detail}, rows};
}

export async function runStatCommand(flags: StatFlags): Promise<number> {
  const all = await loadSettings(flags);
  const settings = all.metrics;
  const output = flags.output ?? 'table';
  if (output !== 'table' && output !== 'json') usage(`-o: "${output}" must be table or json`);
  const at = parseAt(flags.at);
  if (at && settings.source === 'proxies') usage('--at needs the Prometheus source (proxies have no history)');
  const readCluster = flags.cluster !== false;
  if (!readCluster && all.selector) usage('-l/--selector: stat --no-cluster has no labels to match (workloads come from metric labels)');
  if (!readCluster && !settings.prometheusUrl) usage('stat --no-cluster needs --prometheus-url (or prometheus.url in the config file)');
  const choice = contextChoice({...all.cluster, ...(flags.allContexts ? {allContexts: true} : {})});

  if (!choice.several) {
    const {meta, rows} = await statOnce(all, readCluster, at, true, warn);
    if (output === 'json') process.stdout.write(toSafeJson(sanitizeStrings(statJson(meta, rows))));
    else if (rows.length === 0) process.stderr.write('meshdoctor: no meshed workloads found\n');
    else process.stdout.write(statTable(meta, rows));
    return ExitCode.ok;
  }

  if (!readCluster) usage(`${flags.allContexts ? '--all-contexts' : '--context a,b'}: reads clusters, so it cannot be combined with --no-cluster`);
  const outcomes = await overContexts(choice.contexts, (context) => statOnce({...all, cluster: {...all.cluster, context}}, true, at, false, (text) => warn(`${context}: ${text}`)));
  const clusters: StatCluster[] = outcomes.map((o) => (o.error === undefined ? {name: o.cluster, ...o.value} : {name: o.cluster, error: o.error}));
  process.stdout.write(output === 'json' ? toSafeJson(sanitizeStrings(statClustersJson(clusters))) : statClustersTable(clusters));
  return clusters.some((c) => c.error !== undefined) ? ExitCode.unavailable : ExitCode.ok;
}
