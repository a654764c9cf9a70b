/**
 * MD4203 — the serving certificate of a Linkerd webhook (proxy injector, validators) or of the viz
 * tap API is missing, does not carry its Service's DNS name, is not signed by the caBundle the API
 * server uses to verify it, or is expired or expiring (D8). Helm-made webhook certificates are
 * self-signed leaves, so "signed by the caBundle" is a signature check, not a CA-flag check.
 * Webhook entries whose caBundle MD4001 already reports (empty, unreadable, expired) are skipped.
 */
import type {CertFacts, FindingDraft, KubeObject, Severity, Subject} from '../../src/core/index.js';
import {certEvidence, certExpiryVerdict, decodeBase64, defineCheck, notApplicable, parsePemBundle, subjectOf} from '../../src/core/index.js';
import {chainsTo} from '../../src/mesh/cert-chain.js';
import {certManagerEvidence, certManagerStatus, certificateFor, notReadyTooLong} from '../../src/mesh/cert-manager.js';
import {WEBHOOK_CERTS} from '../../src/mesh/linkerd/components.js';
import {secretPem} from '../../src/mesh/linkerd/identity.js';
import {caBundleProblem, meshOwnedWebhooks} from '../../src/mesh/webhooks.js';

const RANK: Readonly<Record<Severity, number>> = {info: 0, warning: 1, error: 2};

type BundleSource = Readonly<{owner: KubeObject; label: string; caBundle: string | undefined}>;

export default defineCheck({
  id: 'MD4203',
  slug: 'linkerd-webhook-cert-invalid',
  title: 'Linkerd webhook and tap serving certificates match their Service and caBundle and are not close to expiry',
  block: 'security',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io'],
    optionalKinds: ['validatingwebhookconfigurations.admissionregistration.k8s.io', 'apiservices.apiregistration.k8s.io', 'certificates.cert-manager.io'],
    named: [
      {kind: 'secrets', mesh: 'linkerd', where: 'control-plane', names: WEBHOOK_CERTS.filter((w) => w.where === 'control-plane').map((w) => w.secret)},
      {kind: 'secrets', mesh: 'linkerd', where: 'extension', names: WEBHOOK_CERTS.filter((w) => w.where === 'viz').map((w) => w.secret)},
    ],
  },
  anchor: 'l5d-proxy-injector-webhook-cert-valid, l5d-sp-validator-webhook-cert-valid, l5d-policy-validator-webhook-cert-valid, l5d-tap-cert-valid (and …-not-expiring-soon)',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const owned = meshOwnedWebhooks(ctx.objects, ctx.meshes).filter((w) => w.mesh.name === 'linkerd');
    const vizNamespace = linkerd.extensions?.viz;
    const findings: FindingDraft[] = [];

    for (const wc of WEBHOOK_CERTS) {
      const ns = wc.where === 'control-plane' ? linkerd.namespace : vizNamespace;
      if (!ns) continue;
      const sources: BundleSource[] = owned
        .filter((w) => w.webhook.clientConfig.service?.name === wc.service && w.webhook.clientConfig.service.namespace === ns)
        .map((w) => ({owner: w.config, label: `${w.config.kind} ${w.config.metadata.name} (${w.webhook.name})`, caBundle: w.webhook.clientConfig.caBundle}));
      if (wc.apiService) {
        const api = ctx.objects.get('apiservices.apiregistration.k8s.io', undefined, wc.apiService);
        if (api && api.spec?.service?.name === wc.service && (api.spec.service.namespace ?? ns) === ns) sources.push({owner: api, label: `APIService ${wc.apiService}`, caBundle: api.spec.caBundle});
      }
      const secret = ctx.objects.get('secrets', ns, wc.secret);
      if (!secret && sources.length === 0) continue; // component not installed
      const subject: Subject = secret ? subjectOf(secret) : {kind: 'Secret', apiVersion: 'v1', namespace: ns, name: wc.secret};
      const dns = `${wc.service}.${ns}.svc`;
      if (!secret) {
        findings.push({
          subject,
          message: `Secret ${ns}/${wc.secret} does not exist, but ${sources.map((s) => s.label).join(', ')} calls Service ${ns}/${wc.service}: it has no serving certificate`,
          evidence: {service: `${ns}/${wc.service}`, callers: sources.length},
        });
        continue;
      }
      const certKey = secret.data?.['tls.crt'] !== undefined ? 'tls.crt' : secret.data?.['crt.pem'] !== undefined ? 'crt.pem' : undefined;
      const pem = certKey ? secretPem(secret, certKey) : undefined;
      const leaf: CertFacts | undefined = pem?.certs[0];
      if (!leaf) {
        findings.push({
          subject,
          message: `Secret ${ns}/${wc.secret} holds no readable serving certificate (${certKey ? `${certKey}: ${pem?.errors[0] ?? 'empty'}` : 'neither tls.crt nor crt.pem'})`,
          evidence: {service: `${ns}/${wc.service}`},
        });
        continue;
      }
      let severity: Severity | undefined;
      const raise = (s: Severity) => {
        if (!severity || RANK[s] > RANK[severity]) severity = s;
      };
      const problems: string[] = [];
      if (!leaf.dnsNames.includes(dns)) {
        raise('error');
        problems.push(`its certificate does not name ${dns} (SANs: ${leaf.dnsNames.join(', ') || 'none'}), so the API server rejects the TLS handshake`);
      }
      for (const source of sources) {
        if (caBundleProblem(source.caBundle, ctx.now)) continue; // MD4001 reports this entry
        const bundle = parsePemBundle(decodeBase64(source.caBundle) ?? '').certs;
        if (!chainsTo(leaf, bundle, pem!.certs.slice(1))) {
          raise('error');
          problems.push(`its certificate is not signed by the caBundle of ${source.label}`);
        }
      }
      const verdict = certExpiryVerdict(leaf.notBefore, leaf.notAfter, ctx.now, ctx.thresholds(ns).certs);
      if (verdict) {
        raise(verdict.severity);
        problems.push(`its certificate ${verdict.reason}`);
      }
      const evidence: Record<string, string | number> = {service: `${ns}/${wc.service}`, dnsNames: leaf.dnsNames.join(','), ...certEvidence(leaf)};
      const certificate = certificateFor(ctx.objects, ns, wc.secret);
      if (certificate) {
        const status = certManagerStatus(certificate);
        Object.assign(evidence, certManagerEvidence(status));
        if (notReadyTooLong(status, ctx.now, ctx.thresholds(ns).grace.statusSeconds * 1000)) {
          raise('warning');
          problems.push(`cert-manager Certificate ${certificate.metadata.name} is not Ready (${status.ready}${status.reason ? `, ${status.reason}` : ''}), so it is not being renewed`);
        }
      }
      if (problems.length > 0) {
        findings.push({subject, severity, message: `Secret ${ns}/${wc.secret} (serving ${dns}): ${problems.join('; ')}`, evidence});
      }
    }
    return findings;
  },
});
