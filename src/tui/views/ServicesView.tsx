/** The default view: one row per workload, worst first (see state/services.ts for the rules). */
import {Box} from '../ink.js';
import React from 'react';
import {Line, padSegs} from '../components/Line.js';
import {ServicesTable} from '../components/ServicesTable.js';
import {followCursor} from '../state/layout.js';
import {selectedIndex, serviceRows} from '../state/services.js';
import {dataStale, freshness} from '../state/status.js';
import type {TuiState} from '../state/types.js';

export type Props = Readonly<{
  state: TuiState;
  width: number;
  /** Lines available, the table's header included. */
  height: number;
}>;

function emptyText(state: TuiState): string {
  const kube = freshness(state, 'kubernetes');
  if (!state.data.snapshot) return kube.reason ? `cannot reach the cluster: ${kube.reason}` : 'connecting to the cluster…';
  if (state.data.inventory.length === 0) return 'no meshed workloads in scope (try -A, or -n NAMESPACE)';
  if (state.namespace !== null) return `no meshed workload in namespace ${state.namespace} (:ns all shows every namespace)`;
  return `no row matches /${state.services.filter} (esc clears the filter)`;
}

/** The line under the table: what the letters after a success rate mean, as wide as there is room for. */
export function legendText(width: number, trend: 'success' | 'rps'): string {
  const trendWord = trend === 'success' ? 'success rate' : 'requests/s';
  const variants = [
    `SUCCESS: c = as its callers saw it · s = server side · o = what a gateway or client sent   TREND: ${trendWord}, last 15m (t toggles)`,
    `SUCCESS: c = callers' view · s = server side · o = what a gateway/client sent   TREND: ${trendWord}`,
    'success: c = callers\' view · s = server side · o = sent by a gateway/client',
    'c callers\' view · s server side · o sent (gateway/client)',
  ];
  return variants.find((v) => [...v].length + 2 <= width) ?? variants[variants.length - 1];
}

export function ServicesView({state, width, height}: Props): React.ReactElement {
  const rows = serviceRows(state);
  const selected = selectedIndex(state, rows);
  // The column header above the rows, the legend under them.
  const tableHeight = Math.max(1, height - 2);
  const scroll = followCursor(selected, state.services.scroll, tableHeight, rows.length);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <ServicesTable rows={rows} selected={selected} scroll={scroll} height={tableHeight} width={width} sort={state.services.sort} trend={state.services.trend} stale={dataStale(state)} empty={emptyText(state)} />
      {/* The legend keeps the view's last line, however many rows there are. */}
      <Box flexGrow={1} />
      <Line segs={padSegs([{text: `  ${legendText(width, state.services.trend)}`, dim: true}], width)} />
    </Box>
  );
}
