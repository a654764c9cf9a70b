/**
 * Number, time and text formatting for the TUI's cells. Pure. Unknown values are `-` (no data) —
 * never `0` — and every text that came from a cluster is passed through `sanitizeLine` before it is
 * padded, so control characters cannot reach the terminal.
 */
import {sanitizeLine} from '../core/sanitize.js';

/** 0.8796 → "87.96%", 1 → "100%", null → "-". */
export function percent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const p = v * 100;
  if (p >= 100) return '100%';
  // 99.95 must not round up to "100%" while requests are failing.
  const fixed = p.toFixed(digits);
  return `${Number(fixed) >= 100 ? (100 - 10 ** -digits).toFixed(digits) : fixed}%`;
}

/** Requests per second, 3 significant figures at most. */
export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  if (v >= 1000) return `${(v / 1000).toFixed(v >= 10000 ? 0 : 1)}k`;
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Milliseconds: "4.1ms", "230ms", "1.25s". */
export function millis(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)}s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)}s`;
  if (v >= 100) return `${v.toFixed(0)}ms`;
  if (v >= 10) return `${v.toFixed(1)}ms`;
  return `${v.toFixed(1)}ms`;
}

/** Age of something from milliseconds: "now", "4s", "3m", "2h", "5d". */
export function age(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'now';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Clock time of an instant, UTC: "12:03:04". */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Text that fits exactly `width` terminal cells: sanitised, truncated with "…", padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const clean = sanitizeLine(text);
  const chars = [...clean];
  const cut = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : clean;
  const pad = width - Math.min(chars.length, width);
  return align === 'right' ? ' '.repeat(pad) + cut : cut + ' '.repeat(pad);
}

/** Cut to at most `width` cells (no padding). */
export function clip(text: string, width: number): string {
  const chars = [...sanitizeLine(text)];
  if (chars.length <= width) return chars.join('');
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

/** Wrap prose to a width, on spaces (long words are cut). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
      while (line.length > width) {
        out.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    out.push(line);
  }
  return out;
}

/** Text cut to `width` cells in the middle ("arn:aws:eks:…:cluster/prod"): both ends of a context name carry meaning. */
export function middleCut(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.floor((width - 1) / 3);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (width - 1 - head)).join('')}`;
}
