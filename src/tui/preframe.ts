/**
 * The very first frame, drawn with plain escape codes before React and Ink are loaded (they take
 * most of a second to import): the header, the layout and "connecting…", so the terminal answers at
 * once. Ink's first frame replaces it. No React here.
 */
import {middleCut} from './format.js';
import {frameHeight, MIN_COLUMNS, MIN_ROWS} from './state/layout.js';

const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const INVERSE = '\u001b[7m';
const CYAN = '\u001b[36m';
const RESET = '\u001b[0m';

export function preframe(size: Readonly<{columns: number; rows: number}>, info: Readonly<{context?: string; refreshSeconds: number; at?: number; color: boolean}>): string {
  const paint = (codes: string, text: string) => (info.color ? `${codes}${text}${RESET}` : text);
  const cut = (text: string) => [...text].slice(0, size.columns).join('');
  if (size.columns < MIN_COLUMNS || size.rows < MIN_ROWS) {
    return `\u001b[H\u001b[2J${cut('Terminal too small')}\r\n${cut(`meshdoctor needs at least ${MIN_COLUMNS}×${MIN_ROWS}; this one is ${size.columns}×${size.rows}.`)}`;
  }
  const height = frameHeight(size);
  const when = info.at !== undefined ? `at ${new Date(info.at).toISOString().replace('.000Z', 'Z')}` : `refresh ${info.refreshSeconds}s`;
  const lines: string[] = [];
  // The context name gets what the rest of the line leaves (cut in the middle, as the header does).
  const rest = ' meshdoctor  ctx   metrics connecting…  '.length + when.length;
  const context = middleCut(info.context ?? 'connecting…', Math.max(1, size.columns - rest));
  const header = size.columns >= rest + 1
    ? `${paint(BOLD + INVERSE, ' meshdoctor ')} ${paint(DIM, 'ctx ')}${paint(BOLD, context)}  ${paint(DIM, 'metrics ')}connecting…  ${paint(DIM, when)}`
    : `${paint(BOLD + INVERSE, ' md ')} ${paint(BOLD, cut(middleCut(info.context ?? 'connecting…', Math.max(1, size.columns - 19))))}  connecting…`;
  lines.push(header);
  lines.push(` ${paint(BOLD + CYAN, 'Services')}`);
  lines.push(`  ${paint(DIM, 'connecting to the cluster…')}`);
  while (lines.length < height - 2) lines.push('');
  lines.push(` ${paint(DIM, 'starting…')}`);
  lines.push(`${paint(BOLD + CYAN, ' ?')}${paint(DIM, ' help ')}${paint(BOLD + CYAN, ' q')}${paint(DIM, ' quit ')}`);
  return `\u001b[H\u001b[2J${lines.join('\r\n')}`;
}
