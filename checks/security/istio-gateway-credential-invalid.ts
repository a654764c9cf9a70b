/**
 * MD4104 — a TLS server of an Istio Gateway names a `credentialName` Secret that the gateway pods
 * cannot use (IST0161): missing from the namespace where the gateway pods run, without a
 * certificate/key pair, a MUTUAL server without a CA, or a certificate that is expired or expiring (D8).
 * The gateway then serves no certificate for those hosts: TLS handshakes fail.
 */
import type {FindingDraft, Secret, Severity} from '../../src/core/index.js';
import {certEvidence, certExpiryVerdict, decodeBase64, defineCheck, parsePemBundle, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace, plainCredentialName} from '../../src/mesh/istio/gateways.js';

function has(secret: Secret, ...keys: string[]): boolean {
  return keys.every((k) => secret.data !== undefined && k in secret.data);
}

export default defineCheck({
  id: 'MD4104',
  slug: 'istio-gateway-credential-invalid',
  title: 'Istio Gateway TLS credentials exist where the gateway runs and are valid',
  block: 'security',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {
    kinds: ['gateways.networking.istio.io', 'pods'],
    optionalKinds: ['deployments.apps'],
    named: [{kind: 'secrets', mesh: 'istio', where: 'referenced', ref: 'istio-gateway-credentials'}],
  },
  anchor: 'IST0161; IST0101',
  evaluate(ctx) {
    const scoped = gatewaySelectorScopedToNamespace(ctx.objects);
    const policy = ctx.thresholds().certs;
    const findings: FindingDraft[] = [];
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      const namespaces = [...new Set(gatewayPods(ctx.objects, gw, scoped).map((p) => p.metadata.namespace ?? 'default'))].sort();
      if (namespaces.length === 0) continue; // MD5111 reports a selector that matches no pod
      const problems: {severity: Severity; text: string; evidence?: Record<string, string>}[] = [];
      for (const server of gw.spec.servers ?? []) {
        const mode = (server.tls?.mode ?? '').toUpperCase();
        const name = plainCredentialName(server.tls?.credentialName);
        if ((mode !== 'SIMPLE' && mode !== 'MUTUAL') || !name) continue;
        for (const ns of namespaces) {
          const secret = ctx.objects.get('secrets', ns, name);
          if (!secret) {
            problems.push({severity: 'error', text: `Secret ${ns}/${name} (port ${server.port.number}) does not exist in the gateway pods' namespace`});
            continue;
          }
          const certKey = has(secret, 'tls.crt', 'tls.key') ? 'tls.crt' : has(secret, 'cert', 'key') ? 'cert' : undefined;
          if (!certKey) {
            problems.push({severity: 'error', text: `Secret ${ns}/${name} has no tls.crt+tls.key (or cert+key)`});
            continue;
          }
          if (mode === 'MUTUAL' && !has(secret, 'ca.crt') && !has(secret, 'cacert') && !ctx.objects.get('secrets', ns, `${name}-cacert`)) {
            problems.push({severity: 'error', text: `MUTUAL server on port ${server.port.number} has no client CA (ca.crt/cacert in ${ns}/${name}, or Secret ${name}-cacert)`});
          }
          const parsed = parsePemBundle(decodeBase64(secret.data?.[certKey]));
          const leaf = parsed.certs[0];
          if (!leaf) {
            problems.push({severity: 'error', text: `Secret ${ns}/${name} ${certKey} is not a parseable certificate (${parsed.errors[0] ?? 'empty'})`});
            continue;
          }
          const verdict = certExpiryVerdict(leaf.notBefore, leaf.notAfter, ctx.now, policy);
          if (verdict) problems.push({severity: verdict.severity, text: `certificate in ${ns}/${name} ${verdict.reason}`, evidence: certEvidence(leaf)});
        }
      }
      if (problems.length === 0) continue;
      const severity: Severity = problems.some((p) => p.severity === 'error') ? 'error' : 'warning';
      findings.push({
        subject: subjectOf(gw),
        severity,
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name}: ${problems.map((p) => p.text).join('; ')}`,
        evidence: {problems: problems.length, first: problems[0].text, ...(problems.find((p) => p.evidence)?.evidence ?? {})},
      });
    }
    return findings;
  },
});
