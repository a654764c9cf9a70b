/**
 * MD4103 — the Istio root certificate is not where workloads and the API server look for it:
 * ConfigMap `istio-ca-root-cert` (key `root-cert.pem`) missing from the control-plane namespace or a
 * meshed namespace, or its bundle lacks the CA root (sidecars then fail mTLS with "unknown
 * authority"); or an istiod webhook's caBundle lacks the root (pod creation fails with x509 errors).
 * Bundles are compared as certificate sets, so old+new during a rotation passes. Webhooks served by a
 * cert-manager/istio-csr certificate (`istiod-tls`, `cert-manager.io/inject-ca-from`) have another
 * root and are not compared; caBundles MD4001 already reports are skipped.
 */
import type {CertFacts, FindingDraft, KubeObject, Secret} from '../../src/core/index.js';
import {decodeBase64, defineCheck, notApplicable, parsePemBundle, subjectOf} from '../../src/core/index.js';
import {namespaceMarkers, proxyContainer} from '../../src/mesh/markers.js';
import {caBundleProblem, meshOwnedWebhooks} from '../../src/mesh/webhooks.js';

const CONFIGMAP = 'istio-ca-root-cert';

function rootOf(cacerts: Secret | undefined, selfSigned: Secret | undefined): {certs: readonly CertFacts[]; source: string} | undefined {
  const from = (secret: Secret | undefined, keys: string[]) => {
    for (const key of keys) {
      const value = secret?.data?.[key];
      if (value) {
        const certs = parsePemBundle(decodeBase64(value)).certs;
        if (certs.length > 0) return {certs, source: `${secret!.metadata.name}/${key}`};
      }
    }
    return undefined;
  };
  return from(cacerts, ['root-cert.pem', 'ca.crt', 'ca-cert.pem']) ?? from(selfSigned, ['ca-cert.pem']);
}

export default defineCheck({
  id: 'MD4103',
  slug: 'istio-root-cert-mismatch',
  title: 'the Istio root certificate is distributed to every meshed namespace and webhook',
  block: 'security',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {
    kinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io', 'namespaces', 'pods'],
    optionalKinds: ['validatingwebhookconfigurations.admissionregistration.k8s.io'],
    named: [
      {kind: 'secrets', mesh: 'istio', where: 'control-plane', names: ['cacerts', 'istio-ca-secret', 'istiod-tls']},
      {kind: 'configmaps', mesh: 'istio', where: 'control-plane', names: [CONFIGMAP]},
      {kind: 'configmaps', mesh: 'istio', where: 'meshed', names: [CONFIGMAP]},
    ],
  },
  anchor: 'none — gap (Istio docs: x509 "unknown authority" on pod creation)',
  evaluate(ctx) {
    const istio = ctx.mesh('istio')!;
    if (istio.controlPlane !== 'in-cluster') return notApplicable('istiod is not in this cluster (external or managed CA)');
    const cpns = istio.namespace;
    const root = rootOf(ctx.objects.get('secrets', cpns, 'cacerts'), ctx.objects.get('secrets', cpns, 'istio-ca-secret'));
    if (!root) return notApplicable(`no CA secret (cacerts or istio-ca-secret) in ${cpns}: an external CA (istio-csr, Kubernetes CSR signer) issues certificates`);
    const fingerprints = new Set(root.certs.map((c) => c.fingerprint256));
    const holdsRoot = (certs: readonly CertFacts[]) => certs.some((c) => fingerprints.has(c.fingerprint256));
    const findings: FindingDraft[] = [];

    // Namespaces where istiod must have written the root: the CPNS and every in-scope Istio-meshed namespace.
    const istioMeshed = new Set<string>([cpns]);
    for (const ns of ctx.objects.list('namespaces')) if (namespaceMarkers(ns).includes('istio')) istioMeshed.add(ns.metadata.name);
    for (const pod of ctx.objects.list('pods')) if (proxyContainer(pod, 'istio') && pod.metadata.namespace) istioMeshed.add(pod.metadata.namespace);
    for (const ns of [...istioMeshed].sort()) {
      if (!ctx.scope.includes(ns)) continue;
      const cm = ctx.objects.get('configmaps', ns, CONFIGMAP);
      if (!cm) {
        findings.push({
          subject: {kind: 'ConfigMap', apiVersion: 'v1', namespace: ns, name: CONFIGMAP},
          message: `ConfigMap ${ns}/${CONFIGMAP} is missing: sidecars in ${ns} cannot verify peers (istiod writes it into every namespace it watches)`,
          evidence: {namespace: ns, root: root.source},
        });
        continue;
      }
      const bundle = parsePemBundle(cm.data?.['root-cert.pem']).certs;
      if (!holdsRoot(bundle)) {
        findings.push({
          subject: subjectOf(cm),
          message: `ConfigMap ${ns}/${CONFIGMAP} does not hold the CA root from ${root.source} (${bundle.length} other certificate(s)): mTLS with workloads signed by the current CA fails`,
          evidence: {namespace: ns, root: root.source, rootFingerprint: root.certs[0].fingerprint256, bundleCerts: bundle.length, bundleFingerprint: bundle[0]?.fingerprint256 ?? null},
        });
      }
    }

    if (!ctx.objects.get('secrets', cpns, 'istiod-tls')) {
      const bad = new Map<KubeObject, string[]>();
      for (const {config, webhook, mesh} of meshOwnedWebhooks(ctx.objects, ctx.meshes)) {
        if (mesh.name !== 'istio' || config.metadata.annotations?.['cert-manager.io/inject-ca-from']) continue;
        if (caBundleProblem(webhook.clientConfig.caBundle, ctx.now)) continue;
        const certs = parsePemBundle(decodeBase64(webhook.clientConfig.caBundle)).certs;
        if (!holdsRoot(certs)) bad.set(config, [...(bad.get(config) ?? []), webhook.name]);
      }
      for (const [config, names] of bad) {
        findings.push({
          subject: subjectOf(config),
          message: `${config.kind} ${config.metadata.name}: caBundle of ${names.join(', ')} does not hold the CA root from ${root.source}: the API server cannot verify istiod (x509: certificate signed by unknown authority)`,
          evidence: {webhooks: names.join(','), root: root.source, rootFingerprint: root.certs[0].fingerprint256},
        });
      }
    }
    return findings;
  },
});
