/**
 * Certificate facts from PEM, via node:crypto's X509Certificate. Only public facts leave this
 * module: subject, issuer, validity, fingerprint, key algorithm, SANs. Private keys are never parsed.
 */
import {X509Certificate} from 'node:crypto';

export type CertFacts = Readonly<{
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  fingerprint256: string;
  serialNumber: string;
  isCA: boolean;
  /** 'ec' | 'rsa' | 'ed25519' … */
  keyType: string;
  /** P-256 etc. for EC keys. */
  namedCurve?: string;
  /** RSA modulus length in bits. */
  modulusLength?: number;
  dnsNames: readonly string[];
  uris: readonly string[];
  /** The parsed certificate, for signature checks (`verifies`). */
  raw: X509Certificate;
}>;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function facts(cert: X509Certificate): CertFacts {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const san = cert.subjectAltName ?? '';
  const entries = san.split(/,\s*/).filter(Boolean);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    isCA: cert.ca,
    keyType: key.asymmetricKeyType ?? 'unknown',
    namedCurve: details.namedCurve,
    modulusLength: details.modulusLength,
    dnsNames: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)),
    uris: entries.filter((e) => e.startsWith('URI:')).map((e) => e.slice(4)),
    raw: cert,
  };
}

export type PemParse = Readonly<{certs: readonly CertFacts[]; errors: readonly string[]}>;

/** Parse every CERTIFICATE block of a PEM bundle. Text with no block yields an error. */
export function parsePemBundle(pem: string | undefined): PemParse {
  if (!pem || !pem.trim()) return {certs: [], errors: ['empty']};
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return {certs: [], errors: ['no PEM certificate block']};
  const certs: CertFacts[] = [];
  const errors: string[] = [];
  for (const block of blocks) {
    try {
      certs.push(facts(new X509Certificate(block)));
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return {certs, errors};
}

/** Decode a base64 Secret/caBundle value to text; undefined when not valid base64. */
export function decodeBase64(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9+/=\s]*$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Whether `cert` is signed by `issuer` (signature check only; no CA-flag requirement). */
export function verifies(cert: CertFacts, issuer: CertFacts): boolean {
  try {
    return cert.raw.checkIssued(issuer.raw) && cert.raw.verify(issuer.raw.publicKey);
  } catch {
    return false;
  }
}

/** Compare two bundles as sets of certificates (by SHA-256 fingerprint). */
export function sameCertSet(a: readonly CertFacts[], b: readonly CertFacts[]): boolean {
  const fa = new Set(a.map((c) => c.fingerprint256));
  const fb = new Set(b.map((c) => c.fingerprint256));
  return fa.size === fb.size && [...fa].every((f) => fb.has(f));
}

/** Public evidence for a certificate: never key material. */
export function certEvidence(cert: CertFacts, prefix = ''): Record<string, string> {
  return {
    [`${prefix}subject`]: cert.subject,
    [`${prefix}issuer`]: cert.issuer,
    [`${prefix}notAfter`]: cert.notAfter.toISOString(),
    [`${prefix}fingerprint`]: cert.fingerprint256,
  };
}
