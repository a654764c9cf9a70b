/** Every key, and how to read the Services table. */
import {Box} from '../ink.js';
import React from 'react';
import type {Seg} from '../components/Line.js';
import {Line, padSegs} from '../components/Line.js';
import {HELP_LEGEND, KEY_HELP} from '../state/help.js';

export type Props = Readonly<{scroll: number; width: number; height: number}>;

export function helpLines(width: number): Seg[][] {
  const lines: Seg[][] = [[{text: 'Keys', bold: true, underline: true}]];
  for (const k of KEY_HELP) lines.push(padSegs([{text: `  ${k.keys.padEnd(18)}`, bold: true, tone: 'accent'}, {text: k.what}, ...(k.views ? [{text: `  (${k.views})`, dim: true}] : [])], width));
  lines.push([], [{text: 'Reading the Services view', bold: true, underline: true}]);
  for (const [k, v] of HELP_LEGEND) lines.push(padSegs([{text: `  ${k.padEnd(18)}`, bold: true}, {text: v}], width));
  lines.push([], [{text: 'meshdoctor never changes the cluster: every request it makes is a read.', dim: true}]);
  return lines;
}

export function HelpView({scroll, width, height}: Props): React.ReactElement {
  const lines = helpLines(width);
  const top = Math.min(scroll, Math.max(0, lines.length - height));
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      {lines.slice(top, top + height).map((l, i) => (
        <Line key={i} segs={l} />
      ))}
    </Box>
  );
}
