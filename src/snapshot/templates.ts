/**
 * Manifest-only runs hold no Pods. To let selector checks (Service → pods, DestinationRule subset →
 * pods, Gateway selector → gateway pods) work on a GitOps repository, each workload's pod template
 * stands in for its pods: a Pod-shaped object owned by the workload, marked as a template.
 */
import type {KubeObject, Pod, PodTemplateSpec} from '../core/kube-types/index.js';
import {subjectKey, subjectOf} from '../core/subjects.js';

export const TEMPLATE_ANNOTATION = 'meshdoctor.io/pod-template';

const WORKLOAD_KEYS = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch'] as const;

function templateOf(obj: KubeObject): PodTemplateSpec | undefined {
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

/** One template pod per workload, except the workloads in `skip` (subject keys: their pods are in the files). */
export function templatePods(objects: Readonly<Record<string, readonly KubeObject[]>>, skip: ReadonlySet<string> = new Set()): Pod[] {
  const pods: Pod[] = [];
  for (const key of WORKLOAD_KEYS) {
    for (const w of objects[key] ?? []) {
      // ReplicaSets owned by a Deployment in the same files would double the Deployment's template.
      if (w.kind === 'ReplicaSet' && w.metadata.ownerReferences?.length) continue;
      // Jobs a CronJob in the files created: the CronJob's template stands for them.
      if (w.kind === 'Job' && w.metadata.ownerReferences?.some((r) => r.kind === 'CronJob')) continue;
      if (skip.has(subjectKey(subjectOf(w)))) continue;
      const template = templateOf(w);
      // A pod needs a container: a template without one (a kustomize patch, a half-written file) stands for no pod.
      if (!template?.spec?.containers?.length) continue;
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${w.metadata.name}-template`,
          namespace: w.metadata.namespace ?? 'default',
          labels: template.metadata?.labels ?? {},
          annotations: {...(template.metadata?.annotations ?? {}), [TEMPLATE_ANNOTATION]: 'true'},
          ownerReferences: [{apiVersion: w.apiVersion, kind: w.kind, name: w.metadata.name, controller: true}],
        },
        spec: template.spec,
      });
    }
  }
  return pods;
}

export function isTemplatePod(pod: Pod): boolean {
  return pod.metadata.annotations?.[TEMPLATE_ANNOTATION] === 'true';
}
