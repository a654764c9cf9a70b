/**
 * Manifest-only runs hold no Pods. To let selector checks (Service → pods, DestinationRule subset →
 * pods, Gateway selector → gateway pods) work on a GitOps repository, each workload's pod template
 * stands in for its pods: a Pod-shaped object owned by the workload, marked as a template.
 */
import type {KubeObject, Pod, PodTemplateSpec} from '../core/kube-types/index.js';

export const TEMPLATE_ANNOTATION = 'meshdoctor.io/pod-template';

const WORKLOAD_KEYS = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch'] as const;

function templateOf(obj: KubeObject): PodTemplateSpec | undefined {
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

export function templatePods(objects: Readonly<Record<string, readonly KubeObject[]>>): Pod[] {
  const pods: Pod[] = [];
  for (const key of WORKLOAD_KEYS) {
    for (const w of objects[key] ?? []) {
      // ReplicaSets owned by a Deployment in the same files would double the Deployment's template.
      if (w.kind === 'ReplicaSet' && w.metadata.ownerReferences?.length) continue;
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
