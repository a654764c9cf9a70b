/**
 * Deterministic randomness for generated clusters: the same seed gives the same cluster byte for
 * byte, so bench runs compare like with like. Identifiers look like the API server's and the
 * container runtime's (UUIDs, 64-hex container ids, 5-character pod suffixes).
 */

export type Random = Readonly<{
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `n` lowercase hex digits. */
  hex(n: number): string;
  uid(): string;
  /** What the ReplicaSet controller appends to a pod name: 5 of `bcdfghjklmnpqrstvwxz2456789`. */
  podSuffix(): string;
  /** A pod-template-hash: 9 or 10 of the same alphabet. */
  templateHash(): string;
}>;

// k8s.io/apimachinery's rand.String alphabet (no vowels, no ambiguous characters).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function seededRandom(seed: number): Random {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: small, fast and plenty for shapes (not for secrets).
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => {
    let out = '';
    while (out.length < n) out += Math.floor(next() * 0x1_0000_0000).toString(16).padStart(8, '0');
    return out.slice(0, n);
  };
  const chars = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += ALPHANUMS[Math.floor(next() * ALPHANUMS.length)];
    return out;
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    hex,
    uid: () => {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    podSuffix: () => chars(5),
    templateHash: () => chars(int(9, 10)),
  };
}
