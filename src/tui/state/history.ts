/**
 * A workload's golden-metric history, oldest first and capped: an immutable value over an
 * append-only buffer. Every refresh appends one point to each workload; copying 2,000 arrays of up
 * to 150 points every 2 s was most of the TUI's garbage and cost each re-render its collection.
 *
 * Appending pushes onto the shared buffer only when no other value has appended past this one's
 * end, so every value keeps seeing exactly its own points (the reducer stays pure); the buffer is
 * copied down to the cap when it reaches twice the cap.
 */
import type {GoldenMetrics} from '../../core/golden.js';
import {worstSuccess} from '../../core/golden.js';
import type {ResolvedOptions} from '../../core/options.js';
import {thresholdsFor} from '../../core/options.js';
import type {HistoryPoint} from './types.js';

/**
 * A workload's point of history at `t`: exactly the figures its Services row shows at that
 * instant (the worse of server and client side success, RPS, p99). Below the traffic guard a
 * success rate or a p99 is noise: a gap, not a point — as the row says "low traffic".
 */
export function historyPoint(g: GoldenMetrics, t: number, windowSeconds: number, options: ResolvedOptions): HistoryPoint {
  const guard = thresholdsFor(options, g.namespace, g.workload).metrics;
  const judged = g.rps !== null && g.rps * windowSeconds >= guard.minRequests && g.rps >= guard.minRps;
  return {t, rps: g.rps, successRate: judged ? worstSuccess(g) : null, p99: judged ? g.latencyMs.p99 : null};
}

export class PointSeries {
  static readonly EMPTY = new PointSeries([], 0, 0);

  /** A series holding (a copy of) the last `cap` of these points. */
  static of(points: readonly HistoryPoint[], cap = Infinity): PointSeries {
    const own = points.slice(Math.max(0, points.length - cap));
    return own.length === 0 ? PointSeries.EMPTY : new PointSeries(own, 0, own.length);
  }

  private constructor(
    private readonly buffer: HistoryPoint[],
    private readonly start: number,
    private readonly end: number,
  ) {}

  get length(): number {
    return this.end - this.start;
  }

  /** The newest point. */
  last(): HistoryPoint | undefined {
    return this.end > this.start ? this.buffer[this.end - 1] : undefined;
  }

  /** The newest `n` points (all by default), oldest first, as a new array. */
  points(n = this.length): HistoryPoint[] {
    return this.buffer.slice(Math.max(this.start, this.end - n), this.end);
  }

  /** Calls `visit` with each of the newest `n` points, oldest first (no array made). */
  forEachLast(n: number, visit: (point: HistoryPoint) => void): void {
    for (let i = Math.max(this.start, this.end - n); i < this.end; i++) visit(this.buffer[i]);
  }

  /** This series without its newest point. */
  withoutLast(): PointSeries {
    return this.length <= 1 ? PointSeries.EMPTY : new PointSeries(this.buffer, this.start, this.end - 1);
  }

  /** This series with `point` appended, keeping the newest `cap` points. */
  append(point: HistoryPoint, cap: number): PointSeries {
    const from = Math.max(this.start, this.end + 1 - cap);
    if (this.length > 0 && this.end === this.buffer.length && this.buffer.length < 2 * cap) {
      this.buffer.push(point);
      return new PointSeries(this.buffer, from, this.end + 1);
    }
    const own = this.buffer.slice(from, this.end);
    own.push(point);
    return new PointSeries(own, 0, own.length);
  }
}

/**
 * A refresh's point added to a series: appended (the proxy source: these points are its only
 * history), or — `live` — replacing the previous refresh's live point (Prometheus: history comes
 * from range queries, the newest refresh only extends it to now).
 */
export function addPoint(series: PointSeries, point: HistoryPoint, cap: number): PointSeries {
  let base = series;
  if (point.live && base.last()?.live) base = base.withoutLast();
  // A history load may already hold this instant.
  const newest = base.last();
  if (newest && newest.t >= point.t) base = PointSeries.of(base.points().filter((p) => p.t < point.t));
  return base.append(point, cap);
}

/**
 * Points loaded for [from, to] merged into a series: earlier loaded points stay, refresh points
 * inside or before the span give way to the loaded ones, and a live point newer than the span stays.
 */
export function mergeLoaded(series: PointSeries, loaded: readonly HistoryPoint[], from: number, to: number, cap: number): PointSeries {
  const before: HistoryPoint[] = [];
  const after: HistoryPoint[] = [];
  for (const p of series.points()) {
    if (p.t < from && !p.live) before.push(p);
    else if (p.t > to) after.push(p);
  }
  return PointSeries.of([...before, ...loaded, ...after], cap);
}
