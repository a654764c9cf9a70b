/**
 * Which control-plane provider a command uses: istiod's /debug/syncz read from every istiod replica
 * through a Kubernetes port-forward (default), or directly from `--istiod-url`. Returns undefined when
 * no cluster is read; checks needing control-plane facts then skip (or are not applicable) with the reason.
 */
import type {ControlPlaneProvider} from '../../snapshot/collect.js';
import type {WorldInput} from '../acquire.js';
import type {Settings} from '../settings.js';

/** `signal` aborts the requests in flight (the TUI quitting). */
export function controlPlaneProviderFor(settings: Pick<Settings, 'controlPlane' | 'cluster'>, input: Pick<WorldInput, 'cluster' | 'snapshot'> = {cluster: true}, signal?: AbortSignal): ControlPlaneProvider | undefined {
  if (!input.cluster || input.snapshot !== undefined) return undefined;
  const {istiodUrl: direct, timeoutMs} = settings.controlPlane;
  return async ({snapshot}) => {
    const {collectIstioSyncz, istiodTargets} = await import('../../sources/control-plane/syncz.js');
    const at = new Date().toISOString();
    const istio = snapshot.meshes.find((m) => m.name === 'istio');
    if (direct) {
      const {DirectHttpClient} = await import('../../sources/kube/port-forward.js');
      const fact = await collectIstioSyncz({client: new DirectHttpClient(direct.href, signal), targets: [{namespace: istio?.namespace ?? 'istio-system', pod: direct.host, port: Number(direct.port) || 15014}], timeoutMs, direct: true});
      return {facts: {istioSyncz: fact}, status: {source: 'control-plane', state: fact.state.state === 'ok' ? 'ok' : 'partial', detail: `istiod syncz from ${direct.origin}`, at}};
    }
    if (!istio) return {facts: {}, status: {source: 'control-plane', state: 'not-configured', detail: 'Istio not detected', at}};
    if (istio.controlPlane === 'external' || istio.controlPlane === 'absent') {
      // Nothing to ask inside the cluster: the syncz checks say "not applicable" with the reason.
      return {facts: {istioSyncz: {state: {state: 'ok', reason: `istiod is ${istio.controlPlane}`}, value: {replicas: []}}}, status: {source: 'control-plane', state: 'not-configured', detail: `istiod is ${istio.controlPlane}; pass --istiod-url to read its sync status`, at}};
    }
    const {createPortForwardClient} = await import('../../sources/kube/port-forward.js');
    const client = await createPortForwardClient({...settings.cluster, ...(signal ? {signal} : {})});
    const fact = await collectIstioSyncz({client, targets: istiodTargets(snapshot.pods()), timeoutMs});
    const state = fact.state.state === 'ok' ? 'ok' : fact.state.state === 'partial' ? 'partial' : 'unavailable';
    const answered = fact.value?.replicas.filter((r) => r.state === 'ok').length ?? 0;
    return {facts: {istioSyncz: fact}, status: {source: 'control-plane', state, detail: `istiod syncz: ${answered}/${fact.value?.replicas.length ?? 0} replica(s) answered${fact.state.reason ? ` (${fact.state.reason})` : ''}`, at}};
  };
}
