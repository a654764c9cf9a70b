/** Severity ordering: error is worst. */
import type {Severity} from './types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const RANK: Readonly<Record<Severity, number>> = {error: 0, warning: 1, info: 2};

/** Negative when a is worse than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}

export function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'info';
}

export function worst(severities: Iterable<Severity>): Severity | undefined {
  let result: Severity | undefined;
  for (const s of severities) if (result === undefined || RANK[s] < RANK[result]) result = s;
  return result;
}
