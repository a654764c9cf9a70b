/**
 * MD4204 — a meshed pod's proxy was started with trust anchors that differ from the current
 * `linkerd-identity-trust-roots` bundle: the pod predates an anchor rotation. Once the issuer is
 * switched to the new anchor, such a proxy rejects every peer certificate. Compared as certificate
 * sets, so the order of a multi-anchor bundle does not matter. Pods whose anchors come from
 * `valueFrom` cannot be compared and are skipped. Per workload (D4).
 */
import type {FindingDraft, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, notApplicable, parsePemBundle, sameCertSet, skipped} from '../../src/core/index.js';
import {TRUST_ANCHORS_ENV, TRUST_ROOTS_CONFIGMAP, trustRootsPem} from '../../src/mesh/linkerd/identity.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {podActive} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD4204',
  slug: 'linkerd-proxy-trust-anchor-mismatch',
  title: 'Linkerd proxies run with the current trust anchors',
  block: 'security',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['pods'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: [TRUST_ROOTS_CONFIGMAP]}],
  },
  anchor: 'l5d-identity-data-plane-proxies-certs-match-ca',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const roots = ctx.objects.get('configmaps', linkerd.namespace, TRUST_ROOTS_CONFIGMAP);
    if (!roots) return skipped(`ConfigMap ${linkerd.namespace}/${TRUST_ROOTS_CONFIGMAP} not found: nothing to compare proxies with (MD2001 reports it)`);
    const bundle = trustRootsPem(roots).certs;
    if (bundle.length === 0) return skipped(`ConfigMap ${linkerd.namespace}/${TRUST_ROOTS_CONFIGMAP} holds no readable certificate (MD4201 reports it)`);
    const stale: Pod[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (!podActive(pod)) continue;
      const proxy = proxyContainer(pod, 'linkerd');
      const env = proxy?.env?.find((e) => e.name === TRUST_ANCHORS_ENV);
      if (!env || env.value === undefined) continue;
      const anchors = parsePemBundle(env.value).certs;
      if (!sameCertSet(anchors, bundle)) stale.push(pod);
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(stale, (p) => ctx.workloads.ownerOf(p)).values()) {
      const names = items.map((p) => p.metadata.name);
      findings.push({
        subject,
        message: `${names.length} pod(s) run a proxy whose trust anchors differ from ${linkerd.namespace}/${TRUST_ROOTS_CONFIGMAP}: ${nameList(names)}; restart them to pick up the current anchors`,
        evidence: {pods: names.length, example: names[0], bundleAnchors: bundle.length},
      });
    }
    return findings;
  },
});
