/**
 * cert-manager `Certificate` objects (cert-manager.io/v1) that write a mesh's Secrets: when one
 * manages a Secret, its Ready condition says whether renewal works, long before expiry does.
 */
import type {ObjectReader} from '../core/check.js';
import type {CertManagerCertificate} from '../core/kube-types/index.js';

export type CertManagerStatus = Readonly<{
  certificate: CertManagerCertificate;
  /** Ready condition status: 'True' | 'False' | 'Unknown' | 'absent'. */
  ready: string;
  reason?: string;
  message?: string;
  /** Since when the condition holds (lastTransitionTime), or the object's creation. */
  since?: Date;
}>;

/** The Certificate whose `spec.secretName` is this Secret, in the Secret's namespace. */
export function certificateFor(objects: ObjectReader, namespace: string, secretName: string): CertManagerCertificate | undefined {
  return objects.list('certificates.cert-manager.io', namespace).find((c) => c.spec?.secretName === secretName);
}

export function certManagerStatus(certificate: CertManagerCertificate): CertManagerStatus {
  const ready = certificate.status?.conditions?.find((c) => c.type === 'Ready');
  const at = ready?.lastTransitionTime ?? certificate.metadata.creationTimestamp;
  const since = at ? new Date(at) : undefined;
  return {
    certificate,
    ready: ready?.status ?? 'absent',
    ...(ready?.reason ? {reason: ready.reason} : {}),
    ...(ready?.message ? {message: ready.message} : {}),
    ...(since && !Number.isNaN(since.getTime()) ? {since} : {}),
  };
}

/** Not Ready for longer than `graceMs` (a just-issued or just-renewing Certificate is left alone). */
export function notReadyTooLong(status: CertManagerStatus, now: Date, graceMs: number): boolean {
  if (status.ready === 'True') return false;
  if (!status.since) return true;
  return now.getTime() - status.since.getTime() >= graceMs;
}

/** Flat evidence fields for a managed Secret. */
export function certManagerEvidence(status: CertManagerStatus): Record<string, string> {
  const c = status.certificate.metadata;
  return {
    certManagerCertificate: `${c.namespace ?? ''}/${c.name}`,
    certManagerReady: status.ready + (status.reason ? ` (${status.reason})` : ''),
  };
}
