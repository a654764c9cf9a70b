import {describe, expect, test} from 'vitest';
import {histogramQuantile, parseLe} from '../../../src/sources/metrics/histogram.js';

const b = (pairs: [number, number][]) => pairs.map(([le, count]) => ({le, count}));

describe('histogramQuantile (Prometheus bucketQuantile)', () => {
  test('interpolates linearly inside the bucket holding the rank, from 0 for the first bucket', () => {
    const buckets = b([[5, 1140], [10, 2052], [25, 2280], [Infinity, 2280]]);
    expect(histogramQuantile(0.5, buckets)).toBe(5);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(17.5, 10);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(2.5, 10);
  });

  test('a rank in the +Inf bucket returns the highest finite bound', () => {
    expect(histogramQuantile(0.99, b([[100, 10], [Infinity, 100]]))).toBe(100);
  });

  test('no observations, no +Inf bucket, or q out of range', () => {
    expect(histogramQuantile(0.5, b([[1, 0], [Infinity, 0]]))).toBeNaN();
    expect(histogramQuantile(0.5, b([[1, 3], [2, 5]]))).toBeNaN();
    expect(histogramQuantile(-1, b([[1, 3], [Infinity, 5]]))).toBe(-Infinity);
    expect(histogramQuantile(2, b([[1, 3], [Infinity, 5]]))).toBe(Infinity);
  });

  test('unsorted input, duplicate bounds (several series) and non-monotonic counts are repaired', () => {
    const merged = histogramQuantile(0.5, b([[Infinity, 50], [10, 20], [10, 30], [20, 40], [Infinity, 50]]));
    // coalesced: le 10 → 50, 20 → 40 (raised to 50), +Inf → 100: rank 50 falls in le=10
    expect(merged).toBe(10);
  });

  test('le labels', () => {
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('0.005')).toBe(0.005);
    expect(parseLe('')).toBeNaN();
  });
});
