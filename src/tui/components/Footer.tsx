/**
 * The two bottom lines: the command or filter being typed (with completions), else a message
 * (flash) or the sources' state; then the key hints of the current view.
 */
import React from 'react';
import type {Seg} from './Line.js';
import {Line, padSegs, segWidth} from './Line.js';

export type Props = Readonly<{
  width: number;
  /** `:` or `/` while typing, with the text so far. */
  input?: Readonly<{prompt: ':' | '/'; text: string; completions?: readonly string[]; note?: string}>;
  /** A message, coloured by level. */
  flash?: Readonly<{text: string; level: 'info' | 'warn' | 'error'}>;
  /** Shown when there is neither input nor message. */
  status: readonly Seg[];
  /** Key hints: [key, what] pairs. */
  hints: readonly (readonly [string, string])[];
}>;

/** Key hints that fit the width: the last two (help and quit, or back) always stay; those before them go from the end. */
export function hintSegs(hints: readonly (readonly [string, string])[], width: number): Seg[] {
  const segsOf = (list: readonly (readonly [string, string])[]) => list.flatMap(([k, what]): Seg[] => [{text: ` ${k}`, bold: true, tone: 'accent'}, {text: ` ${what} `, dim: true}]);
  let list = hints;
  while (list.length > 2 && segWidth(segsOf(list)) > width) list = [...list.slice(0, list.length - 3), ...list.slice(list.length - 2)];
  return segsOf(list);
}

export function Footer(p: Props): React.ReactElement {
  let first: Seg[];
  if (p.input) {
    const tail: Seg[] = [];
    if (p.input.completions?.length) tail.push({text: `   ${p.input.completions.slice(0, 8).join('  ')}`, dim: true});
    if (p.input.note) tail.push({text: `   ${p.input.note}`, tone: 'warning'});
    first = [{text: p.input.prompt, bold: true, tone: 'accent'}, {text: p.input.text}, {text: '▏', tone: 'accent'}, ...tail];
  } else if (p.flash) {
    first = [{text: p.flash.text, tone: p.flash.level === 'error' ? 'error' : p.flash.level === 'warn' ? 'warning' : 'info'}];
  } else first = [...p.status];
  const hints = hintSegs(p.hints, p.width);
  return (
    <>
      <Line segs={padSegs([{text: ' '}, ...first], p.width)} />
      <Line segs={padSegs(hints, p.width)} />
    </>
  );
}
