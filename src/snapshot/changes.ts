/**
 * What changed around a workload, on one time axis: rollouts (ReplicaSet creation times and their
 * revisions), config edits (the snapshot's last-change time of each related object, kept from
 * managedFields before they were dropped) and warning Events on the workload, its ReplicaSets and
 * pods. The Workload view's timeline and the "preceded by" of a finding's context. Pure.
 */
import type {KubeEvent, Pod, ReplicaSet} from '../core/kube-types/index.js';
import type {Snapshot} from './snapshot.js';

export type TimelineEvent = Readonly<{t: number; kind: 'rollout' | 'config' | 'event'; text: string}>;

function time(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** The ReplicaSets a Deployment owns. */
export function replicaSetsOf(snapshot: Snapshot, namespace: string, deployment: string): ReplicaSet[] {
  return (snapshot.objects.list('replicasets.apps', namespace) as readonly ReplicaSet[])
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === deployment));
}

/** Rollouts, config edits and warning Events concerning the workload (`related`: subject keys), oldest first. */
export function timeline(snapshot: Snapshot | undefined, namespace: string, workload: string, pods: readonly Pod[], related: ReadonlySet<string>): TimelineEvent[] {
  if (!snapshot) return [];
  const events: TimelineEvent[] = [];
  const replicaSets = replicaSetsOf(snapshot, namespace, workload);
  for (const rs of replicaSets) {
    const t = time(rs.metadata.creationTimestamp);
    const revision = rs.metadata.annotations?.['deployment.kubernetes.io/revision'];
    if (t !== undefined) events.push({t, kind: 'rollout', text: `rollout: ReplicaSet ${rs.metadata.name}${revision ? ` (revision ${revision})` : ''} created`});
  }
  for (const key of related) {
    if (key.startsWith('Pod ')) continue;
    const t = time(snapshot.raw.lastChanged[key]);
    if (t !== undefined) events.push({t, kind: 'config', text: `changed: ${key}`});
  }
  const involved = new Set<string>([`Deployment/${workload}`, `StatefulSet/${workload}`, `DaemonSet/${workload}`, ...replicaSets.map((r) => `ReplicaSet/${r.metadata.name}`), ...pods.map((p) => `Pod/${p.metadata.name}`)]);
  for (const e of snapshot.objects.list('events', namespace) as readonly KubeEvent[]) {
    if (e.type !== 'Warning' || !involved.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`)) continue;
    const t = time(e.lastTimestamp) ?? time(e.eventTime) ?? time(e.firstTimestamp) ?? time(e.metadata.creationTimestamp);
    if (t === undefined) continue;
    const count = e.count && e.count > 1 ? ` (×${e.count})` : '';
    events.push({t, kind: 'event', text: `${e.involvedObject?.kind} ${e.involvedObject?.name}: ${e.reason ?? 'Warning'}${count}: ${(e.message ?? '').split('\n')[0]}`});
  }
  return events.sort((a, b) => a.t - b.t);
}
