/**
 * Which metrics provider a command uses (`--metrics-source`, `--prometheus-url`,
 * `--prometheus-header`, config `prometheus.url/headers`, `MESHDOCTOR_PROMETHEUS_TOKEN`). The
 * provider runs after the cluster objects are collected: it finds Prometheus (or scrapes the
 * proxies) for the detected meshes and the run's scope, and returns the metric signals the selected
 * checks declared, with a source status saying where they came from.
 */
import type {SignalName} from '../../core/signals.js';
import type {MetricsProvider} from '../../snapshot/collect.js';
import type {GatherOptions, MetricsSourceChoice} from '../../sources/metrics/gather.js';
import type {MeshdoctorConfig} from '../config.js';
import type {GlobalFlags} from '../options.js';
import {choiceFlag, durationFlag, headerFlag} from '../options.js';

export const DEFAULT_SAMPLE_SECONDS = 5;

/** Flags and config → the source-independent part of a gather request (validated: bad values are exit 2). */
export function metricsSettings(flags: GlobalFlags & {sample?: string}, config: MeshdoctorConfig): Omit<GatherOptions, 'wanted' | 'cluster' | 'kube' | 'at'> {
  const source = choiceFlag<MetricsSourceChoice>('--metrics-source', flags.metricsSource ?? 'auto', ['auto', 'prometheus', 'proxies']);
  const headers: Record<string, string> = {...config.prometheus.headers};
  for (const h of flags.prometheusHeader ?? []) {
    const [name, value] = headerFlag(h);
    headers[name] = value;
  }
  const t = config.options.thresholds;
  const prometheusUrl = flags.prometheusUrl ?? config.prometheus.url;
  return {
    source,
    ...(prometheusUrl ? {prometheusUrl} : {}),
    headers,
    windowSeconds: durationFlag('--window', flags.window) ?? t.metrics.windowSeconds,
    noTrafficSeconds: t.noTraffic.windowSeconds,
    timeoutMs: t.metrics.timeoutSeconds * 1000,
    sampleSeconds: durationFlag('--sample', flags.sample) ?? DEFAULT_SAMPLE_SECONDS,
  };
}

export async function metricsProviderFor(flags: GlobalFlags, config: MeshdoctorConfig): Promise<MetricsProvider | undefined> {
  const settings = metricsSettings(flags, config);
  return async ({snapshot, plan}) => {
    const {gatherSignals} = await import('../../sources/metrics/gather.js');
    const {createKubeHttp} = await import('../../sources/metrics/kube-http.js');
    let http: Promise<import('../../sources/metrics/kube-http.js').KubeHttp> | undefined;
    const result = await gatherSignals({
      ...settings,
      wanted: new Set<SignalName>(plan.signals),
      kube: () => (http ??= createKubeHttp({kubeconfig: flags.kubeconfig, context: flags.context})),
      portForward: () => import('../../sources/kube/port-forward.js').then((m) => m.createPortForwardClient({kubeconfig: flags.kubeconfig, context: flags.context})),
      cluster: {
        meshes: snapshot.meshes,
        namespaces: snapshot.objects.list('namespaces'),
        pods: snapshot.objects.list('pods'),
        ownerOf: (pod) => snapshot.workloads.ownerOf(pod),
        includes: (ns) => snapshot.scope.includes(ns),
      },
      // CHECKS.md §4.1: instant queries at the snapshot's time.
      at: new Date(snapshot.takenAt),
    });
    return {...(result.signals ? {signals: result.signals} : {}), status: result.status};
  };
}
