/**
 * The TUI's watches: one stream per kind (per namespace with `-n`) keeping the object cache
 * current — and never hammering the API server, whatever it answers. During an incident a
 * diagnostic tool must not become load on a struggling control plane, so, as client-go's
 * reflector does (k8s.io/client-go/tools/cache/reflector.go):
 *
 * - a watch that ends normally resumes from the last resourceVersion seen, without a re-list;
 * - a watch that fails (an ERROR event, a line that is not JSON, a 5xx, a dropped connection) is
 *   retried after an exponential back-off with jitter (`Backoff`: 0.8 s doubling to 30 s, ×[1, 2)),
 *   re-listing first when the stream's state is unknown; 410 Gone (the version expired) re-lists;
 * - 429 (API Priority and Fairness) waits at least the server's `Retry-After`;
 * - watch forbidden (403) while list is allowed falls back to a periodic re-list (`pollMs`);
 * - every background request takes a token from one bucket (5 per second, bursts of 10: client-go's
 *   default client-side limit), so even many failing streams together stay bounded.
 *
 * Streams that are not healthy are summed up in one line for the status bar (`onState`).
 */
import type {KubeObject} from '../core/kube-types/index.js';
import {resourceType} from '../core/resources.js';
import type {ResourceKey} from '../core/resources.js';
import {Backoff, TokenBucket} from '../sources/kube/backoff.js';
import type {WatchEvent, WatchHandle} from '../sources/kube/kube-source.js';
import {KubeApiError, KubeConnectionError} from '../sources/kube/kube-source.js';
import type {LiveKubeSource} from '../sources/kube/live.js';

/** A stream open this long is healthy again (its problem, if any, is cleared from the status line). */
const HEALTHY_MS = 10_000;
/** Re-list period of a kind whose watch is forbidden; each kind jitters it by up to half. */
export const WATCH_FORBIDDEN_POLL_MS = 30_000;

export type StreamSpec = Readonly<{key: ResourceKey; version: string; namespace?: string}>;

type Problem = Readonly<{kind: 'forbidden' | 'throttled' | 'failing'; reason: string}>;

type Stream = StreamSpec & {
  id: string;
  backoff: Backoff;
  handle?: WatchHandle;
  resourceVersion?: string;
  mode: 'watch' | 'poll';
  problem?: Problem;
  stopped: boolean;
};

export type WatchSetOptions = Readonly<{
  source: LiveKubeSource;
  /** An event to apply to the cache. */
  onEvent(key: ResourceKey, event: WatchEvent): void;
  /** A fresh list of a kind (in a namespace, with `-n`) that replaces what the cache holds of it. */
  onList(key: ResourceKey, namespace: string | undefined, items: readonly KubeObject[]): void;
  /** The one-line summary of unhealthy streams; undefined when all are healthy. */
  onState(detail: string | undefined): void;
  /** The engine's timer (cancelled when it stops). */
  later(ms: number, fn: () => void): void;
  now?: () => number;
  random?: () => number;
  pollMs?: number;
  bucket?: TokenBucket;
}>;

function short(error: unknown): string {
  if (error instanceof KubeApiError) return error.status === 429 ? '429 Too Many Requests' : error.status === 403 ? 'forbidden' : `HTTP ${error.status}`;
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^cannot [^:]+: /, '').replace(/\s+/g, ' ').slice(0, 80);
}

export class WatchSet {
  private readonly streams = new Map<string, Stream>();
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private readonly random: () => number;
  private lastState: string | undefined;
  private stopped = false;

  constructor(private readonly options: WatchSetOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.bucket = options.bucket ?? new TokenBucket(5, 10, this.now);
  }

  /** Starts a stream for each spec that has none (running streams continue). */
  ensure(specs: readonly StreamSpec[]): void {
    for (const spec of specs) {
      const id = `${spec.key}|${spec.namespace ?? ''}`;
      if (this.streams.has(id)) continue;
      const stream: Stream = {...spec, id, backoff: new Backoff(this.now, this.random), mode: 'watch', stopped: false};
      this.streams.set(id, stream);
      void this.watch(stream);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.streams.values()) {
      s.stopped = true;
      s.handle?.stop();
    }
    this.streams.clear();
  }

  /** Streams open now (tests, bench). */
  get open(): number {
    return [...this.streams.values()].filter((s) => s.handle).length;
  }

  private alive(s: Stream): boolean {
    return !this.stopped && !s.stopped;
  }

  private async watch(s: Stream): Promise<void> {
    await this.bucket.take();
    if (!this.alive(s)) return;
    const type = resourceType(s.key);
    const opened = this.now();
    let handle: WatchHandle | undefined;
    // client-go spreads watch lifetimes over [5, 10) minutes, so streams do not all end together.
    const timeoutSeconds = 300 + Math.floor(this.random() * 300);
    handle = this.options.source.watch(type, s.version, {namespace: s.namespace, timeoutSeconds, ...(s.resourceVersion ? {resourceVersion: s.resourceVersion} : {})}, (event) => {
      if (event.object.metadata.resourceVersion) s.resourceVersion = event.object.metadata.resourceVersion;
      this.options.onEvent(s.key, event);
    }, (error) => {
      if (s.handle === handle) s.handle = undefined;
      this.ended(s, error, this.now() - opened);
    });
    s.handle = handle;
    this.options.later(HEALTHY_MS, () => {
      if (s.handle === handle && s.mode === 'watch') this.setProblem(s, undefined);
    });
  }

  private ended(s: Stream, error: Error, livedMs: number): void {
    if (!this.alive(s)) return;
    const status = error instanceof KubeApiError ? error.status : undefined;
    if (status === 401 || status === 403) {
      // Watch is not allowed, list may be: keep the kind current by re-listing now and then.
      s.mode = 'poll';
      this.setProblem(s, {kind: 'forbidden', reason: 'watch forbidden'});
      return this.options.later(this.pollDelay(), () => void this.relist(s));
    }
    const retryAfterMs = error instanceof KubeApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
    const normalEnd = error instanceof KubeConnectionError && /ended the stream/.test(error.message) && livedMs >= HEALTHY_MS;
    const delay = s.backoff.next(retryAfterMs);
    if (status === 410) s.resourceVersion = undefined;
    if (status === 429) this.setProblem(s, {kind: 'throttled', reason: `429 Too Many Requests, retry in ${Math.round(delay / 1000)}s`});
    // One expiry is routine (re-list and go on); expiring again and again is not.
    else if (status === 410 ? s.backoff.failures > 1 : !normalEnd) this.setProblem(s, {kind: 'failing', reason: status === 410 ? '410 Gone again and again' : short(error)});
    // Resume where the stream was when the server only asked to wait or closed it; re-list when its state is unknown.
    const resume = s.resourceVersion !== undefined && (normalEnd || status === 429 || (status !== undefined && status >= 500));
    this.options.later(delay, () => void (resume ? this.watch(s) : this.relist(s)));
  }

  private async relist(s: Stream): Promise<void> {
    await this.bucket.take();
    if (!this.alive(s)) return;
    try {
      let version: string | undefined;
      const items = await this.options.source.list(resourceType(s.key), s.version, {namespace: s.namespace, onResourceVersion: (rv) => (version = rv)});
      if (!this.alive(s)) return;
      s.resourceVersion = version;
      this.options.onList(s.key, s.namespace, items);
    } catch (error) {
      if (!this.alive(s)) return;
      const status = error instanceof KubeApiError ? error.status : undefined;
      if (status === 401 || status === 403) {
        // Not even list: nothing more to read of this kind until the next full collection.
        this.setProblem(s, {kind: 'forbidden', reason: 'list forbidden'});
        s.stopped = true;
        return;
      }
      const retryAfterMs = error instanceof KubeApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
      const delay = s.backoff.next(retryAfterMs);
      this.setProblem(s, {kind: status === 429 ? 'throttled' : 'failing', reason: `${short(error)}, retry in ${Math.round(delay / 1000)}s`});
      return this.options.later(delay, () => void this.relist(s));
    }
    if (s.mode === 'poll') return this.options.later(this.pollDelay(), () => void this.relist(s));
    void this.watch(s);
  }

  private pollDelay(): number {
    const poll = this.options.pollMs ?? WATCH_FORBIDDEN_POLL_MS;
    return Math.round(poll * (1 + 0.5 * this.random()));
  }

  private setProblem(s: Stream, problem: Problem | undefined): void {
    if (problem === undefined && s.problem === undefined) return;
    s.problem = problem;
    const state = this.summary();
    if (state !== this.lastState) {
      this.lastState = state;
      this.options.onState(state);
    }
  }

  /** e.g. `watches degraded: 12 kinds re-listed every 30s (watch forbidden) · 2 throttled (429 Too Many Requests, retry in 10s)`. */
  private summary(): string | undefined {
    const by = {forbidden: [] as Stream[], throttled: [] as Stream[], failing: [] as Stream[]};
    for (const s of this.streams.values()) if (s.problem) by[s.problem.kind].push(s);
    const kinds = (n: number) => `${n} kind${n === 1 ? '' : 's'}`;
    const parts: string[] = [];
    const poll = Math.round((this.options.pollMs ?? WATCH_FORBIDDEN_POLL_MS) / 1000);
    const polled = by.forbidden.filter((s) => s.mode === 'poll' && !s.stopped).length;
    if (polled) parts.push(`${kinds(polled)} re-listed every ${poll}s (watch forbidden)`);
    if (by.forbidden.length > polled) parts.push(`${kinds(by.forbidden.length - polled)} not readable (list forbidden)`);
    if (by.throttled.length) parts.push(`${kinds(by.throttled.length)} throttled (${by.throttled[0].problem!.reason})`);
    if (by.failing.length) parts.push(`${kinds(by.failing.length)} backing off (${resourceType(by.failing[0].key).plural}: ${by.failing[0].problem!.reason})`);
    return parts.length ? `watches degraded: ${parts.join(' · ')}` : undefined;
  }
}
