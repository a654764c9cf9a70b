/**
 * The header line: context, mesh(es) and version, metrics source and data age (red when stale),
 * the refresh interval or the frozen `--at` time, and the clock.
 */
import React from 'react';
import type {MeshInfo} from '../../core/types.js';
import {age, clock} from '../format.js';
import type {Freshness} from '../state/status.js';
import type {Seg} from './Line.js';
import {Line, padSegs} from './Line.js';

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

export function headerSegs(p: Props): Seg[] {
  const segs: Seg[] = [{text: ' meshdoctor ', bold: true, inverse: true}, {text: ' '}];
  segs.push({text: 'ctx ', dim: true}, {text: p.context ?? (p.kube.connecting ? 'connecting…' : '-'), bold: true});
  if (p.kube.stale) segs.push({text: ` (cluster stale ${p.kube.ageMs !== undefined ? age(p.kube.ageMs) : ''})`, tone: 'error'});
  segs.push({text: '  '});
  if (p.meshes.length === 0) segs.push({text: p.kube.connecting ? 'mesh …' : 'no mesh detected', dim: true});
  p.meshes.forEach((m, i) => {
    if (i > 0) segs.push({text: ', '});
    segs.push({text: m.name, tone: 'accent'}, ...(m.version ? [{text: ` ${m.version}`} as Seg] : []));
  });
  segs.push({text: '  metrics ', dim: true});
  if (p.metrics.connecting) segs.push({text: p.metrics.reason ? 'unavailable' : 'connecting…', tone: p.metrics.reason ? 'error' : undefined});
  else {
    segs.push({text: p.metricsSource ?? '?'});
    const ageText = p.at !== undefined ? 'frozen' : p.metrics.ageMs !== undefined ? (p.metrics.ageMs < 1000 ? 'just now' : `${age(p.metrics.ageMs)} ago`) : '';
    segs.push({text: ` ${ageText}${p.metrics.stale ? ' STALE' : ''}`, tone: p.metrics.stale ? 'error' : 'muted', bold: p.metrics.stale});
  }
  segs.push({text: '  '});
  if (p.at !== undefined) segs.push({text: `at ${new Date(p.at).toISOString().replace('.000Z', 'Z')}`, tone: 'warning', bold: true});
  else segs.push({text: `refresh ${p.refreshSeconds}s`, dim: true});
  const right: Seg = {text: ` ${clock(p.now)} UTC`, dim: true};
  const used = segs.reduce((n, s) => n + [...s.text].length, 0);
  if (used + right.text.length <= p.width) return [...padSegs(segs, p.width - right.text.length), right];
  return padSegs(segs, p.width);
}

export function Header(p: Props): React.ReactElement {
  return <Line segs={headerSegs(p)} />;
}
