/**
 * MD4201 — Linkerd's identity material is broken: the issuer Secret is missing or its keys do not
 * match the issuer scheme, a certificate cannot be parsed, an algorithm Linkerd does not support is
 * used, or the issuer is not signed by a trust anchor. The identity controller then cannot issue
 * (or proxies cannot verify) workload certificates, and mTLS breaks as leaf certificates expire.
 * Expiry is MD4202's; each problem is reported on the object that holds it.
 */
import type {FindingDraft, Subject} from '../../src/core/index.js';
import {certEvidence, defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {chainsTo} from '../../src/mesh/cert-chain.js';
import {
  anchorAlgorithmProblem,
  effectiveAnchors,
  identityMaterial,
  IDENTITY_INPUTS,
  ISSUER_KEYS,
  ISSUER_SECRET,
  issuerAlgorithmProblem,
  isKnownScheme,
  secretKeys,
  TRUST_ROOTS_CONFIGMAP,
  TRUST_ROOTS_KEY,
} from '../../src/mesh/linkerd/identity.js';

type Problems = {subject: Subject; problems: string[]; evidence: Record<string, string | number | null>};

export default defineCheck({
  id: 'MD4201',
  slug: 'linkerd-identity-invalid',
  title: 'the Linkerd trust anchors and issuer certificate are present, supported and chained',
  block: 'security',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    named: IDENTITY_INPUTS,
  },
  anchor: 'l5d-identity-cert-config-valid, l5d-identity-trustAnchors-use-supported-crypto, l5d-identity-issuer-cert-uses-supported-crypto, l5d-identity-issuer-cert-issued-by-trust-anchor',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const m = identityMaterial(ctx.objects, linkerd.namespace);
    const ns = m.namespace;
    const byKey = new Map<string, Problems>();
    const add = (subject: Subject, problem: string, evidence: Record<string, string | number | null> = {}) => {
      const key = `${subject.kind}/${subject.name}`;
      let p = byKey.get(key);
      if (!p) byKey.set(key, (p = {subject, problems: [], evidence: {}}));
      p.problems.push(problem);
      for (const [k, v] of Object.entries(evidence)) if (!(k in p.evidence)) p.evidence[k] = v;
    };
    const secretSubject: Subject = m.issuer ? subjectOf(m.issuer) : {kind: 'Secret', apiVersion: 'v1', namespace: ns, name: ISSUER_SECRET};
    const rootsSubject: Subject = m.trustRoots ? subjectOf(m.trustRoots) : {kind: 'ConfigMap', apiVersion: 'v1', namespace: ns, name: TRUST_ROOTS_CONFIGMAP};

    // Trust anchors: the bundle proxies receive, and the Helm value the control plane was installed with.
    if (m.trustRoots) {
      if (m.bundle.text === undefined) add(rootsSubject, `has no ${TRUST_ROOTS_KEY} key`);
      else if (m.bundle.certs.length === 0) add(rootsSubject, `${TRUST_ROOTS_KEY} holds no readable certificate (${m.bundle.errors[0] ?? 'empty'})`);
      else if (m.bundle.errors.length > 0) add(rootsSubject, `${TRUST_ROOTS_KEY} has a block that cannot be parsed (${m.bundle.errors[0]})`);
    } else if (!m.valuesAnchors) {
      add(rootsSubject, `does not exist and linkerd-config sets no identityTrustAnchorsPEM: there are no trust anchors`);
    }
    for (const cert of m.bundle.certs) {
      const problem = anchorAlgorithmProblem(cert);
      if (problem) add(rootsSubject, `trust anchor ${cert.subject} ${problem}`, certEvidence(cert, 'anchor.'));
    }
    if (m.valuesAnchors && m.config) {
      const inBundle = new Set(m.bundle.certs.map((c) => c.fingerprint256));
      if (m.valuesAnchors.certs.length === 0) add(subjectOf(m.config), `values.identityTrustAnchorsPEM holds no readable certificate (${m.valuesAnchors.errors[0] ?? 'empty'})`);
      for (const cert of m.valuesAnchors.certs) {
        if (inBundle.has(cert.fingerprint256)) continue;
        const problem = anchorAlgorithmProblem(cert);
        if (problem) add(subjectOf(m.config), `trust anchor ${cert.subject} (identityTrustAnchorsPEM) ${problem}`, certEvidence(cert, 'anchor.'));
      }
    }

    // The issuer: present, keys as its scheme requires, parseable, P-256, signed by an anchor.
    if (!m.issuer) {
      add(secretSubject, `does not exist: the identity controller has no issuer to sign workload certificates with`, {scheme: m.scheme});
    } else {
      const keys = secretKeys(m.issuer);
      if (!isKnownScheme(m.scheme)) {
        add(secretSubject, `linkerd-config sets issuer scheme "${m.scheme}", which Linkerd does not know (linkerd.io/tls or kubernetes.io/tls)`, {scheme: m.scheme});
      } else {
        const want = ISSUER_KEYS[m.scheme];
        const required = [want.cert, want.key, ...(want.ca ? [want.ca] : [])];
        const missing = required.filter((k) => !keys.has(k));
        if (missing.length > 0) {
          const other = (Object.entries(ISSUER_KEYS) as [string, {cert: string; key: string}][]).find(([s, k]) => s !== m.scheme && keys.has(k.cert) && keys.has(k.key));
          add(
            secretSubject,
            `lacks ${missing.join(', ')} required by issuer scheme ${m.scheme}${other ? ` (it holds ${other[1].cert}/${other[1].key}, the ${other[0]} layout)` : ''}`,
            {scheme: m.scheme, keys: [...keys].sort().join(',')},
          );
        }
      }
      const chain = m.issuerChain;
      if (!chain) {
        if (isKnownScheme(m.scheme) && keys.has(ISSUER_KEYS[m.scheme].cert)) add(secretSubject, `${m.issuerCertKey} is empty`);
      } else if (chain.certs.length === 0) {
        add(secretSubject, `${m.issuerCertKey} holds no readable certificate (${chain.errors[0] ?? 'empty'})`);
      } else {
        const issuer = chain.certs[0];
        const algo = issuerAlgorithmProblem(issuer);
        if (algo) add(secretSubject, `issuer certificate ${algo}`, certEvidence(issuer, 'issuer.'));
        const anchors = effectiveAnchors(m);
        const intermediates = [...chain.certs.slice(1), ...(m.issuerCa?.certs ?? [])];
        if (anchors.length > 0 && !chainsTo(issuer, anchors, intermediates)) {
          add(secretSubject, `issuer certificate ${issuer.subject} is not signed by any trust anchor in ${m.bundle.certs.length > 0 ? `${TRUST_ROOTS_CONFIGMAP}/${TRUST_ROOTS_KEY}` : 'identityTrustAnchorsPEM'}: proxies will reject the certificates it issues`, {
            ...certEvidence(issuer, 'issuer.'),
            anchors: anchors.map((a) => a.subject).join('; '),
          });
        }
      }
    }

    const findings: FindingDraft[] = [];
    for (const p of byKey.values()) {
      findings.push({
        subject: p.subject,
        message: `${p.subject.kind} ${p.subject.namespace}/${p.subject.name} ${p.problems.join('; ')}`,
        evidence: {problems: p.problems.length, ...p.evidence},
      });
    }
    return findings;
  },
});
