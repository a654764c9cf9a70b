/** `:ctx` without a name (k9s' context list): every context of the kubeconfig, enter to switch the UI to it. */
import {Box} from '../ink.js';
import React from 'react';
import {Line, padSegs} from '../components/Line.js';
import {fit} from '../format.js';
import {followCursor} from '../state/layout.js';
import type {TuiState} from '../state/types.js';

export type Props = Readonly<{state: TuiState; cursor: number; scroll: number; width: number; height: number}>;

export function ContextsView({state, cursor, scroll, width, height}: Props): React.ReactElement {
  const names = state.contexts;
  const page = Math.max(1, height - 1);
  const top = followCursor(cursor, scroll, page, names.length);
  const header = padSegs([{text: '  '}, {text: 'CONTEXT', bold: true, dim: true}], width);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line segs={header} />
      {names.length === 0 ? <Line segs={padSegs([{text: '  the kubeconfig names no context', dim: true}], width)} /> : null}
      {names.slice(top, top + page).map((name, i) => {
        const selected = top + i === cursor;
        const current = name === state.data.context;
        return (
          <Line key={name} inverse={selected} segs={padSegs([
            {text: selected ? '▸ ' : '  ', bold: true},
            {text: fit(name, Math.max(12, width - 14)), bold: current},
            ...(current ? [{text: '  (current)', dim: true}] : []),
          ], width)} />
        );
      })}
    </Box>
  );
}
