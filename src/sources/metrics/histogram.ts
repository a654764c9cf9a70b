/**
 * `histogram_quantile` as Prometheus computes it for classic histograms (promql/quantile.go,
 * bucketQuantile): sort by upper bound, merge equal bounds, force cumulative counts monotonic, find
 * the bucket holding rank q × total, and interpolate linearly inside it. The +Inf bucket is required;
 * a rank landing in it returns the highest finite bound; the first bucket interpolates from 0.
 * Used by the proxy-scrape source so both sources agree on the same buckets.
 */

export type Bucket = Readonly<{le: number; count: number}>;

export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...input].sort((a, b) => a.le - b.le);
  if (sorted.length === 0 || sorted[sorted.length - 1].le !== Infinity) return NaN;
  // Coalesce buckets with the same upper bound (series that differ only in other labels).
  const buckets: {le: number; count: number}[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.le === b.le) last.count += b.count;
    else buckets.push({le: b.le, count: b.count});
  }
  // Cumulative counts can dip when buckets were scraped at slightly different times.
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count < max) b.count = max;
    else max = b.count;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (!(observations > 0)) return NaN;
  let rank = q * observations;
  let b = buckets.findIndex((x, i) => i < buckets.length - 1 && x.count >= rank);
  if (b === -1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let start = 0;
  const end = buckets[b].le;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

/** `le` label text → number (`+Inf` → Infinity); NaN when malformed. */
export function parseLe(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  return text.trim() === '' ? NaN : Number(text);
}
