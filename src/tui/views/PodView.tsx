/**
 * One pod: its containers (state, restarts), then a tab — the application's log, the proxy's log
 * (both followed while the view is open; `/` highlights matches, `n`/`N` jump between them) or the
 * proxy's own view (Envoy: the upstream it was opened for first — endpoints with their health and
 * outlier ejection, the routes leading there with weights, stats — then every cluster and listener;
 * Linkerd: its metrics by peer and a tap-style sample). Read-only: every read is a GET.
 */
import {Box} from '../ink.js';
import React from 'react';
import type {Seg} from '../components/Line.js';
import {Line, padSegs} from '../components/Line.js';
import type {PodLine} from '../state/pod.js';
import {podDetail} from '../state/pod.js';
import {podPaneRows, podScroll} from '../state/pod-view.js';
import type {PodEntry, TuiState} from '../state/types.js';

export type Props = Readonly<{state: TuiState; entry: PodEntry; width: number; height: number}>;

const TAB_TITLES = {logs: 'application log', 'proxy-logs': 'proxy log', proxy: 'proxy view'} as const;

function lineSegs(l: PodLine, width: number, current = false): Seg[] {
  const tone = l.tone === 'warn' ? 'warning' : l.tone === 'dim' ? undefined : l.tone;
  const mark: Seg[] = current ? [{text: '▸ ', bold: true, tone: 'accent'}] : [];
  return padSegs([...mark, {text: l.text, ...(tone ? {tone} : {}), ...(l.tone === 'dim' ? {dim: true} : {}), ...(l.bold || current ? {bold: true} : {}), ...(l.match ? {inverse: true} : {})}], width);
}

export function PodView({state, entry, width, height}: Props): React.ReactElement {
  const d = podDetail(state, entry);
  const rows = podPaneRows(state.size, d.containers.length);
  const top = podScroll(entry, d.lines.length, rows);
  const title: Seg[] = [{text: ' Pod ', dim: true}, {text: `${entry.namespace}/${entry.pod}`, bold: true}, ...(d.mesh ? [{text: `  ${d.mesh}`, tone: 'accent' as const}] : []),
    ...(d.pod ? [{text: `  ${d.pod.status?.phase ?? ''}  ${d.pod.status?.podIP ?? ''}`, dim: true}] : [])];
  const tabs: Seg[] = [];
  (['logs', 'proxy-logs', 'proxy'] as const).forEach((t, i) => {
    tabs.push({text: ` ${i + 1} ${TAB_TITLES[t]} `, ...(t === entry.tab ? {inverse: true, bold: true} : {dim: true})}, {text: ' '});
  });
  if (entry.tab !== 'proxy' && d.container) tabs.push({text: ` ${d.container}`, dim: true}, {text: entry.follow ? '  following' : '  paused (f follows)', ...(entry.follow ? {tone: 'ok' as const} : {tone: 'warning' as const})});
  if (entry.search && entry.tab !== 'proxy') tabs.push({text: `  /${entry.search}  ${d.lines.filter((l) => l.match).length} matches`, tone: 'accent'});
  if (entry.tab === 'proxy' && entry.focusHost) tabs.push({text: `  for ${entry.focusHost}`, dim: true});
  const visible = d.lines.slice(top, top + rows);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line segs={padSegs(title, width)} />
      {d.containers.slice(0, 3).map((c, i) => <Line key={`c${i}`} segs={lineSegs({...c, text: `  ${c.text}`}, width)} />)}
      <Line segs={padSegs(tabs, width)} />
      {visible.map((l, i) => <Line key={top + i} segs={lineSegs(l, width, entry.match === top + i && entry.tab !== 'proxy')} />)}
    </Box>
  );
}
