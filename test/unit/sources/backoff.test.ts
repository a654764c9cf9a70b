import {describe, expect, test} from 'vitest';
import {Backoff, MAX_RETRY_AFTER_MS, TokenBucket} from '../../../src/sources/kube/backoff.js';

describe('Backoff (client-go reflector defaults)', () => {
  test('0.8 s doubling to 30 s; jitter stretches each wait by [1, 2)', () => {
    let now = 0;
    const low = new Backoff(() => now, () => 0);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => low.next())).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    const high = new Backoff(() => now, () => 0.999);
    expect(high.next()).toBe(1599);
    expect(high.next()).toBe(3198);
  });

  test('resets after 2 minutes without a failure', () => {
    let now = 0;
    const b = new Backoff(() => now, () => 0);
    b.next();
    now += 1000;
    expect(b.next()).toBe(1600);
    now += 119_000;
    expect(b.next()).toBe(3200);
    now += 120_000;
    expect(b.next()).toBe(800);
  });

  test('Retry-After wins when longer, up to 5 minutes', () => {
    const b = new Backoff(() => 0, () => 0);
    expect(b.next(10_000)).toBe(10_000);
    expect(b.next(100)).toBe(1600);
    expect(b.next(3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('TokenBucket (5 per second, bursts of 10)', () => {
  test('a burst of 10 passes at once; the rest are spaced 200 ms apart', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(5, 10, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 15; i++) await bucket.take();
    expect(waits).toEqual([200, 200, 200, 200, 200]);
    expect(now).toBe(1000);
    now += 60_000;
    waits.length = 0;
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(waits).toEqual([]);
  });
});
