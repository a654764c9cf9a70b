/** Repeated measurements reduced to median, min and max (every figure in results.json has all three). */

export type Figure = Readonly<{median: number; min: number; max: number; runs: number; unit: string}>;

export function figure(samples: readonly number[], unit: string): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: sorted.length, unit};
}

/** One decimal for large figures, two for ratios below 10 (0.06×, not 0×). */
export function round(n: number): number {
  return Math.abs(n) < 10 ? Math.round(n * 100) / 100 : Math.round(n * 10) / 10;
}

export async function repeat(runs: number, fn: () => Promise<number> | number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

export function fmt(f: Figure): string {
  return `${f.median} ${f.unit} (${f.min}–${f.max}, n=${f.runs})`;
}
