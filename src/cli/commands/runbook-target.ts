/**
 * `runbook ID --for NAMESPACE/NAME`: which object the runbook is for, and its placeholder values,
 * read from the cluster — the check's own finding on that name when it fires (its exact subject),
 * else the object of that name the check reads (its declared kinds first, then workloads,
 * Services and pods). Commands are filled from that object (selectors, owner chain, routes,
 * weights) and the context the kubeconfig resolves to. Without a cluster nothing is guessed: the
 * values that need the objects are reported as not filled, with the reason.
 */
import type {Check} from '../../core/check.js';
import {resourceType} from '../../core/resources.js';
import type {ResourceKey} from '../../core/resources.js';
import {runCheck} from '../../core/runner.js';
import {edgeMetrics} from '../../core/golden.js';
import {subjectOf} from '../../core/subjects.js';
import type {Finding, Subject} from '../../core/types.js';
import type {PlaceholderGaps, PlaceholderValues} from '../../runbooks/fill.js';
import {CONTEXT_KINDS} from '../../runbooks/finding-context.js';
import type {FindingContext} from '../../runbooks/finding-context.js';
import type {CallerEnvoy} from '../../runbooks/context-summary.js';
import {readCallerEnvoy} from './caller-envoy.js';
import {resolveValues} from '../../runbooks/values.js';
import {planFor} from '../../snapshot/plan.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import type {Snapshot} from '../../snapshot/snapshot.js';
import type {ClusterAccess} from '../../sources/kube/kubeconfig.js';
import {acquire} from '../acquire.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {usage} from '../options.js';
import type {Settings} from '../settings.js';

export type RunbookTarget = Readonly<{
  values: PlaceholderValues;
  gaps: PlaceholderGaps;
  /** One line for the reader: what the runbook was filled for, and from what. */
  note: string;
  finding?: Finding;
  context?: FindingContext;
  /** What the first failing caller's Envoy sees of the upstream. */
  envoy?: CallerEnvoy;
}>;

export function parseFor(target: string): [string, string] {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([A-Za-z0-9._:-]+)$/.exec(target);
  if (!m) usage(`--for: "${target}" must be NAMESPACE/NAME`);
  return [m[1], m[3]];
}

/** The kubeconfig's context (flag, else current-context); undefined without a readable kubeconfig. */
export async function kubeContext(cluster: ClusterAccess): Promise<string | undefined> {
  if (cluster.context) return cluster.context;
  const {loadKubeconfig} = await import('../../sources/kube/kubeconfig.js');
  return loadKubeconfig(cluster).then((l) => l.context ?? undefined, () => undefined);
}

const WORKLOAD_KEYS: readonly ResourceKey[] = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'cronjobs.batch', 'services', 'pods'];

/** The object named `ns/name` the check is most likely about: its declared kinds first. */
function objectNamed(snapshot: Snapshot, check: Check, namespace: string, name: string): Subject | undefined {
  const declared = [...(check.inputs.kinds ?? []), ...(check.inputs.optionalKinds ?? [])];
  for (const key of [...declared, ...WORKLOAD_KEYS]) {
    if (!resourceType(key).namespaced) continue;
    const o = snapshot.objects.get(key, namespace, name);
    if (o) return subjectOf(o);
  }
  return undefined;
}

export async function resolveRunbookTarget(check: Check | undefined, target: string, settings: Settings): Promise<RunbookTarget> {
  const [namespace, name] = parseFor(target);
  const context = await kubeContext(settings.cluster);
  const base = {namespace, name, ...(context ? {context} : {})};
  const contextGap: PlaceholderGaps = context ? {} : {context: 'the kubeconfig names no current context: pass --context'};
  if (!check) return {values: base, gaps: contextGap, note: `Filled in for ${target} by name only: this runbook has no check to resolve it against.`};
  const wantsSignals = (check.inputs.signals ?? []).length > 0 || (check.inputs.optionalSignals ?? []).length > 0;
  const plan = planFor([check], {kinds: CONTEXT_KINDS, ...(wantsSignals ? {signals: ['edges']} : {})});
  let snapshot: Snapshot;
  try {
    const metrics = wantsSignals ? metricsProviderFor(settings) : undefined;
    // The target's context may lie outside the meshed namespaces: all of them, unless -n names some.
    const scoped = settings.scope.mode === 'namespaces' ? settings : {...settings, scope: {mode: 'all'} as const, scopeGiven: true};
    snapshot = buildSnapshot(await acquire({settings: scoped, input: {cluster: true}, plan, ...(metrics ? {metrics} : {})}));
  } catch (error) {
    if (error instanceof ExitError && error.code === ExitCode.usage) throw error;
    const reason = `not read from the cluster (${(error as Error).message.split('\n')[0]})`;
    const gaps: Record<string, string> = {...contextGap};
    for (const p of ['resource', 'workload', 'workloadRef', 'selector', 'pod', 'container', 'proxy', 'service', 'port', 'host', 'route', 'routeNamespace', 'weightPatch', 'previousRevision', 'callerPod', 'callerNamespace', 'callerProxy'] as const) gaps[p] = reason;
    return {values: base, gaps, note: `Filled in for ${target} by name only: the cluster could not be read, so commands that need its objects are not filled.`};
  }
  const result = runCheck(check, snapshot, {now: new Date(snapshot.takenAt), options: settings.options, suppressions: settings.config.suppress});
  const finding = result.findings.find((f) => f.subject?.namespace === namespace && f.subject.name === name)
    ?? result.findings.find((f) => f.subject?.namespace === namespace && (f.message.includes(`${namespace}/${name}`)));
  const subject = finding?.subject ?? objectNamed(snapshot, check, namespace, name);
  if (!subject) throw new ExitError(ExitCode.usage, `--for: ${check.id} reads no object named ${target} in context ${snapshot.context ?? context ?? '(current)'}`);
  const resolved = resolveValues(subject, snapshot, {
    ...(snapshot.signals ? {edges: edgeMetrics(snapshot.signals)} : {}),
    ...(settings.options.clusterDomain ? {clusterDomain: settings.options.clusterDomain} : {}),
    ...(context ? {kubeContext: context} : {}),
  });
  const what = `${subject.kind} ${namespace}/${subject.name}`;
  const note = finding
    ? `Filled in for ${check.id}'s finding on ${what} (${finding.severity}): ${finding.message}`
    : `Filled in for ${what}; ${check.id} has no finding on it right now.`;
  const envoy = await readCallerEnvoy(resolved.context, snapshot, settings);
  return {values: resolved.values, gaps: resolved.gaps, note, ...(finding ? {finding} : {}), context: resolved.context, ...(envoy ? {envoy} : {})};
}
