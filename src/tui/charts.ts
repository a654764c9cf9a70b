/**
 * Text charts for the terminal, pure: a one-line sparkline (▁▂▃▄▅▆▇█) and a multi-line block chart
 * with a time axis shared with the "what changed" marker row. Missing points (no traffic, no data)
 * are gaps, never zeros.
 */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export type Point = Readonly<{t: number; v: number | null}>;

/** The last `width` values resampled onto `width` cells; null cells stay blank. */
export function sparkline(values: readonly (number | null)[], width: number, range?: Readonly<{min: number; max: number}>): string {
  if (width <= 0) return '';
  const recent = values.slice(-width);
  const known = recent.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return ' '.repeat(width);
  const min = range?.min ?? Math.min(...known);
  const max = range?.max ?? Math.max(...known);
  const span = max - min;
  const cells = recent.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    if (span <= 0) return known.every((k) => k === 0) ? BARS[0] : BARS[3];
    const i = Math.round(((Math.min(max, Math.max(min, v)) - min) / span) * (BARS.length - 1));
    return BARS[i];
  });
  return ' '.repeat(width - cells.length) + cells.join('');
}

/**
 * Values of a time series resampled into `buckets` equal slices of [from, to]: the last value in
 * each slice; with `holdMs`, a value also fills the following slices until the next point, if that
 * comes within `holdMs` (a step line instead of isolated bars; longer gaps stay gaps).
 */
export function resample(points: readonly Point[], from: number, to: number, buckets: number, holdMs = 0): (number | null)[] {
  const out: (number | null)[] = new Array(Math.max(0, buckets)).fill(null);
  if (buckets <= 0 || to <= from) return out;
  const step = (to - from) / buckets;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  sorted.forEach((p, k) => {
    if (p.t < from || p.t > to || p.v === null || !Number.isFinite(p.v)) return;
    const i = Math.min(buckets - 1, Math.floor((p.t - from) / step));
    out[i] = p.v;
    const next = sorted[k + 1];
    if (holdMs <= 0 || !next || next.t - p.t > holdMs) return;
    const until = Math.min(buckets - 1, Math.floor((Math.min(next.t, to) - from) / step));
    for (let j = i + 1; j < until; j++) if (out[j] === null) out[j] = p.v;
  });
  return out;
}

/** Column of an instant on a time axis of `width` cells, or -1 outside it. */
export function column(t: number, from: number, to: number, width: number): number {
  if (t < from || t > to || to <= from || width <= 0) return -1;
  return Math.min(width - 1, Math.floor(((t - from) / (to - from)) * width));
}

export type BlockChart = Readonly<{rows: readonly string[]; min: number; max: number}>;

/**
 * A block chart `height` rows tall: each column is one bucket, filled from the bottom with eighth
 * blocks. Blank columns had no data. Returns the rows top to bottom and the value range used.
 */
export function blockChart(values: readonly (number | null)[], height: number, range?: Readonly<{min: number; max: number}>): BlockChart {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  let min = range?.min ?? (known.length ? Math.min(...known) : 0);
  let max = range?.max ?? (known.length ? Math.max(...known) : 1);
  if (max <= min) {
    max = min + (Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1);
    min = Math.max(range?.min ?? -Infinity, min - (max - min));
  }
  const rows: string[] = [];
  const levels = height * 8;
  const filled = values.map((v) => (v === null || !Number.isFinite(v) ? -1 : Math.max(1, Math.round(((Math.min(max, Math.max(min, v)) - min) / (max - min)) * levels))));
  for (let r = height - 1; r >= 0; r--) {
    let line = '';
    for (const f of filled) {
      if (f < 0) line += ' ';
      else {
        const inRow = f - r * 8;
        line += inRow >= 8 ? '█' : inRow <= 0 ? ' ' : BARS[inRow - 1];
      }
    }
    rows.push(line);
  }
  return {rows, min, max};
}
