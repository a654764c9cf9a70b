/**
 * Mesh-owned admission webhooks (docs/checks.md MD2002/MD4001): entries whose service lives in a
 * detected control-plane namespace.
 */
import type {ObjectReader} from '../core/check.js';
import type {MeshInfo, MutatingWebhookConfiguration, ValidatingWebhookConfiguration, Webhook} from '../core/index.js';
import {decodeBase64, parsePemBundle} from '../core/x509.js';

export type OwnedWebhook = Readonly<{
  config: MutatingWebhookConfiguration | ValidatingWebhookConfiguration;
  webhook: Webhook;
  mesh: MeshInfo;
}>;

export function meshOwnedWebhooks(objects: ObjectReader, meshes: readonly MeshInfo[], includeValidating = true): OwnedWebhook[] {
  const byNamespace = new Map<string, MeshInfo>();
  for (const m of meshes) {
    if (m.controlPlane !== 'in-cluster') continue;
    byNamespace.set(m.namespace, m);
    for (const r of m.revisions) byNamespace.set(r.namespace, m);
    for (const ns of Object.values(m.extensions ?? {})) byNamespace.set(ns, m);
  }
  const configs = [
    ...objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io'),
    ...(includeValidating ? objects.list('validatingwebhookconfigurations.admissionregistration.k8s.io') : []),
  ];
  const out: OwnedWebhook[] = [];
  for (const config of configs) {
    for (const webhook of config.webhooks ?? []) {
      const ns = webhook.clientConfig.service?.namespace;
      const mesh = ns ? byNamespace.get(ns) : undefined;
      if (mesh) out.push({config, webhook, mesh});
    }
  }
  return out;
}

/** Why a base64 caBundle cannot be trusted, or undefined when it holds a currently valid certificate. */
export function caBundleProblem(caBundle: string | undefined, now: Date): string | undefined {
  if (!caBundle) return 'caBundle is empty';
  const pem = decodeBase64(caBundle);
  if (pem === undefined) return 'caBundle is not base64';
  const {certs, errors} = parsePemBundle(pem);
  if (certs.length === 0) return `caBundle holds no parseable certificate (${errors[0] ?? 'no PEM block'})`;
  if (certs.every((c) => c.notAfter.getTime() < now.getTime())) return `every certificate in caBundle has expired (latest ${certs.map((c) => c.notAfter.toISOString()).sort().pop()})`;
  return undefined;
}
