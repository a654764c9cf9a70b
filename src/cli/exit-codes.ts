/**
 * Exit codes — the one place they are defined (README "Exit codes" mirrors this table).
 *
 * | 0 | ran; no finding at or above --fail-on; also when the output's reader went away (| head) |
 * | 1 | ran; findings at or above --fail-on, or a check crashed |
 * | 2 | usage or input error: bad flag, unreadable or malformed file, no Kubernetes object in -f inputs, unknown context, bad config |
 * | 3 | could not run: cluster or Prometheus unreachable or unauthorised; with --strict, a check skipped or crashed |
 */
import {atLeast} from '../core/severity.js';
import type {Report, Severity} from '../core/types.js';

export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  unavailable: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A user-facing failure: one line on stderr, then this exit code. Never a stack trace. */
export class ExitError extends Error {
  constructor(readonly code: ExitCodeValue, message: string) {
    super(message);
    this.name = 'ExitError';
  }
}

export function hasFindingsAtOrAbove(report: Report, failOn: Severity): boolean {
  return report.results.some((r) => r.findings.some((f) => atLeast(f.severity, failOn)));
}

/**
 * The exit code of a `check` run. `not-applicable` never counts; with --strict a skip or crash means
 * the run was incomplete. A crashed check counts as an error whatever --fail-on says: it may hide
 * any finding, so it must never give a green CI.
 */
export function exitCodeForReport(report: Report, failOn: Severity, strict: boolean): ExitCodeValue {
  const crashed = report.results.some((r) => r.outcome === 'crash');
  if (strict && (crashed || report.results.some((r) => r.outcome === 'skip'))) return ExitCode.unavailable;
  return crashed || hasFindingsAtOrAbove(report, failOn) ? ExitCode.findings : ExitCode.ok;
}
