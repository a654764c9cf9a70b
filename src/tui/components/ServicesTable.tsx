/**
 * The Services table: a header and only the rows that fit (virtualised — 2,000 workloads cost the
 * same as 30). Columns adapt to the width: p50/p95 go below 100 columns. Colours mark SLO
 * breaches; "low traffic", "no traffic" and "no data" are words, never 0.
 */
import React from 'react';
import {sparkline} from '../charts.js';
import {fit, millis, percent, rate} from '../format.js';
import type {Health, ServiceRow} from '../state/services.js';
import {trendValues} from '../state/services.js';
import type {SortSpec} from '../state/types.js';
import type {Seg, Tone} from './Line.js';
import {Line} from './Line.js';

export type Column = Readonly<{key: string; title: string; width: number; align: 'left' | 'right'; sort?: SortSpec['column']}>;

/** Column widths for a terminal width. */
export function serviceColumns(width: number): Column[] {
  const wide = width >= 100;
  const fixed: Column[] = [
    {key: 'pods', title: 'PODS', width: 5, align: 'right', sort: 'pods'},
    {key: 'success', title: 'SUCCESS', width: 11, align: 'right', sort: 'success'},
    {key: 'rps', title: 'RPS', width: 7, align: 'right', sort: 'rps'},
    ...(wide ? [{key: 'p50', title: 'P50', width: 7, align: 'right', sort: 'p50'}, {key: 'p95', title: 'P95', width: 7, align: 'right', sort: 'p95'}] as Column[] : []),
    {key: 'p99', title: 'P99', width: 7, align: 'right', sort: 'p99'},
    {key: 'trend', title: 'TREND', width: wide ? 12 : 10, align: 'left'},
  ];
  const marker = 2;
  const separators = fixed.length + 3;
  const rest = Math.max(24, width - marker - separators - fixed.reduce((n, c) => n + c.width, 0));
  const ns = Math.max(8, Math.min(18, Math.floor(rest * 0.26)));
  const finding = Math.max(9, Math.min(36, Math.floor(rest * 0.34)));
  const workload = Math.max(10, rest - ns - finding);
  return [
    {key: 'namespace', title: 'NAMESPACE', width: ns, align: 'left', sort: 'namespace'},
    {key: 'workload', title: 'WORKLOAD', width: workload, align: 'left', sort: 'workload'},
    ...fixed,
    {key: 'finding', title: 'WORST FINDING', width: finding, align: 'left', sort: 'finding'},
  ];
}

const HEALTH_TONE: Readonly<Record<Health, Tone | undefined>> = {error: 'error', warning: 'warning', ok: 'ok', low: undefined, idle: undefined, 'no-data': undefined};
const SEVERITY_MARK = {error: '✖', warning: '‼', info: 'ℹ'} as const;
const SEVERITY_TONE = {error: 'error', warning: 'warning', info: 'info'} as const;

/** The letter after a success rate: whose view it is (the legend under the table says so). */
export const SIDE_MARK = {client: 'c', server: 's', sent: 'o'} as const;

function successText(r: ServiceRow): string {
  if (r.successHealth === 'no-data') return 'no data';
  if (r.successHealth === 'idle') return r.golden?.tcpConnections ? 'TCP only' : 'no traffic';
  if (r.successHealth === 'low') return 'low traffic';
  return `${percent(r.success, r.success !== null && r.success > 0.999 && r.success < 1 ? 2 : 1)} ${SIDE_MARK[r.side ?? 'server']}`;
}

/** Requests per second, or words when there were none: never a 0. */
function rpsText(r: ServiceRow): string {
  if (r.rps !== 0) return rate(r.rps);
  const open = r.golden?.tcpConnections;
  return open ? `${Math.round(open)} conn` : 'idle';
}

function cell(text: string, c: Column, extra: Omit<Seg, 'text'> = {}): Seg {
  return {text: fit(text, c.width, c.align), ...extra};
}

export function rowSegs(r: ServiceRow, columns: readonly Column[], selected: boolean, stale: boolean, trend: 'success' | 'rps'): Seg[] {
  const segs: Seg[] = [{text: selected ? '▸ ' : '  ', bold: true}];
  const dim = stale || r.health === 'no-data';
  for (const c of columns) {
    switch (c.key) {
      case 'namespace':
        segs.push(cell(r.namespace, c, {dim}));
        break;
      case 'workload':
        segs.push(cell(r.workload, c, {bold: r.health === 'error', dim}));
        break;
      case 'pods':
        segs.push(cell(r.pods === null ? '-' : `${r.meshedPods ?? 0}/${r.pods}`, c, {dim, ...(r.meshedPods !== null && r.pods !== null && r.meshedPods < r.pods ? {tone: 'warning' as const} : {})}));
        break;
      case 'success': {
        const tone = HEALTH_TONE[r.successHealth];
        segs.push(cell(successText(r), c, {...(tone ? {tone} : {}), bold: r.successHealth === 'error', dim: dim || r.successHealth === 'low' || r.successHealth === 'idle'}));
        break;
      }
      case 'rps':
        segs.push(cell(rpsText(r), c, {dim: dim || r.rps === 0}));
        break;
      case 'p50':
        segs.push(cell(millis(r.p50), c, {dim}));
        break;
      case 'p95':
        segs.push(cell(millis(r.p95), c, {dim}));
        break;
      case 'p99': {
        const tone = r.latencyHealth === 'error' ? 'error' : r.latencyHealth === 'warning' ? 'warning' : undefined;
        segs.push(cell(millis(r.p99), c, {dim, ...(tone ? {tone} : {})}));
        break;
      }
      case 'trend': {
        const values = trendValues(r.history, trend);
        const line = trend === 'success' ? sparkline(values, c.width, {min: Math.min(0.9, ...values.filter((v): v is number => v !== null)), max: 1}) : sparkline(values, c.width);
        const tone = trend === 'success' ? HEALTH_TONE[r.successHealth] : undefined;
        segs.push({text: line, ...(tone && tone !== 'ok' ? {tone} : {}), dim: dim || tone === 'ok' || tone === undefined});
        break;
      }
      case 'finding': {
        const f = r.finding;
        if (!f) segs.push(cell('', c));
        else {
          const more = r.findings > 1 ? ` +${r.findings - 1}` : '';
          segs.push({text: `${SEVERITY_MARK[f.severity]} `, tone: SEVERITY_TONE[f.severity]}, cell(`${f.checkId}${more}`, {...c, width: c.width - 2}, {dim}));
        }
        break;
      }
    }
    segs.push({text: ' '});
  }
  return segs;
}

export function headerSegsFor(columns: readonly Column[], sort: SortSpec, trend: 'success' | 'rps'): Seg[] {
  const segs: Seg[] = [{text: '  '}];
  for (const c of columns) {
    const arrow = c.sort && sort.column === c.sort ? (sort.reverse ? '↑' : '↓') : '';
    const title = c.key === 'trend' ? `TREND ${trend === 'success' ? 'succ' : 'rps'}` : c.title;
    segs.push({text: fit(`${title}${arrow}`, c.width, c.align), bold: true, dim: !arrow}, {text: ' '});
  }
  return segs;
}

export type Props = Readonly<{
  /** Every filtered, sorted row; only the visible window renders. */
  rows: readonly ServiceRow[];
  selected: number;
  scroll: number;
  /** Rows of table body (without the header). */
  height: number;
  width: number;
  sort: SortSpec;
  trend: 'success' | 'rps';
  /** Data marked stale: the source stopped answering. */
  stale: boolean;
  /** Shown when there are no rows. */
  empty: string;
}>;

export function ServicesTable(p: Props): React.ReactElement {
  const columns = serviceColumns(p.width);
  const visible = p.rows.slice(p.scroll, p.scroll + p.height);
  const lines: React.ReactElement[] = [<Line key="h" segs={headerSegsFor(columns, p.sort, p.trend)} />];
  visible.forEach((r, i) => {
    const index = p.scroll + i;
    lines.push(<Line key={r.key} segs={rowSegs(r, columns, index === p.selected, p.stale, p.trend)} inverse={index === p.selected} />);
  });
  if (p.rows.length === 0) lines.push(<Line key="empty" segs={[{text: `  ${p.empty}`, dim: true}]} />);
  return <>{lines}</>;
}
