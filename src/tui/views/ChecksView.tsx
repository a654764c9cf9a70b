/** The catalog by block: each check's outcome, skip/n-a reasons, and the findings of failing checks. */
import {Box} from '../ink.js';
import React from 'react';
import {subjectKey} from '../../core/subjects.js';
import type {Seg, Tone} from '../components/Line.js';
import {Line, padSegs} from '../components/Line.js';
import {fit} from '../format.js';
import type {ChecksLine} from '../state/checks.js';
import {checksLines, nextSelectable} from '../state/checks.js';
import {followCursor} from '../state/layout.js';
import type {TuiState} from '../state/types.js';

export type Props = Readonly<{state: TuiState; cursor: number; scroll: number; width: number; height: number}>;

const OUTCOME: Readonly<Record<string, readonly [string, Tone | undefined, string]>> = {
  pass: ['✔', 'ok', 'pass'],
  fail: ['✖', 'error', 'fail'],
  skip: ['○', 'warning', 'skip'],
  crash: ['!', 'error', 'crash'],
  'not-applicable': ['–', undefined, 'n/a'],
};
const SEV = {error: ['✖', 'error'], warning: ['‼', 'warning'], info: ['ℹ', 'info']} as const;

export function checksLineSegs(line: ChecksLine, width: number): Seg[] {
  switch (line.kind) {
    case 'block': {
      const counts = Object.entries(line.counts).map(([o, n]) => `${n} ${OUTCOME[o]?.[2] ?? o}`).join(' · ');
      return padSegs([{text: `${line.block} `, bold: true, tone: 'accent'}, {text: counts, dim: true}], width);
    }
    case 'check': {
      const r = line.result;
      const [mark, tone, word] = OUTCOME[r.outcome];
      const worst = r.findings.some((f) => f.severity === 'error') ? 'error' : r.findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
      const failTone: Tone | undefined = r.outcome === 'fail' ? (worst === 'error' ? 'error' : worst === 'warning' ? 'warning' : 'info') : tone;
      const detail = r.outcome === 'fail' ? `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}` : r.reason ?? '';
      return padSegs([
        {text: `  ${mark} `, ...(failTone ? {tone: failTone} : {dim: true})},
        {text: `${r.check.id} `, bold: r.outcome === 'fail'},
        {text: fit(r.check.slug, Math.max(20, Math.floor(width * 0.34))), dim: r.outcome === 'not-applicable' || r.outcome === 'pass'},
        {text: ` ${fit(word, 5)} `, ...(failTone ? {tone: failTone} : {dim: true})},
        {text: detail, dim: r.outcome !== 'fail'},
      ], width);
    }
    case 'finding': {
      const f = line.finding;
      const [mark, tone] = SEV[f.severity];
      return padSegs([{text: `      ${mark} `, tone}, {text: `${subjectKey(f.subject)}: `, bold: true}, {text: f.message}], width);
    }
  }
}

export function ChecksView({state, cursor, scroll, width, height}: Props): React.ReactElement {
  const lines = checksLines(state);
  if (lines.length === 0) {
    const text = state.data.results.length === 0 ? (state.data.checksRunning ? 'running the checks…' : 'the checks run once the cluster has been read…') : `no check matches /${state.checksFilter} (esc clears the filter)`;
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Line segs={[{text: `  ${text}`, dim: true}]} />
      </Box>
    );
  }
  const selected = cursor >= 0 && cursor < lines.length && lines[cursor].kind !== 'block' ? cursor : nextSelectable(lines, 0, 1);
  const top = followCursor(Math.max(0, selected), scroll, height, lines.length);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      {lines.slice(top, top + height).map((l, i) => {
        const index = top + i;
        const sel = index === selected;
        return <Line key={index} segs={[{text: sel ? '▸' : ' ', bold: true}, ...checksLineSegs(l, width - 1)]} inverse={sel} />;
      })}
    </Box>
  );
}
