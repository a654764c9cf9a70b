/**
 * Traffic weights as routing objects write them: plain numbers, or Kubernetes quantities in SMI
 * TrafficSplits (`500m` = 0.5, `1` = 1). Undefined when unreadable.
 */
const SUFFIX: Readonly<Record<string, number>> = {'': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2};

export function parseWeight(value: number | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi)?\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}
