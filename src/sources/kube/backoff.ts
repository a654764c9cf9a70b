/**
 * Back-off and rate limits for requests repeated in the background (the TUI's watches and
 * re-lists), with client-go's defaults, so that a struggling API server is not hammered by a
 * diagnostic tool during an incident:
 *
 * - `Backoff`: the reflector's (k8s.io/client-go/tools/cache/reflector.go): 800 ms, doubling up to
 *   30 s, each delay stretched by a random factor in [1, 2) (jitter 1.0) so that many streams do not
 *   retry in step, and reset once nothing failed for 2 minutes. A server's `Retry-After` (429 from
 *   API Priority and Fairness, 503) is honoured: the wait is the longer of the two, as client-go's
 *   rest client does (k8s.io/client-go/rest/with_retry.go).
 * - `TokenBucket`: client-go's default client-side limit (k8s.io/client-go/rest/config.go:
 *   5 requests per second, bursts of 10).
 *
 * Pure apart from the clock and the random source, which tests inject.
 */

export type BackoffPolicy = Readonly<{initialMs: number; maxMs: number; factor: number; jitter: number; resetAfterMs: number}>;

export const REFLECTOR_BACKOFF: BackoffPolicy = {initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1, resetAfterMs: 120_000};

/** The longest `Retry-After` honoured (a server asking for an hour still gets asked again after 5 minutes). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export class Backoff {
  private step = 0;
  private lastFailure = -Infinity;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
    private readonly policy: BackoffPolicy = REFLECTOR_BACKOFF,
  ) {}

  /** Failures in a row (since the last reset). */
  get failures(): number {
    return this.step;
  }

  /** The wait before the next attempt, after a failure; `retryAfterMs` is the server's own request. */
  next(retryAfterMs = 0): number {
    const at = this.now();
    if (at - this.lastFailure >= this.policy.resetAfterMs) this.step = 0;
    this.lastFailure = at;
    const base = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.factor ** this.step);
    this.step++;
    const jittered = base * (1 + this.policy.jitter * this.random());
    return Math.round(Math.max(jittered, Math.min(MAX_RETRY_AFTER_MS, Math.max(0, retryAfterMs))));
  }

  reset(): void {
    this.step = 0;
    this.lastFailure = -Infinity;
  }
}

/** At most `perSecond` on average, `burst` at once; `take()` resolves when a token is free. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond = 5,
    private readonly burst = 10,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Waits for a token (callers are served in order). */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
        this.refill();
        this.tokens = Math.max(this.tokens, 1);
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.perSecond);
    this.last = at;
  }
}
