/**
 * The Services table: a header and only the rows that fit (virtualised — 2,000 workloads cost the
 * same as 30). Columns come and go with the width in a stated priority (COLUMN_PRIORITY: workload,
 * success, RPS and p99 first) and the width left over goes to the workload name and the finding,
 * not to padding. Colours mark SLO breaches; "low traffic", "no traffic", "idle" and "no data" are
 * words, never 0.
 */
import React from 'react';
import {sparkline} from '../charts.js';
import {fit, middleCut, millis, percent, rate} from '../format.js';
import type {Health, ServiceRow} from '../state/services.js';
import {TREND_POINTS, trendValues} from '../state/services.js';
import {lastValue} from '../state/memo.js';
import type {SortSpec} from '../state/types.js';
import type {Seg, Tone} from './Line.js';
import {Line} from './Line.js';

export type ColumnKey = 'namespace' | 'workload' | 'pods' | 'success' | 'rps' | 'p50' | 'p95' | 'p99' | 'flags' | 'trend' | 'finding';

export type Column = Readonly<{key: ColumnKey; title: string; width: number; align: 'left' | 'right'; sort?: SortSpec['column']}>;

type ColumnSpec = Readonly<{key: ColumnKey; title: string; min: number; max: number; align: 'left' | 'right'; sort?: SortSpec['column']}>;

/** Every column, left to right as drawn, with its narrowest and widest useful width. */
export const SPECS: readonly ColumnSpec[] = [
  {key: 'namespace', title: 'NAMESPACE', min: 9, max: 20, align: 'left', sort: 'namespace'},
  {key: 'workload', title: 'WORKLOAD', min: 14, max: 48, align: 'left', sort: 'workload'},
  {key: 'pods', title: 'PODS', min: 5, max: 5, align: 'right', sort: 'pods'},
  {key: 'success', title: 'SUCCESS', min: 11, max: 11, align: 'right', sort: 'success'},
  {key: 'rps', title: 'RPS', min: 6, max: 7, align: 'right', sort: 'rps'},
  {key: 'p50', title: 'P50', min: 7, max: 7, align: 'right', sort: 'p50'},
  {key: 'p95', title: 'P95', min: 7, max: 7, align: 'right', sort: 'p95'},
  {key: 'p99', title: 'P99', min: 6, max: 7, align: 'right', sort: 'p99'},
  {key: 'flags', title: 'FLAGS', min: 10, max: 24, align: 'left'},
  {key: 'trend', title: 'TREND', min: 10, max: TREND_POINTS, align: 'left'},
  {key: 'finding', title: 'WORST FINDING', min: 13, max: 200, align: 'left', sort: 'finding'},
];

/**
 * Which columns stay as the terminal narrows, most important first: what is broken and how badly
 * (workload, success, RPS, p99), why (the worst finding), where (namespace; without it the
 * workload reads `namespace/name`), how requests fail (response flags), then pods, the trend, p95
 * and p50. The first five are drawn at any width from 60 columns, narrowed if need be; the others
 * only where the first five keep a readable width.
 */
export const COLUMN_PRIORITY: readonly ColumnKey[] = ['workload', 'success', 'rps', 'p99', 'finding', 'namespace', 'flags', 'pods', 'trend', 'p95', 'p50'];
const ESSENTIAL = 5;

/** Widths the rows' contents ask for (longest names, longest flags text). */
export type ContentWidths = Readonly<{namespace: number; workload: number; qualified: number; flags: number}>;

/** The selection marker before the first column. */
const MARKER = 2;

/** Columns whose width is their contents' (numbers): they are never widened past it. */
const FIXED: ReadonlySet<ColumnKey> = new Set(['pods', 'success', 'rps', 'p50', 'p95', 'p99']);

/** A readable width (what lower-priority columns must leave a column): numbers at full width, the names and the finding readable. */
function comfortable(key: ColumnKey, content: ContentWidths | undefined): number {
  if (key === 'workload') return Math.max(14, Math.min(22, content?.workload ?? 20));
  if (key === 'finding') return 26;
  const spec = SPECS.find((c) => c.key === key)!;
  return FIXED.has(key) ? spec.max : spec.min;
}

/**
 * Columns for a terminal width (with the marker and a blank after each, exactly `width` cells):
 * chosen in priority order, then the spare width goes to the workload name, the namespace, the
 * flags and the trend as far as their contents need, and all the rest to the finding — never to
 * padding between numbers.
 */
export function serviceColumns(width: number, content?: ContentWidths): Column[] {
  const available = width - MARKER;
  const chosen: ColumnSpec[] = [];
  const need = (withKey: ColumnKey, asMin: boolean) => chosen.reduce((n, c) => n + 1 + (asMin ? c.min : comfortable(c.key, content)), 0) + 1 + (asMin ? SPECS.find((c) => c.key === withKey)!.min : comfortable(withKey, content));
  COLUMN_PRIORITY.forEach((key, rank) => {
    if (need(key, rank < ESSENTIAL) > available) return;
    chosen.push(SPECS.find((c) => c.key === key)!);
  });
  const widths = new Map(chosen.map((c) => [c.key, c.min]));
  let spare = available - chosen.reduce((n, c) => n + c.min + 1, 0);
  const grow = (key: ColumnKey, upTo: number) => {
    if (!widths.has(key) || spare <= 0) return;
    const add = Math.max(0, Math.min(spare, upTo - widths.get(key)!));
    widths.set(key, widths.get(key)! + add);
    spare -= add;
  };
  const nsShown = widths.has('namespace');
  const spec = (key: ColumnKey) => SPECS.find((c) => c.key === key)!;
  const names = (nsShown ? content?.workload : content?.qualified) ?? 28;
  grow('workload', Math.min(22, names));
  for (const c of chosen) if (FIXED.has(c.key)) grow(c.key, c.max);
  grow('finding', comfortable('finding', content));
  grow('workload', Math.min(spec('workload').max, names));
  grow('namespace', Math.min(spec('namespace').max, content?.namespace ?? 12));
  grow('flags', Math.min(spec('flags').max, content?.flags ?? 12));
  grow('trend', spec('trend').max);
  grow('finding', spec('finding').max);
  return SPECS.filter((c) => widths.has(c.key)).map((c) => ({key: c.key, title: c.title, width: widths.get(c.key)!, align: c.align, ...(c.sort ? {sort: c.sort} : {})}));
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

/**
 * Response flags as shares of the row's requests, the busiest first; flags always seen together
 * (Envoy's `UF,URX`: the connection failed, and so did the retries) share one entry.
 */
export function flagsText(flags: Readonly<Record<string, number>> | null | undefined, rps: number | null): string {
  const entries = Object.entries(flags ?? {}).filter(([f, v]) => v > 0 && f !== '-').sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const groups: {flags: string[]; rate: number}[] = [];
  for (const [flag, v] of entries) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(last.rate - v) <= 1e-9 * Math.max(1, v)) last.flags.push(flag);
    else groups.push({flags: [flag], rate: v});
  }
  return groups.map((g) => `${g.flags.join(',')} ${rps ? percent(g.rate / rps, g.rate / rps < 0.01 ? 1 : 0) : `${rate(g.rate)}/s`}`).join(' ');
}

export function rowSegs(r: ServiceRow, columns: readonly Column[], selected: boolean, stale: boolean, trend: 'success' | 'rps'): Seg[] {
  const segs: Seg[] = [{text: selected ? '▸ ' : '  ', bold: true}];
  const dim = stale || r.health === 'no-data';
  const namespaceShown = columns.some((c) => c.key === 'namespace');
  for (const c of columns) {
    switch (c.key) {
      case 'namespace':
        segs.push(cell(r.namespace, c, {dim}));
        break;
      case 'workload':
        // Without the namespace column the name says where it lives; a long name keeps its end (checkout-v1 vs -v2).
        segs.push({text: fit(middleCut(namespaceShown ? r.workload : `${r.namespace}/${r.workload}`, c.width), c.width), bold: r.health === 'error', dim});
        break;
      case 'flags': {
        const text = flagsText(r.golden?.responseFlags, r.rps);
        segs.push(cell(text || (r.golden?.responseFlags ? '' : '-'), c, {dim: dim || !text, ...(text ? {tone: 'warning' as const} : {})}));
        break;
      }
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
        const known = values.filter((v): v is number => v !== null);
        const line = trend === 'success' ? sparkline(values, c.width, {min: Math.min(0.9, ...known), max: 1}) : sparkline(values, c.width, {min: 0, max: Math.max(0, ...known)});
        const tone = trend === 'success' ? HEALTH_TONE[r.successHealth] : undefined;
        segs.push({text: line, ...(tone && tone !== 'ok' ? {tone} : {}), dim: dim || tone === 'ok' || tone === undefined});
        break;
      }
      case 'finding': {
        const f = r.finding;
        if (!f) segs.push(cell('', c));
        else {
          // The finding's title where it fits, else its check's name in a few words; how many more always shows.
          const more = r.findings > 1 ? ` +${r.findings - 1}` : '';
          const room = c.width - 2 - more.length;
          const title = r.findingTitle && [...r.findingTitle].length <= room ? r.findingTitle : (r.findingName ?? r.findingTitle ?? f.checkId);
          segs.push({text: `${SEVERITY_MARK[f.severity]} `, tone: SEVERITY_TONE[f.severity]}, cell(title, {...c, width: room}, {dim}));
          if (more) segs.push({text: more, dim: true});
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

const contentMemo = lastValue<ContentWidths>();

/** The longest names and flags of every row (not only the visible ones: columns must not jump while scrolling). */
export function contentWidths(rows: readonly ServiceRow[]): ContentWidths {
  return contentMemo([rows], () => {
    let namespace = 0;
    let workload = 0;
    let qualified = 0;
    let flags = 0;
    for (const r of rows) {
      namespace = Math.max(namespace, r.namespace.length);
      workload = Math.max(workload, r.workload.length);
      qualified = Math.max(qualified, r.namespace.length + 1 + r.workload.length);
      if (r.golden?.responseFlags) flags = Math.max(flags, flagsText(r.golden.responseFlags, r.rps).length);
    }
    return {namespace: namespace + 1, workload: workload + 1, qualified: qualified + 1, flags: Math.max(5, flags)};
  });
}

export function ServicesTable(p: Props): React.ReactElement {
  const columns = serviceColumns(p.width, contentWidths(p.rows));
  const visible = p.rows.slice(p.scroll, p.scroll + p.height);
  const lines: React.ReactElement[] = [<Line key="h" segs={headerSegsFor(columns, p.sort, p.trend)} />];
  visible.forEach((r, i) => {
    const index = p.scroll + i;
    lines.push(<Line key={r.key} segs={rowSegs(r, columns, index === p.selected, p.stale, p.trend)} inverse={index === p.selected} />);
  });
  if (p.rows.length === 0) lines.push(<Line key="empty" segs={[{text: `  ${p.empty}`, dim: true}]} />);
  return <>{lines}</>;
}
