/**
 * Runbook placeholder values for one finding, resolved from the real objects (finding-context.ts)
 * — never guessed from names: `-l {{selector}}` is the Service's or the workload's own selector,
 * `{{workloadRef}}` its real kind, `{{context}}` the kubeconfig context the snapshot was read from.
 * A placeholder that cannot be resolved gets a reason, so a command that needs it is shown as not
 * filled rather than as a wrong command. Pure.
 */
import type {Pod} from '../core/kube-types/index.js';
import type {Subject} from '../core/types.js';
import type {Snapshot} from '../snapshot/snapshot.js';
import type {Placeholder, PlaceholderGaps, PlaceholderValues} from './fill.js';
import type {ContextOptions, FindingContext} from './finding-context.js';
import {appContainer, findingContext, kubectlResource, proxyContainerName} from './finding-context.js';
import {weightShift} from '../mesh/routes-to.js';

export type ResolvedValues = Readonly<{values: PlaceholderValues; gaps: PlaceholderGaps; context: FindingContext}>;

function runningPod(pods: readonly Pod[]): Pod | undefined {
  return pods.find((p) => p.status?.phase === 'Running') ?? pods[0];
}

/**
 * Values for a finding's subject. `kubeContext` is the context the commands should name (the
 * snapshot's, or the kubeconfig's current one when the snapshot has none).
 */
export function resolveValues(subject: Subject | null, snapshot: Snapshot | undefined, options: ContextOptions & {kubeContext?: string; callerPods?: (namespace: string, workload: string) => readonly Pod[]} = {}): ResolvedValues {
  const ctx = findingContext(subject, snapshot, options);
  const values: Partial<Record<Placeholder, string>> = {};
  const gaps: Partial<Record<Placeholder, string>> = {};
  const set = (name: Placeholder, value: string | undefined, gap: string | undefined) => {
    if (value !== undefined && value !== '') values[name] = value;
    else if (gap) gaps[name] = gap;
  };
  const context = snapshot?.context ?? options.kubeContext;
  set('context', context ?? undefined, 'the kubeconfig names no current context: pass --context');
  if (!subject) {
    for (const p of ['namespace', 'name', 'resource'] as const) gaps[p] = 'the finding is about the whole cluster';
    return {values, gaps, context: ctx};
  }
  values.name = subject.name;
  values.resource = `${kubectlResource(subject)}/${subject.name}`;
  set('namespace', subject.namespace, `${subject.kind} ${subject.name} is cluster-scoped`);
  const what = `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;
  const w = ctx.workload;
  set('workload', w?.name, ctx.workloadGap ?? `no workload behind ${what}`);
  set('workloadRef', w ? `${kubectlResource(w)}/${w.name}` : undefined, ctx.workloadGap ?? `no workload behind ${what}`);
  set('selector', ctx.selector, ctx.selectorGap ?? `no label selector finds the pods of ${what}`);
  const pod = runningPod(ctx.pods);
  const podGap = w ? `no pod of ${w.kind.toLowerCase()} ${w.namespace}/${w.name} exists` : `no pod behind ${what}`;
  set('pod', pod?.metadata.name, podGap);
  set('container', pod ? appContainer(pod)?.name : undefined, pod ? `pod ${pod.metadata.name} runs no application container besides its proxy` : podGap);
  set('proxy', pod ? proxyContainerName(pod) : undefined, pod ? `pod ${pod.metadata.name} has no mesh proxy` : podGap);
  const service = ctx.services[0];
  const serviceGap = `no Service selects the pods of ${what}`;
  set('service', service?.metadata.name, serviceGap);
  const port = service?.spec?.ports?.[0]?.port;
  set('port', port !== undefined ? String(port) : undefined, service ? `Service ${service.metadata.name} has no port` : serviceGap);
  set('host', service ? `${service.metadata.name}.${service.metadata.namespace}.svc.${options.clusterDomain ?? 'cluster.local'}` : undefined, serviceGap);
  // The route that splits traffic onto this Service, and the patch that sends its share elsewhere.
  const failing = new Set(subject.kind === 'Service' ? [`${subject.namespace}/${subject.name}`] : ctx.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const shifts = ctx.routes.map((r) => weightShift(r, failing)).filter((s) => s !== undefined);
  const route = shifts[0]?.rule ?? ctx.routes[0];
  const routeGap = ctx.services.length === 0 ? serviceGap : `no VirtualService or HTTPRoute sends traffic to ${ctx.services.map((s) => s.metadata.name).join(', ')}`;
  set('route', route ? `${route.resource}/${route.name}` : undefined, routeGap);
  set('routeNamespace', route?.namespace, routeGap);
  set('weightPatch', shifts[0] ? JSON.stringify(shifts[0].patch) : undefined,
    route ? `${route.kind} ${route.namespace}/${route.name} sends all of its traffic here (no other weighted destination to shift it to)` : routeGap);
  set('previousRevision', ctx.previousRevision !== undefined ? String(ctx.previousRevision) : undefined, ctx.revisionGap ?? `no workload behind ${what}`);
  const caller = ctx.callers[0];
  const callerPods = caller && snapshot ? (options.callerPods?.(caller.namespace, caller.workload) ?? (snapshot.objects.list('pods', caller.namespace) as readonly Pod[]).filter((p) => snapshot.workloads.ownerOf(p).name === caller.workload)) : [];
  const callerGap = options.edges === undefined ? 'no edge metrics were read (callers are known from metrics only)' : `no caller of ${what} was seen in the metrics window`;
  set('callerNamespace', caller?.namespace, callerGap);
  const callerPod = runningPod(callerPods);
  const callerPodGap = caller ? `no pod of ${caller.namespace}/${caller.workload} is running` : callerGap;
  set('callerPod', callerPod?.metadata.name, callerPodGap);
  set('callerProxy', callerPod ? proxyContainerName(callerPod) : undefined, callerPod ? `pod ${callerPod.metadata.name} has no mesh proxy` : callerPodGap);
  return {values, gaps, context: ctx};
}
