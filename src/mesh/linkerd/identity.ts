/**
 * Linkerd identity material (linkerd/linkerd2 charts/linkerd-control-plane/templates): trust anchors in ConfigMap
 * `linkerd-identity-trust-roots` (key `ca-bundle.crt`, what proxies are given) and in the
 * `identityTrustAnchorsPEM` Helm value of `linkerd-config`; the issuer in Secret
 * `linkerd-identity-issuer`, whose keys depend on the issuer scheme. Supported algorithms: issuer
 * ECDSA P-256; anchors ECDSA P-256 or RSA 2048/4096.
 */
import type {NamedInput, ObjectReader} from '../../core/check.js';
import type {ConfigMap, Secret} from '../../core/kube-types/index.js';
import type {CertFacts} from '../../core/x509.js';
import {decodeBase64, parsePemBundle} from '../../core/x509.js';
import type {LinkerdValues} from './config.js';
import {linkerdValues} from './config.js';

export const TRUST_ROOTS_CONFIGMAP = 'linkerd-identity-trust-roots';
export const TRUST_ROOTS_KEY = 'ca-bundle.crt';
export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const TRUST_ANCHORS_ENV = 'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS';

/** What the identity checks read: linkerd-config and the trust roots, and the issuer Secret by name (D10). */
export const IDENTITY_INPUTS: readonly NamedInput[] = [
  {kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config', TRUST_ROOTS_CONFIGMAP]},
  {kind: 'secrets', mesh: 'linkerd', where: 'control-plane', names: [ISSUER_SECRET]},
];

export type IssuerScheme = 'linkerd.io/tls' | 'kubernetes.io/tls';

/** Keys the issuer Secret must hold for each scheme: [certificate, key, CA (optional role)]. */
export const ISSUER_KEYS: Readonly<Record<IssuerScheme, Readonly<{cert: string; key: string; ca?: string}>>> = {
  'linkerd.io/tls': {cert: 'crt.pem', key: 'key.pem'},
  'kubernetes.io/tls': {cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt'},
};

/** The issuer scheme from linkerd-config values (`identity.issuer.scheme`), `linkerd.io/tls` by default. */
export function issuerScheme(values: LinkerdValues): string {
  return values.identity?.issuer?.scheme ?? 'linkerd.io/tls';
}

export function isKnownScheme(scheme: string): scheme is IssuerScheme {
  return scheme === 'linkerd.io/tls' || scheme === 'kubernetes.io/tls';
}

/** Keys a Secret holds (values may be redacted to "" in the snapshot; the key names are kept). */
export function secretKeys(secret: Secret): Set<string> {
  return new Set(Object.keys(secret.data ?? {}));
}

export type PemSource = Readonly<{text: string | undefined; certs: readonly CertFacts[]; errors: readonly string[]}>;

function parsed(text: string | undefined): PemSource {
  const {certs, errors} = parsePemBundle(text);
  return {text, certs, errors};
}

/** PEM certificates held in a Secret key (base64 in `data`). */
export function secretPem(secret: Secret, key: string): PemSource {
  const value = secret.data?.[key];
  return parsed(value === undefined ? undefined : decodeBase64(value) ?? '');
}

/** The trust bundle of the trust-roots ConfigMap. */
export function trustRootsPem(configMap: ConfigMap | undefined): PemSource {
  return parsed(configMap?.data?.[TRUST_ROOTS_KEY]);
}

/** The anchors of the `identityTrustAnchorsPEM` value, when set. */
export function valuesAnchorsPem(values: LinkerdValues): PemSource | undefined {
  const text = values.identityTrustAnchorsPEM;
  return typeof text === 'string' && text.trim() ? parsed(text) : undefined;
}

function describeKey(cert: CertFacts): string {
  if (cert.keyType === 'ec') return `ECDSA ${cert.namedCurve ?? 'unknown curve'}`;
  if (cert.keyType === 'rsa') return `RSA ${cert.modulusLength ?? '?'}`;
  return cert.keyType;
}

const P256 = new Set(['prime256v1', 'P-256', 'secp256r1']);

/** Why an issuer certificate's key is unsupported (Linkerd issues ECDSA P-256 only), or undefined. */
export function issuerAlgorithmProblem(cert: CertFacts): string | undefined {
  if (cert.keyType === 'ec' && P256.has(cert.namedCurve ?? '')) return undefined;
  return `uses ${describeKey(cert)}; the issuer must be ECDSA P-256`;
}

/** Why a trust anchor's key is unsupported (ECDSA P-256, RSA 2048 or 4096), or undefined. */
export function anchorAlgorithmProblem(cert: CertFacts): string | undefined {
  if (cert.keyType === 'ec' && P256.has(cert.namedCurve ?? '')) return undefined;
  if (cert.keyType === 'rsa' && (cert.modulusLength === 2048 || cert.modulusLength === 4096)) return undefined;
  return `uses ${describeKey(cert)}; trust anchors must be ECDSA P-256 or RSA 2048/4096`;
}

export type IdentityMaterial = Readonly<{
  namespace: string;
  config: ConfigMap | undefined;
  values: LinkerdValues;
  scheme: string;
  trustRoots: ConfigMap | undefined;
  bundle: PemSource;
  valuesAnchors: PemSource | undefined;
  issuer: Secret | undefined;
  /** Certificates of the issuer's certificate key (issuer first, then any chain it carries). */
  issuerChain: PemSource | undefined;
  issuerCertKey: string;
  /** The CA certificates the Secret carries (`ca.crt`, kubernetes.io/tls scheme). */
  issuerCa: PemSource | undefined;
}>;

/** Read every piece of Linkerd identity material from the control-plane namespace. */
export function identityMaterial(objects: ObjectReader, namespace: string): IdentityMaterial {
  const config = objects.get('configmaps', namespace, 'linkerd-config');
  const values = linkerdValues(config);
  const scheme = issuerScheme(values);
  const trustRoots = objects.get('configmaps', namespace, TRUST_ROOTS_CONFIGMAP);
  const issuer = objects.get('secrets', namespace, ISSUER_SECRET);
  const keys = ISSUER_KEYS[isKnownScheme(scheme) ? scheme : 'linkerd.io/tls'];
  let issuerCertKey = keys.cert;
  if (issuer && issuer.data?.[keys.cert] === undefined) {
    // Report what is there: a Secret written for the other scheme still holds a readable certificate.
    const other = Object.values(ISSUER_KEYS).find((k) => issuer.data?.[k.cert] !== undefined);
    if (other) issuerCertKey = other.cert;
  }
  return {
    namespace,
    config,
    values,
    scheme,
    trustRoots,
    bundle: trustRootsPem(trustRoots),
    valuesAnchors: valuesAnchorsPem(values),
    issuer,
    issuerChain: issuer && issuer.data?.[issuerCertKey] !== undefined ? secretPem(issuer, issuerCertKey) : undefined,
    issuerCertKey,
    issuerCa: issuer && issuer.data?.['ca.crt'] !== undefined ? secretPem(issuer, 'ca.crt') : undefined,
  };
}

/** The anchors proxies trust: the trust-roots bundle when it holds certificates, else the values PEM. */
export function effectiveAnchors(m: IdentityMaterial): readonly CertFacts[] {
  if (m.bundle.certs.length > 0) return m.bundle.certs;
  return m.valuesAnchors?.certs ?? [];
}
