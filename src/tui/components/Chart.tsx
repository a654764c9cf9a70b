/**
 * A workload's golden metrics over time: success rate as a block chart, requests per second and p99
 * as sparklines, and — on the same time axis — what changed (▲ rollout, ✎ config edit, ! warning
 * event), then the axis itself. Gaps are missing data, not zeros.
 */
import React from 'react';
import type {Point} from '../charts.js';
import {blockChart, column, resample, sparkline} from '../charts.js';
import {age, millis, percent, rate} from '../format.js';
import type {TimelineEvent} from '../state/workload.js';
import type {HistoryPoint} from '../state/types.js';
import type {Seg} from './Line.js';
import {Line, padSegs} from './Line.js';

export type Props = Readonly<{
  points: readonly HistoryPoint[];
  changes: readonly TimelineEvent[];
  /** Time axis (ms). */
  from: number;
  to: number;
  width: number;
  /** Rows of the success chart. */
  height: number;
  /** Points further apart than this are a gap in the chart (ms). */
  holdMs?: number;
  /** SLO thresholds, to colour the chart. */
  successWarn: number;
  successError: number;
}>;

const LABEL = 8;
/** Room after the plot for the latest value (`  1.25s`). */
const VALUE = 8;
const MARK = {rollout: '▲', config: '✎', event: '!'} as const;
const MARK_TONE = {rollout: 'accent', config: 'warning', event: 'error'} as const;

export function chartLines(p: Props): Seg[][] {
  const plot = Math.max(10, p.width - LABEL - VALUE);
  const series = (pick: (h: HistoryPoint) => number | null | undefined): Point[] => p.points.map((h) => ({t: h.t, v: pick(h) ?? null}));
  const hold = p.holdMs ?? 0;
  const success = resample(series((h) => h.successRate), p.from, p.to, plot, hold);
  const known = success.filter((v): v is number => v !== null);
  const low = known.length ? Math.min(...known) : 1;
  const min = Math.max(0, Math.min(p.successError - 0.01, Math.floor((low - 0.005) * 100) / 100));
  const chart = blockChart(success, p.height, {min, max: 1});
  const last = known.length ? known[known.length - 1] : null;
  const tone = last === null ? undefined : last < p.successError ? 'error' : last < p.successWarn ? 'warning' : 'ok';
  const lines: Seg[][] = chart.rows.map((row, i) => {
    const label = i === 0 ? percent(chart.max, 0) : i === chart.rows.length - 1 ? percent(chart.min, 0) : i === 1 ? 'success' : '';
    const now: Seg[] = i === 0 && last !== null ? [{text: ` ${percent(last, 1)}`, ...(tone ? {tone} : {}), bold: true}] : [];
    return [{text: label.padStart(LABEL - 1) + ' ', dim: true}, {text: row, ...(tone ? {tone} : {})}, ...now];
  });
  const rps = resample(series((h) => h.rps), p.from, p.to, plot, hold);
  const lastRps = [...rps].reverse().find((v) => v !== null) ?? null;
  // From zero: a 1 % wobble of a steady rate must not look like a swing.
  const fromZero = (values: readonly (number | null)[]) => ({min: 0, max: Math.max(0, ...values.filter((v): v is number => v !== null))});
  lines.push([{text: 'rps'.padStart(LABEL - 1) + ' ', dim: true}, {text: sparkline(rps, plot, fromZero(rps)), tone: 'info'}, {text: ` ${rate(lastRps)}`, dim: true}]);
  const p99 = resample(series((h) => h.p99), p.from, p.to, plot, hold);
  const lastP99 = [...p99].reverse().find((v) => v !== null) ?? null;
  lines.push([{text: 'p99'.padStart(LABEL - 1) + ' ', dim: true}, {text: sparkline(p99, plot, fromZero(p99)), dim: lastP99 === null}, {text: ` ${millis(lastP99)}`, dim: true}]);
  const marks: Seg[] = [{text: 'changed'.padStart(LABEL - 1) + ' ', dim: true}];
  const cells: (TimelineEvent | undefined)[] = new Array(plot).fill(undefined);
  for (const c of p.changes) {
    const i = column(c.t, p.from, p.to, plot);
    if (i >= 0 && (!cells[i] || c.kind === 'rollout')) cells[i] = c;
  }
  let run = '';
  for (const c of cells) {
    if (!c) {
      run += '·';
      continue;
    }
    if (run) marks.push({text: run, dim: true});
    run = '';
    marks.push({text: MARK[c.kind], tone: MARK_TONE[c.kind], bold: true});
  }
  if (run) marks.push({text: run, dim: true});
  lines.push(marks);
  const span = p.to - p.from;
  const axis = `-${age(span)}`.padEnd(Math.floor(plot / 2)) + `-${age(span / 2)}`.padEnd(plot - Math.floor(plot / 2) - 3) + 'now';
  lines.push([{text: ' '.repeat(LABEL)}, {text: axis, dim: true}]);
  return lines.map((l) => padSegs(l, p.width));
}

export function Chart(p: Props): React.ReactElement {
  return (
    <>
      {chartLines(p).map((segs, i) => (
        <Line key={i} segs={segs} />
      ))}
    </>
  );
}
