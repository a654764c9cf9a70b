/**
 * Which control-plane provider a command uses: istiod's /debug/syncz read from every istiod replica
 * through a Kubernetes port-forward (default), or directly from `--istiod-url`. Returns undefined when
 * no cluster is used; checks needing control-plane facts then skip (or are not applicable) with the reason.
 */
import type {MeshdoctorConfig} from '../config.js';
import type {GlobalFlags} from '../options.js';
import {usage} from '../options.js';
import type {ControlPlaneProvider} from '../../snapshot/collect.js';

/** `signal` aborts the requests in flight (the TUI quitting). */
export async function controlPlaneProviderFor(flags: GlobalFlags & {cluster?: boolean; snapshot?: string}, config: MeshdoctorConfig, signal?: AbortSignal): Promise<ControlPlaneProvider | undefined> {
  if (flags.cluster === false || flags.snapshot) return undefined;
  let direct: URL | undefined;
  if (flags.istiodUrl) {
    try {
      direct = new URL(flags.istiodUrl);
    } catch {
      usage(`--istiod-url: "${flags.istiodUrl}" is not a URL (example: http://127.0.0.1:15014)`);
    }
    if (direct.protocol !== 'http:' && direct.protocol !== 'https:') usage(`--istiod-url: "${flags.istiodUrl}" must be http:// or https://`);
  }
  const timeoutMs = config.options.thresholds.controlPlane.timeoutSeconds * 1000;
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
    const client = await createPortForwardClient({kubeconfig: flags.kubeconfig, context: flags.context, ...(signal ? {signal} : {})});
    const fact = await collectIstioSyncz({client, targets: istiodTargets(snapshot.pods()), timeoutMs});
    const state = fact.state.state === 'ok' ? 'ok' : fact.state.state === 'partial' ? 'partial' : 'unavailable';
    const answered = fact.value?.replicas.filter((r) => r.state === 'ok').length ?? 0;
    return {facts: {istioSyncz: fact}, status: {source: 'control-plane', state, detail: `istiod syncz: ${answered}/${fact.value?.replicas.length ?? 0} replica(s) answered${fact.state.reason ? ` (${fact.state.reason})` : ''}`, at}};
  };
}
