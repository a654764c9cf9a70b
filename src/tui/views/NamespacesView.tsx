/** `:ns` without a name (k9s' namespace list): every namespace with workloads, how they are doing, enter to show only its workloads. */
import {Box} from '../ink.js';
import React from 'react';
import {Line, padSegs} from '../components/Line.js';
import {fit, rate} from '../format.js';
import {followCursor} from '../state/layout.js';
import {namespaceRows} from '../state/services.js';
import type {TuiState} from '../state/types.js';

export type Props = Readonly<{state: TuiState; cursor: number; scroll: number; width: number; height: number}>;

export function NamespacesView({state, cursor, scroll, width, height}: Props): React.ReactElement {
  const rows = namespaceRows(state);
  const page = Math.max(1, height - 1);
  const top = followCursor(cursor, scroll, page, rows.length);
  const name = Math.max(12, Math.min(40, width - 2 - 1 - 11 - 1 - 11 - 1 - 9));
  const header = padSegs([{text: '  '}, {text: `${fit('NAMESPACE', name)} ${fit('WORKLOADS', 11, 'right')} ${fit('BREACHING', 11, 'right')} ${fit('RPS', 9, 'right')}`, bold: true, dim: true}], width);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line segs={header} />
      {rows.slice(top, top + page).map((r, i) => {
        const selected = top + i === cursor;
        const current = r.namespace === state.namespace;
        return (
          <Line key={r.namespace ?? ' all'} inverse={selected} segs={padSegs([
            {text: selected ? '▸ ' : '  ', bold: true},
            {text: fit(r.namespace ?? '(all namespaces)', name), bold: current, ...(r.namespace === null ? {tone: 'accent' as const} : {})},
            {text: ` ${fit(String(r.workloads), 11, 'right')} `},
            {text: fit(String(r.breaching), 11, 'right'), ...(r.breaching > 0 ? {tone: 'error' as const, bold: true} : {dim: true})},
            {text: ` ${fit(r.rps === null ? '-' : r.rps === 0 ? 'idle' : rate(r.rps), 9, 'right')}`},
            ...(current ? [{text: '  (shown)', dim: true}] : []),
          ], width)} />
        );
      })}
    </Box>
  );
}
