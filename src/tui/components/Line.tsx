/**
 * One terminal line of styled segments, as a single Ink <Text> holding one string (cheap to
 * reconcile and lay out: one text node per line, however many colours it has). Everything above it
 * passes text already fitted to width.
 */
import {sanitizeLine} from '../../core/sanitize.js';
import {chalk, Text} from '../ink.js';
import React from 'react';

export type Tone = 'error' | 'warning' | 'ok' | 'info' | 'accent' | 'muted';

export type Seg = Readonly<{
  text: string;
  tone?: Tone;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
  italic?: boolean;
}>;

const COLORS = {error: 'red', warning: 'yellow', ok: 'green', info: 'cyan', accent: 'cyan', muted: 'gray'} as const satisfies Record<Tone, string>;

export type Props = Readonly<{
  /** The segments, in order; their total width should not exceed the line's. */
  segs: readonly Seg[];
  /** Applied to every segment (the selected row). */
  inverse?: boolean;
}>;

/**
 * Adjacent segments with the same style become one (fewer text nodes for Ink to lay out), and every
 * text is made terminal-safe here, whatever view built it: names, messages and events come from
 * the cluster (control characters and bidi overrides become U+FFFD).
 */
export function coalesce(segs: readonly Seg[]): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    if (s.text === '') continue;
    const text = sanitizeLine(s.text);
    const last = out[out.length - 1];
    if (last && sameStyle(last, s)) out[out.length - 1] = {...last, text: last.text + text};
    else out.push(text === s.text ? s : {...s, text});
  }
  return out;
}

function sameStyle(a: Seg, b: Seg): boolean {
  return a.tone === b.tone && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse && a.underline === b.underline && a.italic === b.italic;
}

/** Trailing blanks cost Ink time on every frame and show nothing (the frame is redrawn whole); inverse lines keep theirs. */
function trimEnd(segs: Seg[], inverse: boolean | undefined): Seg[] {
  if (inverse) return segs;
  while (segs.length > 0) {
    const last = segs[segs.length - 1];
    if (last.inverse || last.underline) break;
    const text = last.text.replace(/\s+$/, '');
    if (text === last.text) break;
    if (text === '') segs.pop();
    else {
      segs[segs.length - 1] = {...last, text};
      break;
    }
  }
  return segs;
}

/**
 * A segment styled exactly as a nested <Text> with these props would be (same codes, same order:
 * dim, colour, bold, italic, underline, inverse). One string per line instead of a <Text> per
 * segment took a tenth off a 2,000-workload re-render (fewer nodes for React and Ink).
 */
function styled(s: Seg, inverse: boolean | undefined): string {
  let text = s.text;
  if (s.dim) text = chalk.dim(text);
  if (s.tone) text = chalk[COLORS[s.tone]](text);
  if (s.bold) text = chalk.bold(text);
  if (s.italic) text = chalk.italic(text);
  if (s.underline) text = chalk.underline(text);
  if (s.inverse || inverse) text = chalk.inverse(text);
  return text;
}

function LineImpl({segs, inverse}: Props): React.ReactElement {
  const shown = trimEnd(coalesce(segs), inverse);
  // An empty <Text> takes no row at all: a blank line must hold a character.
  if (shown.length === 0) return <Text> </Text>;
  let line = '';
  for (const s of shown) line += styled(s, inverse);
  return <Text wrap="truncate-end">{line}</Text>;
}

export const Line = React.memo(LineImpl, (a, b) => a.inverse === b.inverse && a.segs.length === b.segs.length && a.segs.every((s, i) => sameSeg(s, b.segs[i])));

function sameSeg(a: Seg, b: Seg): boolean {
  return a.text === b.text && sameStyle(a, b);
}

/** Width of segments in terminal cells (code points; the TUI avoids wide characters). */
export function segWidth(segs: readonly Seg[]): number {
  let n = 0;
  for (const s of segs) n += [...s.text].length;
  return n;
}

/** Pad (or cut) segments to exactly `width` cells. */
export function padSegs(segs: readonly Seg[], width: number): Seg[] {
  const out: Seg[] = [];
  let used = 0;
  for (const s of segs) {
    if (used >= width) break;
    const chars = [...s.text];
    if (used + chars.length > width) {
      out.push({...s, text: chars.slice(0, Math.max(0, width - used - 1)).join('') + '…'});
      used = width;
      break;
    }
    out.push(s);
    used += chars.length;
  }
  if (used < width) out.push({text: ' '.repeat(width - used)});
  return out;
}
