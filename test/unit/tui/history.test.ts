import {describe, expect, test} from 'vitest';
import {PointSeries} from '../../../src/tui/state/history.js';
import type {HistoryPoint} from '../../../src/tui/state/types.js';

const p = (t: number): HistoryPoint => ({t, rps: t, successRate: 1});
const times = (s: PointSeries) => s.points().map((x) => x.t);

describe('a workload history series', () => {
  test('appends keep the newest points up to the cap, oldest first', () => {
    let s = PointSeries.EMPTY;
    for (let t = 1; t <= 7; t++) s = s.append(p(t), 3);
    expect(times(s)).toEqual([5, 6, 7]);
    expect(s.length).toBe(3);
    expect(s.last()?.t).toBe(7);
  });

  test('is a value: appending to it, even twice from the same series, never changes what earlier series hold', () => {
    const base = PointSeries.of([p(1), p(2)]);
    const a = base.append(p(3), 10);
    const b = base.append(p(30), 10);
    const a2 = a.append(p(4), 10);
    expect(times(base)).toEqual([1, 2]);
    expect(times(a)).toEqual([1, 2, 3]);
    expect(times(b)).toEqual([1, 2, 30]);
    expect(times(a2)).toEqual([1, 2, 3, 4]);
    expect(PointSeries.EMPTY.length).toBe(0);
    PointSeries.EMPTY.append(p(1), 5);
    expect(PointSeries.EMPTY.points()).toEqual([]);
  });

  test('stays correct across many appends (the shared buffer is compacted as it grows)', () => {
    let s = PointSeries.EMPTY;
    const kept: PointSeries[] = [];
    for (let t = 1; t <= 1000; t++) {
      s = s.append(p(t), 150);
      if (t % 97 === 0) kept.push(s);
    }
    expect(times(s)).toEqual(Array.from({length: 150}, (_, i) => 851 + i));
    for (const k of kept) {
      const newest = k.last()!.t;
      expect(times(k)).toEqual(Array.from({length: Math.min(150, newest)}, (_, i) => newest - Math.min(150, newest) + 1 + i));
    }
  });

  test('of() copies and caps; points(n) and forEachLast(n) give the newest n', () => {
    const source = [p(1), p(2), p(3), p(4)];
    const s = PointSeries.of(source, 3);
    source.push(p(5));
    expect(times(s)).toEqual([2, 3, 4]);
    expect(s.points(2).map((x) => x.t)).toEqual([3, 4]);
    const seen: number[] = [];
    s.forEachLast(10, (x) => seen.push(x.t));
    expect(seen).toEqual([2, 3, 4]);
    expect(PointSeries.of([])).toBe(PointSeries.EMPTY);
  });
});
