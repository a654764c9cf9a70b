/**
 * Exit codes — the one place they are defined: `EXIT_CODE_MEANINGS` is printed by `meshdoctor --help`,
 * and the README's "Exit codes" table is tested against it.
 *
 * Several contexts (`--context a,b`, `--all-contexts`): the highest code of any cluster, a cluster
 * that could not be read counting 3 — the others are still reported, but a run that missed a
 * cluster must never give a green CI, nor one that only says "findings".
 */
import {atLeast} from '../core/severity.js';
import type {ClusterReport, Report, Severity} from '../core/types.js';

export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  unavailable: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_MEANINGS: readonly (readonly [ExitCodeValue, string])[] = [
  [ExitCode.ok, 'ran; no finding at or above --fail-on (default error); also when the reader of the output goes away (| head)'],
  [ExitCode.findings, 'ran; findings at or above --fail-on, or a check crashed (a crash may hide any finding)'],
  [ExitCode.usage, 'usage or input error: bad flag, unreadable or malformed file, no Kubernetes object in the -f inputs, unknown context, bad config'],
  [ExitCode.unavailable, 'could not run: cluster unreachable or unauthorised (with several contexts: any one of them, the others still reported), or (stat) Prometheus unreachable, too slow or answering garbage, or (demo --prometheus) the prometheus/promtool binaries missing or failing; with --strict, any check skipped or crashed'],
];

/** The table `meshdoctor --help` ends with. */
export function exitCodesHelp(): string {
  const rows: [string, string][] = [...EXIT_CODE_MEANINGS.map(([code, meaning]): [string, string] => [String(code), meaning]), ['128+n', 'the terminal UI or demo ended by signal n (130: Ctrl-C, 143: SIGTERM)']];
  return `\nExit codes:\n${rows.map(([code, meaning]) => `  ${code.padEnd(6)} ${meaning}`).join('\n')}\n`;
}

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

/** The exit code of a `check` over several contexts (see the table above). */
export function exitCodeForClusters(clusters: readonly ClusterReport[], failOn: Severity, strict: boolean): ExitCodeValue {
  let code: ExitCodeValue = ExitCode.ok;
  for (const c of clusters) {
    const own = c.report ? exitCodeForReport(c.report, failOn, strict) : ExitCode.unavailable;
    if (own > code) code = own;
  }
  return code;
}
