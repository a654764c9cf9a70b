/**
 * For a finding's printed context: what the first failing caller's Envoy sees of the upstream (its
 * endpoints with health and outlier ejection), read from that caller's admin endpoint — GET
 * `/clusters?format=json` through a port-forward, else the pod proxy. Undefined when no caller
 * fails or it has no Envoy sidecar; a failure to read is reported, not thrown.
 */
import type {Pod} from '../../core/kube-types/index.js';
import {proxyMeshes} from '../../mesh/markers.js';
import type {CallerEnvoy} from '../../runbooks/context-summary.js';
import {callerEnvoy, upstreamHosts} from '../../runbooks/context-summary.js';
import type {FindingContext} from '../../runbooks/finding-context.js';
import type {Snapshot} from '../../snapshot/snapshot.js';
import type {Settings} from '../settings.js';

export async function readCallerEnvoy(context: FindingContext, snapshot: Snapshot, settings: Pick<Settings, 'cluster' | 'options'>, timeoutMs = 10_000): Promise<CallerEnvoy | undefined> {
  const caller = context.callers.find((c) => c.failing > 0);
  if (!caller) return undefined;
  const pod = (snapshot.objects.list('pods', caller.namespace) as readonly Pod[])
    .filter((p) => p.status?.phase === 'Running' && snapshot.workloads.ownerOf(p).name === caller.workload)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  const [{ENVOY_ADMIN_PORTS, readEnvoyView}, {getFromPod, podProxyReader, portForwardReader}, {createPortForwardClient}, {createKubeHttp}] = await Promise.all([
    import('../../sources/proxy/envoy-view.js'), import('../../sources/proxy/pod-port.js'), import('../../sources/kube/port-forward.js'), import('../../sources/metrics/kube-http.js'),
  ]);
  const mesh = pod ? proxyMeshes(pod)[0] : undefined;
  const port = mesh ? ENVOY_ADMIN_PORTS[mesh] : undefined;
  if (!pod || !port) return undefined;
  const readers = [
    portForwardReader(() => createPortForwardClient(settings.cluster)),
    podProxyReader(() => createKubeHttp(settings.cluster)),
  ];
  const view = await readEnvoyView((path) => getFromPod(readers, {namespace: caller.namespace, pod: pod.metadata.name, port}, path, timeoutMs), ['endpoints']);
  const base = callerEnvoy(caller.namespace, pod.metadata.name, view.endpoints ?? [], upstreamHosts(context, settings.options.clusterDomain));
  return view.errors.length ? {...base, error: view.errors[0].reason} : base;
}
