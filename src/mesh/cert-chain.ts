/** Certificate chains, by signature only (no CA-flag or path-length rules): shared by the cert checks. */
import type {CertFacts} from '../core/x509.js';
import {verifies} from '../core/x509.js';

/** Whether `leaf` is, or is signed (directly or through `intermediates`) by, one of `roots`. */
export function chainsTo(leaf: CertFacts, roots: readonly CertFacts[], intermediates: readonly CertFacts[] = []): boolean {
  let current = leaf;
  const used = new Set<string>([leaf.fingerprint256]);
  for (let depth = 0; depth < 6; depth++) {
    if (roots.some((r) => r.fingerprint256 === current.fingerprint256 || verifies(current, r))) return true;
    const next = intermediates.find((i) => !used.has(i.fingerprint256) && verifies(current, i));
    if (!next) return false;
    used.add(next.fingerprint256);
    current = next;
  }
  return false;
}
