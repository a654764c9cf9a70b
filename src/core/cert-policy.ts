/**
 * docs/rules.md D8: one expiry policy for every certificate check. Absolute and lifetime-relative
 * thresholds, whichever is smaller, so that 24–48 h cert-manager certificates stay quiet until
 * renewal is really late, while a 1-year issuer warns 60 days out.
 */
import type {Thresholds} from './options.js';
import type {Severity} from './types.js';

export type CertVerdict = Readonly<{severity: Severity; reason: string}> | null;

const DAY = 86_400_000;
const CLOCK_SKEW_MS = 5 * 60_000;

function human(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * DAY) return `${Math.round(abs / DAY)} days`;
  if (abs >= 2 * 3_600_000) return `${Math.round(abs / 3_600_000)} hours`;
  return `${Math.max(1, Math.round(abs / 60_000))} minutes`;
}

/** Verdict for a certificate's validity window at `now`; null when healthy. */
export function certExpiryVerdict(notBefore: Date, notAfter: Date, now: Date, policy: Thresholds['certs']): CertVerdict {
  const nb = notBefore.getTime();
  const na = notAfter.getTime();
  const t = now.getTime();
  if (Number.isNaN(nb) || Number.isNaN(na)) return {severity: 'error', reason: 'validity dates are unreadable'};
  if (nb > t + CLOCK_SKEW_MS) return {severity: 'error', reason: `not valid yet (valid from ${notBefore.toISOString()})`};
  if (na < t) return {severity: 'error', reason: `expired ${human(t - na)} ago (${notAfter.toISOString()})`};
  const lifetime = na - nb;
  const remaining = na - t;
  const errorMargin = Math.min(policy.errorDays * DAY, policy.errorLifetimeFraction * lifetime);
  if (remaining < errorMargin) return {severity: 'error', reason: `expires in ${human(remaining)} (${notAfter.toISOString()})`};
  const warnMargin = Math.min(policy.warnDays * DAY, policy.warnLifetimeFraction * lifetime);
  if (remaining < warnMargin) return {severity: 'warning', reason: `expires in ${human(remaining)} (${notAfter.toISOString()})`};
  return null;
}
