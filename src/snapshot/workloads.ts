/**
 * D4 workload aggregation: Pod → ReplicaSet → Deployment, StatefulSet, DaemonSet, Job → CronJob
 * through controller ownerReferences. When an intermediate object is not in the snapshot (RBAC,
 * not collected), the owner is inferred from names: a ReplicaSet `cart-7f9c` with the pod's
 * `pod-template-hash` label belongs to Deployment `cart`.
 */
import type {WorkloadIndex} from '../core/check.js';
import type {KubeObject, OwnerReference, Pod} from '../core/kube-types/index.js';
import {subjectKey} from '../core/subjects.js';
import type {Subject} from '../core/types.js';
import type {ObjectStore} from './store.js';

function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

function subject(kind: string, apiVersion: string, namespace: string | undefined, name: string): Subject {
  return namespace ? {kind, apiVersion, namespace, name} : {kind, apiVersion, name};
}

export class Workloads implements WorkloadIndex {
  private podsByOwner?: Map<string, Pod[]>;
  private readonly cache = new WeakMap<Pod, Subject>();

  constructor(private readonly store: ObjectStore) {}

  ownerOf(pod: Pod): Subject {
    const cached = this.cache.get(pod);
    if (cached) return cached;
    const result = this.resolve(pod);
    this.cache.set(pod, result);
    return result;
  }

  private resolve(pod: Pod): Subject {
    const ns = pod.metadata.namespace;
    const ref = controllerOf(pod);
    if (!ref) return subject('Pod', 'v1', ns, pod.metadata.name);
    if (ref.kind === 'ReplicaSet') {
      const rs = this.store.get('replicasets.apps', ns, ref.name);
      const rsOwner = rs ? controllerOf(rs) : undefined;
      if (rsOwner) return subject(rsOwner.kind, rsOwner.apiVersion, ns, rsOwner.name);
      if (!rs) {
        const hash = pod.metadata.labels?.['pod-template-hash'];
        if (hash && ref.name.endsWith(`-${hash}`)) {
          const deployment = ref.name.slice(0, -hash.length - 1);
          return subject('Deployment', 'apps/v1', ns, deployment);
        }
      }
      return subject('ReplicaSet', ref.apiVersion, ns, ref.name);
    }
    if (ref.kind === 'Job') {
      const job = this.store.get('jobs.batch', ns, ref.name);
      const jobOwner = job ? controllerOf(job) : undefined;
      if (jobOwner?.kind === 'CronJob') return subject('CronJob', jobOwner.apiVersion, ns, jobOwner.name);
      return subject('Job', ref.apiVersion, ns, ref.name);
    }
    return subject(ref.kind, ref.apiVersion, ns, ref.name);
  }

  podsOf(workload: Subject): readonly Pod[] {
    if (!this.podsByOwner) {
      const index = new Map<string, Pod[]>();
      for (const pod of this.store.list('pods')) {
        const key = subjectKey(this.ownerOf(pod));
        let l = index.get(key);
        if (!l) index.set(key, (l = []));
        l.push(pod);
      }
      this.podsByOwner = index;
    }
    return this.podsByOwner.get(subjectKey(workload)) ?? [];
  }
}
