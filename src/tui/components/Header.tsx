/**
 * The header line: context, mesh(es) and version, metrics source and data age (red when stale),
 * the refresh interval or the frozen `--at` time, and the clock.
 */
import React from 'react';
import type {MeshInfo} from '../../core/types.js';
import {age, clock, middleCut} from '../format.js';
import type {Freshness} from '../state/status.js';
import type {Seg} from './Line.js';
import {Line, padSegs, segWidth} from './Line.js';

export type Props = Readonly<{
  /** Terminal width. */
  width: number;
  context: string | null;
  meshes: readonly MeshInfo[];
  metricsSource?: 'prometheus' | 'proxies';
  metrics: Freshness;
  kube: Freshness;
  refreshSeconds: number;
  /** `--at`: frozen at this instant (ms). */
  at?: number;
  now: number;
}>;

/** How much the header leaves out, from nothing to the most it may: never the metrics source, its age, --at or the clock. */
type Compaction = Readonly<{refresh: boolean; labels: boolean; badge: string; versions: boolean; utc: boolean}>;

const COMPACTIONS: readonly Compaction[] = [
  {refresh: true, labels: true, badge: ' meshdoctor ', versions: true, utc: true},
  {refresh: false, labels: true, badge: ' meshdoctor ', versions: true, utc: true},
  {refresh: false, labels: false, badge: ' meshdoctor ', versions: true, utc: true},
  {refresh: false, labels: false, badge: ' md ', versions: true, utc: true},
  {refresh: false, labels: false, badge: ' md ', versions: false, utc: false},
];

/** The context name keeps at least this much before the header leaves out more of the rest. */
const MIN_CONTEXT = 12;

function layout(p: Props, c: Compaction, contextWidth: number): {segs: Seg[]; right: Seg} {
  const segs: Seg[] = [{text: c.badge, bold: true, inverse: true}, {text: ' '}];
  const context = p.context ?? (p.kube.connecting ? 'connecting…' : '-');
  if (c.labels) segs.push({text: 'ctx ', dim: true});
  segs.push({text: middleCut(context, contextWidth), bold: true});
  if (p.kube.stale) segs.push({text: ` (${c.labels ? 'cluster ' : ''}stale ${p.kube.ageMs !== undefined ? age(p.kube.ageMs) : ''})`, tone: 'error'});
  segs.push({text: '  '});
  if (p.meshes.length === 0) segs.push({text: p.kube.connecting ? 'mesh …' : 'no mesh detected', dim: true});
  p.meshes.forEach((m, i) => {
    if (i > 0) segs.push({text: ', '});
    segs.push({text: m.name, tone: 'accent'}, ...(m.version && c.versions ? [{text: ` ${m.version}`} as Seg] : []));
  });
  segs.push({text: c.labels ? '  metrics ' : '  ', dim: true});
  if (p.metrics.connecting) segs.push({text: p.metrics.reason ? 'unavailable' : 'connecting…', tone: p.metrics.reason ? 'error' : undefined});
  else {
    segs.push({text: p.metricsSource ?? '?'});
    // Frozen at --at: the time that follows says how old the data is ("frozen" only where there is room).
    const ageText = p.at !== undefined ? (c.versions ? ' frozen' : '') : p.metrics.ageMs !== undefined ? (p.metrics.ageMs < 1000 ? ' just now' : ` ${age(p.metrics.ageMs)} ago`) : '';
    if (ageText || p.metrics.stale) segs.push({text: `${ageText}${p.metrics.stale ? ' STALE' : ''}`, tone: p.metrics.stale ? 'error' : 'muted', bold: p.metrics.stale});
  }
  if (p.at !== undefined) {
    const iso = new Date(p.at).toISOString().replace('.000Z', 'Z');
    segs.push({text: '  '}, {text: `at ${c.versions ? iso : `${iso.slice(5, 10)} ${iso.slice(11)}`}`, tone: 'warning', bold: true});
  }
  else if (c.refresh) segs.push({text: '  '}, {text: `refresh ${p.refreshSeconds}s`, dim: true});
  return {segs, right: {text: ` ${clock(p.now)}${c.utc ? ' UTC' : ''}`, dim: true}};
}

/**
 * The header for a width: the context name is shortened (in the middle) before anything else goes;
 * then the refresh interval, the labels, the long badge and the versions — the metrics source, the
 * age of its data, a frozen `--at` time and the clock always stay.
 */
export function headerSegs(p: Props): Seg[] {
  const context = p.context ?? (p.kube.connecting ? 'connecting…' : '-');
  const full = [...context].length;
  for (const c of COMPACTIONS) {
    const probe = layout(p, c, 0);
    const room = p.width - segWidth(probe.segs) - [...probe.right.text].length;
    if (room >= Math.min(full, MIN_CONTEXT) || c === COMPACTIONS[COMPACTIONS.length - 1]) {
      const {segs, right} = layout(p, c, Math.max(1, Math.min(full, room)));
      return [...padSegs(segs, p.width - [...right.text].length), right];
    }
  }
  return padSegs(layout(p, COMPACTIONS[0], full).segs, p.width);
}

export function Header(p: Props): React.ReactElement {
  return <Line segs={headerSegs(p)} />;
}
