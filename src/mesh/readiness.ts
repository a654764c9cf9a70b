/** Readiness facts shared by control-plane and data-plane checks (D5 ready endpoints, pod summaries). */
import type {ObjectReader} from '../core/check.js';
import type {Pod, Service} from '../core/kube-types/index.js';

/** D5: ready endpoints of a Service from its EndpointSlices (`conditions.ready` absent counts as ready). */
export function readyEndpointCount(objects: ObjectReader, service: Service): number {
  const ns = service.metadata.namespace;
  let ready = 0;
  for (const slice of objects.select('endpointslices.discovery.k8s.io', ns, {'kubernetes.io/service-name': service.metadata.name})) {
    for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false) ready += ep.addresses.length > 0 ? 1 : 0;
  }
  return ready;
}

export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** One short phrase per pod explaining why it is not serving: Unschedulable, CrashLoopBackOff, OOMKilled… */
export function podProblem(pod: Pod): string {
  const status = pod.status;
  const unschedulable = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) return `${pod.metadata.name}: ${unschedulable.reason ?? 'not scheduled'}${unschedulable.message ? ` (${unschedulable.message})` : ''}`;
  for (const cs of status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return `${pod.metadata.name}: ${cs.name} ${cs.state.waiting.reason}`;
    if (!cs.ready && cs.lastState?.terminated?.reason) return `${pod.metadata.name}: ${cs.name} last terminated ${cs.lastState.terminated.reason}`;
  }
  return `${pod.metadata.name}: ${status?.phase ?? 'Unknown'}${podReady(pod) ? '' : ', not ready'}`;
}
