/**
 * A workload's golden-metric history, oldest first and capped: an immutable value over an
 * append-only buffer. Every refresh appends one point to each workload; copying 2,000 arrays of up
 * to 150 points every 2 s was most of the TUI's garbage and cost each re-render its collection.
 *
 * Appending pushes onto the shared buffer only when no other value has appended past this one's
 * end, so every value keeps seeing exactly its own points (the reducer stays pure); the buffer is
 * copied down to the cap when it reaches twice the cap.
 */
import type {HistoryPoint} from './types.js';

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
