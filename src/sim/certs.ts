/**
 * Certificates for fixtures and the demo, generated at run time with @peculiar/x509 so that expiry
 * is always relative to now: ECDSA P-256 (what Linkerd requires) or RSA (what Istio's CA uses).
 */
import {webcrypto} from 'node:crypto';
import * as x509 from './x509.js';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyKind = 'ec' | 'rsa' | 'ec-p384';

export type CertSpec = Readonly<{
  commonName: string;
  /** Signed by this certificate; self-signed when absent. */
  issuer?: GeneratedCert;
  ca?: boolean;
  notBefore: Date;
  notAfter: Date;
  key?: KeyKind;
  dnsNames?: readonly string[];
  uris?: readonly string[];
}>;

export type GeneratedCert = Readonly<{
  pem: string;
  /** PKCS#8 private key PEM (fixtures plant it to prove meshdoctor never prints it). */
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}>;

const ALGORITHMS: Readonly<Record<KeyKind, RsaHashedKeyGenParams | EcKeyGenParams>> = {
  ec: {name: 'ECDSA', namedCurve: 'P-256'} as EcKeyGenParams,
  'ec-p384': {name: 'ECDSA', namedCurve: 'P-384'} as EcKeyGenParams,
  rsa: {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048} as RsaHashedKeyGenParams,
};

function signingAlgorithm(keys: CryptoKeyPair): Algorithm | EcdsaParams {
  return keys.privateKey.algorithm.name === 'ECDSA' ? ({name: 'ECDSA', hash: 'SHA-256'} as EcdsaParams) : {name: 'RSASSA-PKCS1-v1_5'};
}

let serial = 1;

export async function generateCert(spec: CertSpec): Promise<GeneratedCert> {
  const algorithm = ALGORITHMS[spec.key ?? 'ec'];
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(spec.ca === true, undefined, true),
    new x509.KeyUsagesExtension(spec.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const sans = [...(spec.dnsNames ?? []).map((value) => ({type: 'dns' as const, value})), ...(spec.uris ?? []).map((value) => ({type: 'url' as const, value}))];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const issuerKeys = spec.issuer?.keys ?? keys;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0') + Date.now().toString(16),
    subject: `CN=${spec.commonName}`,
    issuer: spec.issuer ? spec.issuer.cert.subject : `CN=${spec.commonName}`,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    signingAlgorithm: signingAlgorithm(issuerKeys),
    extensions,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return {pem: cert.toString('pem') + '\n', keyPem: keyPem + '\n', cert, keys};
}

const DAY = 86_400_000;

/** `+20d`, `-365d`, `+30h`, `now` → a Date relative to `now`. */
export function relativeDate(text: string, now: Date): Date {
  if (text === 'now') return new Date(now);
  const m = /^([+-])(\d+(?:\.\d+)?)(d|h|m|y)$/.exec(text.trim());
  if (!m) throw new Error(`bad relative date "${text}" (expected like +20d, -365d, +30h)`);
  const unit = m[3] === 'd' ? DAY : m[3] === 'h' ? 3_600_000 : m[3] === 'm' ? 60_000 : 365 * DAY;
  const delta = Number(m[2]) * unit * (m[1] === '-' ? -1 : 1);
  return new Date(now.getTime() + delta);
}

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
