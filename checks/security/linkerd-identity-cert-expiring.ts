/**
 * MD4202 — a Linkerd trust anchor or the issuer certificate is expired, not yet valid, or inside its
 * renewal margin (D8: absolute and lifetime-relative thresholds, whichever is smaller, from
 * `.meshdoctor.yaml` `certs.*`). Unlike `linkerd check`'s flat 60 days, a 48-hour cert-manager
 * issuer stays quiet until renewal is really late. When a cert-manager Certificate writes the issuer
 * Secret, its Ready condition is reported with it: not Ready past the status grace is a warning even
 * while the certificate is still valid, because nothing will renew it.
 */
import type {CertFacts, FindingDraft, Severity, Subject} from '../../src/core/index.js';
import {certEvidence, certExpiryVerdict, defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {certManagerEvidence, certManagerStatus, certificateFor, notReadyTooLong} from '../../src/mesh/cert-manager.js';
import {IDENTITY_INPUTS, identityMaterial, ISSUER_SECRET} from '../../src/mesh/linkerd/identity.js';

const RANK: Readonly<Record<Severity, number>> = {info: 0, warning: 1, error: 2};

type Entry = {subject: Subject; severity?: Severity; problems: string[]; evidence: Record<string, string | number | null>};

export default defineCheck({
  id: 'MD4202',
  slug: 'linkerd-identity-cert-expiring',
  title: 'the Linkerd trust anchors and issuer certificate are valid and not close to expiry',
  block: 'security',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    named: IDENTITY_INPUTS,
    optionalKinds: ['certificates.cert-manager.io'],
  },
  anchor: 'l5d-identity-trustAnchors-are-time-valid, l5d-identity-trustAnchors-not-expiring-soon, l5d-identity-issuer-cert-is-time-valid, l5d-identity-issuer-cert-not-expiring-soon',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const m = identityMaterial(ctx.objects, linkerd.namespace);
    const t = ctx.thresholds(m.namespace);
    const entries = new Map<string, Entry>();
    const entry = (subject: Subject): Entry => {
      const key = `${subject.kind}/${subject.name}`;
      let e = entries.get(key);
      if (!e) entries.set(key, (e = {subject, problems: [], evidence: {}}));
      return e;
    };
    const judge = (subject: Subject, label: string, cert: CertFacts) => {
      const verdict = certExpiryVerdict(cert.notBefore, cert.notAfter, ctx.now, t.certs);
      if (!verdict) return;
      const e = entry(subject);
      if (!e.severity || RANK[verdict.severity] > RANK[e.severity]) e.severity = verdict.severity;
      e.problems.push(`${label} ${cert.subject} ${verdict.reason}`);
      if (!('subject' in e.evidence)) Object.assign(e.evidence, certEvidence(cert), {lifetimeDays: Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000)});
    };

    if (m.trustRoots) for (const cert of m.bundle.certs) judge(subjectOf(m.trustRoots), 'trust anchor', cert);
    if (m.config && m.valuesAnchors) {
      const inBundle = new Set(m.bundle.certs.map((c) => c.fingerprint256));
      for (const cert of m.valuesAnchors.certs) if (!inBundle.has(cert.fingerprint256)) judge(subjectOf(m.config), 'trust anchor (identityTrustAnchorsPEM)', cert);
    }
    const issuer = m.issuerChain?.certs[0];
    if (m.issuer && issuer) judge(subjectOf(m.issuer), 'issuer certificate', issuer);

    // cert-manager: a Certificate that cannot renew the issuer is trouble before expiry is.
    if (m.issuer) {
      const certificate = certificateFor(ctx.objects, m.namespace, ISSUER_SECRET);
      if (certificate) {
        const status = certManagerStatus(certificate);
        const stuck = notReadyTooLong(status, ctx.now, t.grace.statusSeconds * 1000);
        const existing = entries.get(`Secret/${ISSUER_SECRET}`);
        if (stuck || existing) {
          const e = entry(subjectOf(m.issuer));
          Object.assign(e.evidence, certManagerEvidence(status));
          if (stuck) {
            e.problems.push(`cert-manager Certificate ${certificate.metadata.name} is not Ready (${status.ready}${status.reason ? `, ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''}), so the issuer is not being renewed`);
            if (!e.severity) e.severity = 'warning';
          }
        }
      }
    }

    const findings: FindingDraft[] = [];
    for (const e of entries.values()) {
      findings.push({
        subject: e.subject,
        severity: e.severity ?? 'warning',
        message: `${e.subject.kind} ${e.subject.namespace}/${e.subject.name}: ${e.problems.join('; ')}`,
        evidence: e.evidence,
      });
    }
    return findings;
  },
});
