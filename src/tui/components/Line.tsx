/**
 * One terminal line of styled segments, as a single Ink <Text> (cheap to lay out: one text node per
 * line, however many colours it has). Everything above it passes text already fitted to width.
 */
import {sanitizeLine} from '../../core/sanitize.js';
import {Text} from '../ink.js';
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

const COLORS: Readonly<Record<Tone, string>> = {error: 'red', warning: 'yellow', ok: 'green', info: 'cyan', accent: 'cyan', muted: 'gray'};

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

function LineImpl({segs, inverse}: Props): React.ReactElement {
  const shown = trimEnd(coalesce(segs), inverse);
  // An empty <Text> takes no row at all: a blank line must hold a character.
  if (shown.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {shown.map((s, i) => (
        <Text
          key={i}
          {...(s.tone ? {color: COLORS[s.tone]} : {})}
          bold={s.bold === true}
          dimColor={s.dim === true}
          inverse={s.inverse === true || inverse === true}
          underline={s.underline === true}
          italic={s.italic === true}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
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
