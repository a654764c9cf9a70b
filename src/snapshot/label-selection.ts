/**
 * `-l/--selector` over a snapshot. A workload or a Service is selected by its pods' labels (a
 * Deployment's or a Service's own labels need not repeat its pods'), so `-l app=cart` keeps cart's
 * Service, Deployment and pods, and `-l 'app notin (cart)'` drops them — what an SRE who typed
 * kubectl's `-l` on pods expects; one without pods, and any other object, by its own labels.
 * Cluster-wide findings are left out. Pure.
 */
import type {LabelSelector, Pod, Service} from '../core/kube-types/index.js';
import {isResourceKey, resourceTypeFor} from '../core/resources.js';
import {isEmptySelector, matchesSelector} from '../core/selectors.js';
import type {CheckResult, Subject} from '../core/types.js';
import type {Snapshot} from './snapshot.js';

function podsBehind(snapshot: Snapshot, subject: Subject, object: unknown): readonly Pod[] {
  if (subject.kind === 'Service') {
    const podSelector = (object as Service | undefined)?.spec?.selector;
    return isEmptySelector(podSelector) ? [] : snapshot.objects.select('pods', subject.namespace, podSelector!);
  }
  return subject.kind === 'Pod' ? [] : snapshot.workloads.podsOf(subject);
}

export function subjectSelected(snapshot: Snapshot, selector: LabelSelector, subject: Subject | null): boolean {
  if (!subject) return false;
  const type = resourceTypeFor(subject.apiVersion, subject.kind);
  const object = type && isResourceKey(type.key) ? snapshot.objects.get(type.key, subject.namespace, subject.name) : undefined;
  const pods = podsBehind(snapshot, subject, object);
  if (pods.length > 0) return pods.some((p) => matchesSelector(p.metadata.labels, selector));
  return object !== undefined && matchesSelector(object.metadata.labels, selector);
}

/** Results with only the findings (and suppressed findings) on selected subjects; a failed check left with none passes for them. */
export function selectResults(results: readonly CheckResult[], selected: (subject: Subject | null) => boolean): CheckResult[] {
  return results.map((r) => {
    const findings = r.findings.filter((f) => selected(f.subject));
    const suppressed = r.suppressed.filter((f) => selected(f.subject));
    if (findings.length === r.findings.length && suppressed.length === r.suppressed.length) return r;
    return {...r, findings, suppressed, outcome: r.outcome === 'fail' && findings.length === 0 ? 'pass' : r.outcome};
  });
}
