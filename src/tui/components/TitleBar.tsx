/** The line under the header: breadcrumbs on the left (esc goes back along them), a summary on the right. */
import React from 'react';
import type {Seg} from './Line.js';
import {Line, padSegs, segWidth} from './Line.js';

export type Props = Readonly<{
  width: number;
  /** View names from the root to the current one. */
  crumbs: readonly string[];
  /** Right-aligned summary (already styled). */
  summary: readonly Seg[];
}>;

export function titleSegs(p: Props): Seg[] {
  const left: Seg[] = [];
  p.crumbs.forEach((c, i) => {
    if (i > 0) left.push({text: ' › ', dim: true});
    left.push({text: c, bold: i === p.crumbs.length - 1, ...(i === p.crumbs.length - 1 ? {tone: 'accent' as const} : {dim: true})});
  });
  const right = [...p.summary, {text: ' '}];
  const rw = segWidth(right);
  if (segWidth(left) + rw + 2 > p.width) return padSegs([...left, {text: '  '}, ...right], p.width);
  return [...padSegs([{text: ' '}, ...left], p.width - rw), ...right];
}

export function TitleBar(p: Props): React.ReactElement {
  return <Line segs={titleSegs(p)} />;
}
