/** Plain-text tables for the CLI: left-aligned columns two spaces apart, no trailing blanks, cells sanitised. */
import {sanitizeLine} from '../core/sanitize.js';

export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((r) => r.map((c) => sanitizeLine(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}
