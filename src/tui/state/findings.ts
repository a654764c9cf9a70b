/**
 * Findings seen from workloads: which workloads a finding concerns (its subject is the workload,
 * one of its pods, its ReplicaSet, or a Service in front of it), the worst finding of each, and
 * the placeholder values a runbook is filled with for one finding. Pure.
 */
import type {WorkloadRef} from '../../core/golden.js';
import type {Pod, ReplicaSet} from '../../core/kube-types/index.js';
import {compareSeverity} from '../../core/severity.js';
import {subjectKey} from '../../core/subjects.js';
import type {CheckResult, Finding, Subject} from '../../core/types.js';
import type {ResolvedValues} from '../../runbooks/values.js';
import {resolveValues} from '../../runbooks/values.js';
import {edgeMetrics} from '../../core/golden.js';
import type {SignalSet} from '../../core/signals.js';
import type {Snapshot} from '../../snapshot/snapshot.js';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);

export function workloadKey(namespace: string, workload: string): string {
  return `${namespace}/${workload}`;
}

/** The key that identifies a walkthrough: one per (check, subject). */
export function walkthroughKey(finding: Pick<Finding, 'checkId' | 'subject'>): string {
  return `${finding.checkId} ${subjectKey(finding.subject)}`;
}

function replicaSetOwner(snapshot: Snapshot | undefined, namespace: string, name: string): string | undefined {
  const rs = snapshot?.objects.get('replicasets.apps', namespace, name) as ReplicaSet | undefined;
  return rs?.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment')?.name;
}

/** `namespace/workload` keys a finding concerns. */
export function findingWorkloads(subject: Subject | null, snapshot: Snapshot | undefined, servicesIndex: ReadonlyMap<string, readonly string[]>): string[] {
  if (!subject?.namespace) return [];
  const ns = subject.namespace;
  if (WORKLOAD_KINDS.has(subject.kind)) return [workloadKey(ns, subject.name)];
  if (subject.kind === 'ReplicaSet') return [workloadKey(ns, replicaSetOwner(snapshot, ns, subject.name) ?? subject.name)];
  if (subject.kind === 'Pod') {
    const pod = snapshot?.objects.get('pods', ns, subject.name) as Pod | undefined;
    return [workloadKey(ns, pod && snapshot ? snapshot.workloads.ownerOf(pod).name : subject.name)];
  }
  if (subject.kind === 'Service') return [...(servicesIndex.get(workloadKey(ns, subject.name)) ?? [])];
  return [];
}

/** `namespace/service` → workloads behind it. */
export function servicesIndex(inventory: readonly WorkloadRef[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const w of inventory) for (const s of w.services ?? []) index.set(s, [...(index.get(s) ?? []), workloadKey(w.namespace, w.workload)]);
  return index;
}

export type WorkloadFindings = ReadonlyMap<string, readonly Finding[]>;

/** Findings per workload key, worst first. */
export function findingsByWorkload(results: readonly CheckResult[], snapshot: Snapshot | undefined, inventory: readonly WorkloadRef[]): Map<string, Finding[]> {
  const index = servicesIndex(inventory);
  const out = new Map<string, Finding[]>();
  for (const r of results) {
    for (const f of r.findings) {
      for (const key of new Set(findingWorkloads(f.subject, snapshot, index))) out.set(key, [...(out.get(key) ?? []), f]);
    }
  }
  for (const list of out.values()) list.sort(worseFinding);
  return out;
}

export function worseFinding(a: Finding, b: Finding): number {
  return compareSeverity(a.severity, b.severity) || a.checkId.localeCompare(b.checkId);
}

/** Placeholder values for a finding's runbook, resolved from the real objects and the edges of the metrics now on screen. */
export function placeholderValues(finding: Pick<Finding, 'subject'>, snapshot: Snapshot | undefined, signals: SignalSet | undefined, clusterDomain?: string): ResolvedValues {
  return resolveValues(finding.subject, snapshot, {...(signals ? {edges: edgeMetrics(signals)} : {}), ...(clusterDomain ? {clusterDomain} : {})});
}

/** What a walkthrough is for, in words: `Deployment shop/cart-v2`. */
export function targetLabel(subject: Subject | null): string {
  return subject ? subjectKey(subject) : 'the cluster';
}
