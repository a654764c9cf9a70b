/**
 * Freshness of each source, for the header and the stale marks: a source is stale when its last
 * attempt failed after it had answered, or when its data is older than three refresh intervals
 * (ten seconds at least). Pure.
 */
import type {SourceHealth, SourceKey, TuiState} from './types.js';

export type Freshness = Readonly<{
  /** Milliseconds since it last answered; undefined when it never did. */
  ageMs?: number;
  stale: boolean;
  connecting: boolean;
  off: boolean;
  reason?: string;
  detail?: string;
  retryInMs?: number;
  /** Answering, but not fully (watches forbidden, throttled…). */
  degraded?: string;
}>;

export function staleAfterMs(state: Pick<TuiState, 'config'>): number {
  return Math.max(10_000, 3 * state.config.refreshSeconds * 1000);
}

export function freshness(state: TuiState, key: SourceKey): Freshness {
  const h: SourceHealth = state.sources[key];
  const ageMs = h.lastOk !== undefined ? Math.max(0, state.now - h.lastOk) : undefined;
  // Frozen at --at: the metrics do not age.
  const frozen = key === 'metrics' && state.config.at !== undefined && h.state === 'ok';
  const tooOld = !frozen && key === 'metrics' && ageMs !== undefined && ageMs > staleAfterMs(state);
  return {
    ...(ageMs !== undefined ? {ageMs} : {}),
    stale: h.state === 'stale' || tooOld,
    connecting: h.state === 'connecting',
    off: h.state === 'off',
    ...(h.reason ? {reason: h.reason} : {}),
    ...(h.detail ? {detail: h.detail} : {}),
    ...(h.retryAt !== undefined ? {retryInMs: Math.max(0, h.retryAt - state.now)} : {}),
    ...(h.degraded ? {degraded: h.degraded} : {}),
  };
}

/** Whether the data on screen is marked stale (metrics or cluster). */
export function dataStale(state: TuiState): boolean {
  return freshness(state, 'metrics').stale || freshness(state, 'kubernetes').stale;
}
