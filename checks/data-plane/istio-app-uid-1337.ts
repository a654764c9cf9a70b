/**
 * MD3104 — an application container of a sidecar pod runs as UID 1337 (IST0144). Istio's traffic
 * capture exempts that user (the proxy's own UID) from outbound redirection, so the application's
 * outbound connections leave the pod without the sidecar: no mTLS, no routing rules, no
 * AuthorizationPolicy on the client side. The effective UID is the container's
 * `securityContext.runAsUser`, else the pod's.
 *
 * Deliberately different from upstream: istioctl reports any pod or Deployment that mentions 1337
 * (also at pod level when every container overrides it, and also without a sidecar, where the UID
 * changes nothing) as a warning. meshdoctor reports only containers that really run as 1337 in pods
 * that run (or, as templates, will run) the istio-proxy sidecar — and as an error, because there the
 * mesh's security controls are bypassed now.
 */
import type {FindingDraft, Pod, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList} from '../../src/core/index.js';
import {hasIstioSidecar} from '../../src/mesh/istio/sidecars.js';

const PROXY_UID = 1337;
/** Containers that are allowed to run as the proxy user: the proxy itself. */
const PROXY_NAMES = new Set(['istio-proxy']);

function containersAsProxyUser(pod: Pod): string[] {
  const podUid = pod.spec.securityContext?.runAsUser;
  return pod.spec.containers.filter((c) => !PROXY_NAMES.has(c.name) && (c.securityContext?.runAsUser ?? podUid) === PROXY_UID).map((c) => c.name);
}

export default defineCheck({
  id: 'MD3104',
  slug: 'istio-app-uid-1337',
  title: 'no application container of a sidecar pod runs as the proxy user (UID 1337)',
  block: 'data-plane',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['pods'], optionalKinds: ['namespaces']},
  anchor: 'IST0144',
  evaluate(ctx) {
    const hits: {pod: Pod; subject: Subject; containers: string[]}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      const containers = containersAsProxyUser(pod);
      if (containers.length === 0) continue;
      const ns = ctx.objects.get('namespaces', undefined, pod.metadata.namespace ?? 'default');
      if (!hasIstioSidecar(pod, ns)) continue;
      hits.push({pod, subject: ctx.workloads.ownerOf(pod), containers});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(hits, (h) => h.subject).values()) {
      const containers = [...new Set(items.flatMap((i) => i.containers))];
      findings.push({
        subject,
        message: `container(s) ${containers.join(', ')} run as UID ${PROXY_UID}, the Istio proxy's user: their outbound traffic bypasses the sidecar (no mTLS, routing or policy) — pods ${nameList(items.map((i) => i.pod.metadata.name))}`,
        evidence: {containers: containers.join(','), uid: PROXY_UID, pods: items.length},
      });
    }
    return findings;
  },
});
