/**
 * MD3201 — Linkerd configuration written as a label where Linkerd reads an annotation (or the
 * reverse). `linkerd.io/inject`, `config.linkerd.io/*` and `config.alpha.linkerd.io/*` are
 * annotations on namespaces and pods (and Services, for opaque ports); `mirror.linkerd.io/exported`
 * is a label on Services. Written the other way they are silently ignored: the namespace is not
 * injected, the port is not opaque, the Service is not mirrored. `config.linkerd.io/admission-webhooks`
 * is a label by design (the webhooks' selectors read it) and is never reported.
 */
import type {FindingDraft, KubeObject, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, subjectOf} from '../../src/core/index.js';

const ANNOTATION_PREFIXES = ['config.linkerd.io/', 'config.alpha.linkerd.io/'];
const ANNOTATION_KEYS = new Set(['linkerd.io/inject']);
const LABEL_BY_DESIGN = new Set(['config.linkerd.io/admission-webhooks']);
const MIRROR_EXPORTED = 'mirror.linkerd.io/exported';

/** Label keys that Linkerd only reads as annotations. */
function misplacedLabels(obj: KubeObject): string[] {
  return Object.keys(obj.metadata.labels ?? {})
    .filter((k) => !LABEL_BY_DESIGN.has(k) && (ANNOTATION_KEYS.has(k) || ANNOTATION_PREFIXES.some((p) => k.startsWith(p))))
    .sort();
}

export default defineCheck({
  id: 'MD3201',
  slug: 'linkerd-config-as-label',
  title: 'Linkerd settings are written as annotations, and mirror.linkerd.io/exported as a label',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {optionalKinds: ['namespaces', 'pods', 'services']},
  anchor: 'l5d-data-plane-pod-labels, l5d-data-plane-services-labels, l5d-data-plane-services-annotations',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    const asAnnotation = (keys: string[]) =>
      keys.length > 1 ? `${keys.join(', ')} are labels; Linkerd only reads them as annotations, so they have no effect` : `${keys[0]} is a label; Linkerd only reads it as an annotation, so it has no effect`;
    for (const ns of ctx.objects.list('namespaces')) {
      const keys = misplacedLabels(ns);
      if (keys.length > 0) findings.push({subject: subjectOf(ns), message: `Namespace ${ns.metadata.name}: ${asAnnotation(keys)}`, evidence: {keys: keys.join(',')}});
    }
    const pods: {pod: Pod; keys: string[]}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      const keys = misplacedLabels(pod);
      if (keys.length > 0) pods.push({pod, keys});
    }
    for (const {subject, items} of groupBySubject(pods, (p) => ctx.workloads.ownerOf(p.pod)).values()) {
      const keys = [...new Set(items.flatMap((i) => i.keys))].sort();
      const names = items.map((i) => i.pod.metadata.name);
      const pods = ctx.mode === 'manifests' ? '' : ` (pods: ${nameList(names)})`;
      findings.push({subject, message: `pod template of ${subject.kind} ${subject.namespace}/${subject.name}: ${asAnnotation(keys)}${pods}`, evidence: {keys: keys.join(','), pods: names.length, example: names[0]}});
    }
    for (const svc of ctx.objects.list('services')) {
      const problems: string[] = [];
      const keys = misplacedLabels(svc);
      if (keys.length > 0) problems.push(asAnnotation(keys));
      if (svc.metadata.annotations?.[MIRROR_EXPORTED] !== undefined) problems.push(`${MIRROR_EXPORTED} is an annotation; the multicluster extension only exports Services with the label, so it is not mirrored`);
      if (problems.length > 0) findings.push({subject: subjectOf(svc), message: `Service ${svc.metadata.namespace}/${svc.metadata.name}: ${problems.join('; ')}`, evidence: {keys: [...keys, ...(svc.metadata.annotations?.[MIRROR_EXPORTED] !== undefined ? [MIRROR_EXPORTED] : [])].join(',')}});
    }
    return findings;
  },
});
