/** Fold check results into a Report (the input of every presenter and of the exit code). */
import type {CheckResult, KindEvaluation, MeshInfo, Report, ReportSummary, RunMode, Severity, SourceStatus} from './types.js';

export type ReportHeader = Readonly<{
  meshdoctorVersion: string;
  context: string | null;
  takenAt: string;
  mode: RunMode;
  meshes: readonly MeshInfo[];
  sources: readonly SourceStatus[];
  /** How the objects of each kind were evaluated (live, files with status, files as written, templates). */
  evaluated?: readonly KindEvaluation[];
}>;

export function summarize(results: readonly CheckResult[]): ReportSummary {
  const findings: Record<Severity, number> = {error: 0, warning: 0, info: 0};
  let passed = 0, failed = 0, skipped = 0, notApplicable = 0, crashed = 0, suppressed = 0;
  for (const r of results) {
    if (r.outcome === 'pass') passed++;
    else if (r.outcome === 'fail') failed++;
    else if (r.outcome === 'skip') skipped++;
    else if (r.outcome === 'not-applicable') notApplicable++;
    else crashed++;
    for (const f of r.findings) findings[f.severity]++;
    suppressed += r.suppressed.length;
  }
  return {checks: results.length, passed, failed, skipped, notApplicable, crashed, findings, suppressed};
}

export function buildReport(header: ReportHeader, results: readonly CheckResult[]): Report {
  const ordered = [...results].sort((a, b) => a.check.id.localeCompare(b.check.id));
  return {schemaVersion: 1, ...header, results: ordered, summary: summarize(ordered)};
}
