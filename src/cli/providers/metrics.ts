/**
 * The metrics provider a command uses, from its settings (`--metrics-source`, `--prometheus-url`,
 * `--prometheus-header`, config `prometheus.url/headers`, `MESHDOCTOR_PROMETHEUS_TOKEN`). The
 * provider runs after the cluster objects are collected: it finds Prometheus (or scrapes the
 * proxies) for the detected meshes and the run's scope, and returns the metric signals the selected
 * checks declared, with a source status saying where they came from.
 */
import type {SignalName} from '../../core/signals.js';
import type {MetricsProvider} from '../../snapshot/collect.js';
import type {Settings} from '../settings.js';

export function metricsProviderFor(settings: Pick<Settings, 'metrics' | 'cluster'>): MetricsProvider {
  return async ({snapshot, plan}) => {
    const {gatherSignals} = await import('../../sources/metrics/gather.js');
    const {createKubeHttp} = await import('../../sources/metrics/kube-http.js');
    let http: Promise<import('../../sources/metrics/kube-http.js').KubeHttp> | undefined;
    const result = await gatherSignals({
      ...settings.metrics,
      wanted: new Set<SignalName>(plan.signals),
      kube: () => (http ??= createKubeHttp(settings.cluster)),
      portForward: () => import('../../sources/kube/port-forward.js').then((m) => m.createPortForwardClient(settings.cluster)),
      cluster: {
        meshes: snapshot.meshes,
        namespaces: snapshot.objects.list('namespaces'),
        pods: snapshot.objects.list('pods'),
        ownerOf: (pod) => snapshot.workloads.ownerOf(pod),
        includes: (ns) => snapshot.scope.includes(ns),
      },
      // docs/rules.md §4.1: instant queries at the snapshot's time.
      at: new Date(snapshot.takenAt),
    });
    return {...(result.signals ? {signals: result.signals} : {}), status: result.status};
  };
}
