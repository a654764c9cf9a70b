/**
 * The line under the header: breadcrumbs on the left (esc goes back along them), a summary on the
 * right — the most detailed one that fits beside them; on a narrow terminal the breadcrumbs give up
 * their oldest entries first.
 */
import React from 'react';
import type {Seg} from './Line.js';
import {Line, padSegs, segWidth} from './Line.js';

export type Props = Readonly<{
  width: number;
  /** View names from the root to the current one. */
  crumbs: readonly string[];
  /** Right-aligned summaries (already styled), most detailed first. */
  summaries: readonly (readonly Seg[])[];
}>;

function crumbSegs(crumbs: readonly string[]): Seg[] {
  const left: Seg[] = [];
  crumbs.forEach((c, i) => {
    if (i > 0) left.push({text: ' › ', dim: true});
    left.push({text: c, bold: i === crumbs.length - 1, ...(i === crumbs.length - 1 ? {tone: 'accent' as const} : {dim: true})});
  });
  return left;
}

export function titleSegs(p: Props): Seg[] {
  let left = crumbSegs(p.crumbs);
  const fits = (summary: readonly Seg[]) => 1 + segWidth(left) + 2 + segWidth(summary) + 1 <= p.width;
  // Older breadcrumbs give way (… stands for them) before the last summary has no room.
  const shortest = p.summaries[p.summaries.length - 1] ?? [];
  for (let drop = 1; drop < p.crumbs.length && !fits(shortest); drop++) left = crumbSegs(['…', ...p.crumbs.slice(drop)]);
  const summary = p.summaries.find(fits);
  if (!summary) return padSegs([{text: ' '}, ...left], p.width);
  const right = [...summary, {text: ' '}];
  return [...padSegs([{text: ' '}, ...left], p.width - segWidth(right)), ...right];
}

export function TitleBar(p: Props): React.ReactElement {
  return <Line segs={titleSegs(p)} />;
}
