/**
 * One workload: title with its golden metrics now, the chart with what changed on the same time
 * axis, then a scrolling pane of findings (enter/r → runbook), what changed, inbound and outbound
 * edges (enter → the workload at the other end), pods, and the effective mesh configuration.
 */
import {Box} from '../ink.js';
import React from 'react';
import {thresholdsFor} from '../../core/options.js';
import {subjectKey} from '../../core/subjects.js';
import {Chart} from '../components/Chart.js';
import type {Seg} from '../components/Line.js';
import {Line, padSegs, segWidth} from '../components/Line.js';
import {clock, fit, middleCut, millis, percent, rate} from '../format.js';
import {followCursor, workloadChartHeight, workloadDetailRows} from '../state/layout.js';
import type {TuiState} from '../state/types.js';
import type {DetailLine, WorkloadDetail} from '../state/workload.js';
import {isSelectable, workloadDetail} from '../state/workload.js';

export type Props = Readonly<{state: TuiState; namespace: string; workload: string; cursor: number; scroll: number; width: number; height: number}>;

const SEV = {error: ['✖', 'error'], warning: ['‼', 'warning'], info: ['ℹ', 'info']} as const;
const CHANGE = {rollout: ['▲', 'accent'], config: ['✎', 'warning'], event: ['!', 'error']} as const;

export function detailSegs(line: DetailLine, width: number): Seg[] {
  switch (line.kind) {
    case 'heading':
      return padSegs([{text: line.text, bold: true, underline: true}, ...(line.text.startsWith('What changed') ? [{text: '   ▲ rollout  ✎ config edit  ! warning event', dim: true}] : [])], width);
    case 'text':
      return padSegs([{text: `  ${line.text}`, ...(line.tone === 'dim' ? {dim: true} : line.tone === 'warn' ? {tone: 'warning' as const} : line.tone === 'error' ? {tone: 'error' as const} : {})}], width);
    case 'finding': {
      const [mark, tone] = SEV[line.finding.severity];
      return padSegs([{text: `  ${mark} `, tone}, {text: `${line.finding.checkId} `, bold: true}, {text: `${subjectKey(line.finding.subject)}: `, dim: true}, {text: line.finding.message}], width);
    }
    case 'change': {
      const [mark, tone] = CHANGE[line.change.kind];
      return padSegs([{text: `  ${clock(line.change.t)} `, dim: true}, {text: `${mark} `, tone, bold: true}, {text: line.change.text}], width);
    }
    case 'edge': {
      const e = line.edge;
      const flags = e.flags.slice(0, 3).map((f) => `${f.flag} ${rate(f.rps)}/s`).join(' ');
      const tone = e.success === null ? undefined : e.success < 0.95 ? 'error' : e.success < 0.99 ? 'warning' : undefined;
      return padSegs([
        {text: `  ${e.direction === 'in' ? '←' : '→'} `, dim: true},
        {text: fit(e.peer, Math.max(16, Math.floor(width * 0.32)))},
        {text: ` ${fit(rate(e.rps), 7, 'right')} rps `},
        {text: fit(percent(e.success, 2), 8, 'right'), ...(tone ? {tone} : {})},
        {text: ` p99 ${fit(millis(e.p99), 7, 'right')} `, dim: true},
        ...(flags ? [{text: ` flags ${flags}`, tone: 'warning' as const}] : []),
      ], width);
    }
    case 'pod': {
      const p = line.pod;
      const sync = p.sync ?? '-';
      const syncTone = p.sync === 'SYNCED' ? 'ok' : p.sync === null || p.sync === 'unknown' ? undefined : 'warning';
      return padSegs([
        {text: `  ${fit(p.name, Math.max(20, Math.floor(width * 0.36)))} `},
        {text: fit(p.phase, 9)},
        {text: p.ready ? ' ready   ' : ' NOT ready', tone: p.ready ? 'ok' : 'error'},
        {text: ` restarts ${fit(String(p.restarts), 3, 'right')} `, ...(p.restarts > 0 ? {tone: 'warning' as const} : {dim: true})},
        {text: ` proxy ${fit(p.proxy ?? 'none', 18)}`, ...(p.proxy ? {} : {tone: 'warning' as const})},
        {text: ' sync ', dim: true},
        {text: sync, ...(syncTone ? {tone: syncTone} : {dim: true})},
      ], width);
    }
  }
}

/**
 * The workload's title line: its name and golden metrics now. Groups go from the least needed
 * (p50/p95, pods, mesh, kind) while the line is too wide: name, success, RPS and p99 stay.
 */
export function titleSegs(d: WorkloadDetail, width: number): Seg[] {
  const r = d.row;
  const groups: {rank: number; segs: Seg[]}[] = [
    {rank: 3, segs: [{text: ` ${d.subject.kind}`, dim: true}]},
    {rank: 0, segs: [{text: ` ${d.namespace}/${d.workload}`, bold: true}]},
    {rank: 4, segs: [{text: `  ${r?.mesh ?? ''}`, tone: 'accent'}]},
  ];
  if (r) {
    groups.push({rank: 5, segs: [{text: `  pods ${r.pods === null ? '-' : `${r.meshedPods ?? 0}/${r.pods}`}`, dim: true}]});
    const g = r.golden;
    const tone = r.successHealth === 'error' ? 'error' : r.successHealth === 'warning' ? 'warning' : r.successHealth === 'ok' ? 'ok' : undefined;
    const figures = !g ? 'no data' : g.basis === 'outbound' ? `${percent(g.outboundSuccessRate)} o` : `${percent(g.clientSuccessRate)} c / ${percent(g.successRate)} s`;
    groups.push({rank: 0, segs: [{text: '  success '}, {text: figures, ...(tone ? {tone} : {}), bold: tone === 'error'}, ...(r.successHealth === 'low' ? [{text: ' (low traffic)', dim: true}] : [])]});
    if (g?.basis === 'outbound') groups.push({rank: 3, segs: [{text: ' (what it sent)', dim: true}]});
    groups.push({rank: 1, segs: [{text: r.rps === 0 ? '  idle' : `  ${rate(r.rps)} rps`}]});
    groups.push({rank: 6, segs: [{text: `  p50 ${millis(r.p50)} p95 ${millis(r.p95)}`}]});
    groups.push({rank: 2, segs: [{text: '  '}, {text: `p99 ${millis(r.p99)}`, ...(r.latencyHealth === 'error' ? {tone: 'error' as const} : r.latencyHealth === 'warning' ? {tone: 'warning' as const} : {})}]});
  }
  let shown = groups;
  for (let rank = 6; rank > 2 && segWidth(shown.flatMap((x) => x.segs)) > width; rank--) shown = shown.filter((x) => x.rank < rank);
  // Name, success, RPS and p99 stay: a long name is cut in the middle to leave them room.
  const over = segWidth(shown.flatMap((x) => x.segs)) - width;
  if (over > 0) {
    const name = ` ${d.namespace}/${d.workload}`;
    shown = shown.map((x) => (x.segs[0]?.text === name ? {...x, segs: [{...x.segs[0], text: ` ${middleCut(name.slice(1), Math.max(12, name.length - 1 - over))}`}]} : x));
  }
  return padSegs(shown.flatMap((x) => x.segs), width);
}

export function WorkloadView({state, namespace, workload, cursor, scroll, width, height}: Props): React.ReactElement {
  const d = workloadDetail(state, namespace, workload);
  const t = thresholdsFor(state.config.options, namespace, workload);
  const title = titleSegs(d, width);
  const chartHeight = workloadChartHeight(state.size);
  const to = state.config.at ?? state.now;
  const oldest = d.history.length ? d.history[0].t : to - 60_000;
  const from = Math.min(to - 60_000, Math.max(to - 15 * 60_000, oldest));
  const rows = workloadDetailRows(state.size);
  const selected = cursor >= 0 && cursor < d.lines.length && isSelectable(d.lines[cursor]) ? cursor : d.lines.findIndex(isSelectable);
  const top = selected >= 0 ? followCursor(selected, scroll, rows, d.lines.length) : Math.min(scroll, Math.max(0, d.lines.length - rows));
  const visible = d.lines.slice(top, top + rows);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line segs={title} />
      <Chart points={d.history} changes={d.timeline} from={from} to={to} width={width} height={chartHeight} holdMs={Math.max(30_000, 3 * state.config.refreshSeconds * 1000)} successWarn={t.slo.successWarn} successError={t.slo.successError} />
      {visible.map((l, i) => {
        const index = top + i;
        const sel = index === selected;
        const segs = detailSegs(l, width - 2);
        return <Line key={index} segs={[{text: sel ? '▸ ' : '  ', bold: true}, ...segs]} inverse={sel} />;
      })}
    </Box>
  );
}
