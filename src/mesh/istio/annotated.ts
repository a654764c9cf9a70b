/**
 * Where users write Istio annotations, each with the kind istio/api's annotation table names
 * (Namespace, Service, Pod…): Namespaces, Services, each workload's own metadata (kind = the
 * workload's kind, where pod annotations do nothing) and its pod template (kind Pod), and Pods that
 * no collected workload owns. A workload is judged on its template rather than its pods: in a live
 * cluster a template the injector rejects has no pods to look at. Objects Istio's gateway controller
 * generates for a Gateway API Gateway (owned by it) are skipped: their annotations are copies of the
 * Gateway's (pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go), e.g. the Gateway-only
 * `networking.istio.io/service-type`, and not the user's doing.
 */
import type {ObjectReader, WorkloadIndex} from '../../core/check.js';
import type {KubeObject, Labels, Pod, PodTemplateSpec} from '../../core/kube-types/index.js';
import {groupBySubject, subjectKey, subjectOf} from '../../core/subjects.js';
import type {FindingDraft, Subject} from '../../core/types.js';
import {injectionTargets} from '../injection.js';
import {proxyContainer} from '../markers.js';

export type AnnotatedSite = Readonly<{
  subject: Subject;
  /** The kind whose annotations these are, in istio/api's terms. */
  kind: string;
  where: 'metadata' | 'pod template';
  annotations: Labels;
  labels: Labels;
  /** Pods and pod templates: the sidecar injector runs (or ran) on it (computed only when asked for). */
  injected: boolean;
}>;

/** The kinds annotatedSites reads, for check inputs. */
export const ANNOTATED_KINDS = [
  'namespaces', 'services', 'pods', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch',
] as const;

const WORKLOAD_KINDS = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch'] as const;

function controlledBy(obj: KubeObject, kinds: readonly string[]): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => kinds.includes(r.kind));
}

function generatedForGateway(obj: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.kind === 'Gateway' && r.apiVersion.startsWith('gateway.networking.k8s.io/'));
}

function templateOf(obj: KubeObject): PodTemplateSpec | undefined {
  return obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
}

/** `injection`: work out `injected` for pods and templates (namespace lookups per workload); false otherwise. */
export function annotatedSites(objects: ObjectReader, workloads: WorkloadIndex, injection = false): AnnotatedSite[] {
  const sites: AnnotatedSite[] = [];
  const namespaceOf = (ns: string | undefined) => objects.get('namespaces', undefined, ns ?? 'default');
  /** A workload's template as the injector would see it: its own proxy container, or injection labels (pod's, namespace's). */
  const templateInjected = (w: KubeObject, template: PodTemplateSpec): boolean => {
    const podLike: Pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: w.metadata.name, namespace: w.metadata.namespace, labels: template.metadata?.labels, annotations: template.metadata?.annotations}, spec: template.spec};
    return proxyContainer(podLike, 'istio') !== undefined || injectionTargets(podLike, namespaceOf(w.metadata.namespace), ['istio']).length > 0;
  };
  for (const ns of objects.list('namespaces')) {
    sites.push({subject: subjectOf(ns), kind: 'Namespace', where: 'metadata', annotations: ns.metadata.annotations ?? {}, labels: ns.metadata.labels ?? {}, injected: false});
  }
  for (const svc of objects.list('services')) {
    if (generatedForGateway(svc)) continue;
    sites.push({subject: subjectOf(svc), kind: 'Service', where: 'metadata', annotations: svc.metadata.annotations ?? {}, labels: svc.metadata.labels ?? {}, injected: false});
  }
  const owned = new Set<string>();
  for (const key of WORKLOAD_KINDS) {
    for (const w of objects.list(key) as readonly KubeObject[]) {
      // The template is judged once, on the top owner (a Deployment's ReplicaSets, a CronJob's Jobs).
      if ((w.kind === 'ReplicaSet' && controlledBy(w, ['Deployment'])) || (w.kind === 'Job' && controlledBy(w, ['CronJob']))) continue;
      const subject = subjectOf(w);
      owned.add(subjectKey(subject));
      if (generatedForGateway(w)) continue;
      sites.push({subject, kind: w.kind, where: 'metadata', annotations: w.metadata.annotations ?? {}, labels: w.metadata.labels ?? {}, injected: false});
      const template = templateOf(w);
      if (!template) continue;
      const meta = template.metadata ?? {};
      sites.push({subject, kind: 'Pod', where: 'pod template', annotations: meta.annotations ?? {}, labels: meta.labels ?? {}, injected: injection && templateInjected(w, template)});
    }
  }
  for (const pod of objects.list('pods')) {
    const owner = workloads.ownerOf(pod);
    if (owned.has(subjectKey(owner))) continue;
    const injected = injection && (proxyContainer(pod, 'istio') !== undefined || injectionTargets(pod, namespaceOf(pod.metadata.namespace), ['istio']).length > 0);
    sites.push({subject: owner, kind: 'Pod', where: 'metadata', annotations: pod.metadata.annotations ?? {}, labels: pod.metadata.labels ?? {}, injected});
  }
  return sites;
}

export type AnnotationHit = Readonly<{subject: Subject; text: string}>;

/** One finding per subject listing what was found on it: `<Kind ns/name><lead>: a; b<tail>`. */
export function findingsBySubject(hits: readonly AnnotationHit[], lead: string, tail: string): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const {subject, items} of groupBySubject(hits, (h) => h.subject).values()) {
    findings.push({
      subject,
      message: `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}${lead}: ${items.map((i) => i.text).join('; ')}${tail}`,
      evidence: {annotations: items.length, first: items[0].text},
    });
  }
  return findings;
}
