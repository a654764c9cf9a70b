/**
 * GitHub Actions output: workflow-command annotations (`::error …::message`) on stdout, and a
 * Markdown step summary the CLI appends to $GITHUB_STEP_SUMMARY. GitHub shows at most 10 error and
 * 10 warning annotations per step, so the rest are counted on one plain line and listed in full in
 * the summary. `::error` alone does not fail a job: the exit code does.
 */
import {sanitizeLine, sanitizeText} from '../core/sanitize.js';
import type {CheckResult, ClusterReport, Finding, Report, Severity} from '../core/types.js';
import {subjectLabel} from './shared.js';

export type GithubOptions = Readonly<{
  /** Annotations per level (error, warning, notice) before the rest are only counted. @default 10 */
  maxAnnotationsPerLevel?: number;
}>;

export const GITHUB_ANNOTATION_LIMIT = 10;

type Level = 'error' | 'warning' | 'notice';
const LEVEL: Readonly<Record<Severity, Level>> = {error: 'error', warning: 'warning', info: 'notice'};
const LEVELS: readonly Level[] = ['error', 'warning', 'notice'];

/** Workflow-command message escaping (actions/toolkit `escapeData`). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property escaping (actions/toolkit `escapeProperty`). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

type Annotation = Readonly<{level: Level; title: string; message: string; file?: string; line?: number}>;

export function workflowCommand(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

function findingAnnotation(r: CheckResult, f: Finding): Annotation {
  const message = sanitizeText(`${subjectLabel(f.subject)}: ${f.message}\nsee ${r.check.runbook}`);
  const base = {level: LEVEL[f.severity], title: `${r.check.id} ${r.check.slug}`, message};
  return f.origin ? {...base, file: sanitizeLine(f.origin.file), line: Math.max(1, Math.trunc(f.origin.line))} : base;
}

/** A crash hides problems (error); a skip is a blind spot worth a notice. */
function runAnnotation(r: CheckResult): Annotation | undefined {
  if (r.outcome !== 'crash' && r.outcome !== 'skip') return undefined;
  const what = r.outcome === 'crash' ? 'crashed' : 'skipped';
  return {level: r.outcome === 'crash' ? 'error' : 'notice', title: `${r.check.id} ${r.check.slug} ${what}`, message: sanitizeText(r.reason ?? what)};
}

function annotations(report: Report): Annotation[] {
  return report.results.flatMap((r) => {
    const run = runAnnotation(r);
    const found = r.findings.map((f) => findingAnnotation(r, f));
    return run ? [...found, run] : found;
  });
}

function renderAnnotations(list: readonly Annotation[], options: GithubOptions): string {
  const max = options.maxAnnotationsPerLevel ?? GITHUB_ANNOTATION_LIMIT;
  const shown: Record<Level, number> = {error: 0, warning: 0, notice: 0};
  const omitted: Record<Level, number> = {error: 0, warning: 0, notice: 0};
  const lines: string[] = [];
  for (const a of list) {
    if (shown[a.level] < max) {
      shown[a.level]++;
      lines.push(workflowCommand(a));
    } else {
      omitted[a.level]++;
    }
  }
  const rest = LEVELS.reduce((n, l) => n + omitted[l], 0);
  if (rest > 0) {
    const parts = LEVELS.filter((l) => omitted[l]).map((l) => `${omitted[l]} ${l}`).join(', ');
    lines.push(`meshdoctor: ${rest} more not annotated (${parts}); GitHub shows ${max} per level and step — see the step summary or the full report`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function renderGithub(report: Report, options: GithubOptions = {}): string {
  return renderAnnotations(annotations(report), options);
}

/** Several clusters: every annotation's title starts with `[context]`; a cluster that could not be read is an error annotation. */
export function renderGithubClusters(clusters: readonly ClusterReport[], options: GithubOptions = {}): string {
  return renderAnnotations(clusters.flatMap((c) => {
    const prefix = `[${sanitizeLine(c.cluster)}] `;
    if (!c.report) return [{level: 'error' as const, title: `${prefix}cluster could not be read`, message: sanitizeText(c.error)}];
    return annotations(c.report).map((a) => ({...a, title: `${prefix}${a.title}`}));
  }), options);
}

/** A table cell: one line, no pipes breaking the row, no Markdown or HTML taking effect. */
export function markdownCell(value: string): string {
  return sanitizeLine(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], align: 'left' | 'right' = 'left'): string[] {
  const rule = align === 'right' ? '---:' : '---';
  return [row(head), row(head.map(() => rule)), ...rows.map(row)];
}

// The step summary is capped at 1 MiB by GitHub; a few hundred rows stay far below it.
const MAX_SUMMARY_ROWS = 300;

/** Markdown for $GITHUB_STEP_SUMMARY: counts, every finding, and the checks that could not run. */
export function githubStepSummary(report: Report, title = 'meshdoctor check'): string {
  const s = report.summary;
  const meshes = report.meshes.map((m) => `${m.name}${m.version ? ` ${m.version}` : ''} (${m.namespace})`).join(', ') || 'none detected';
  const out = [
    `## ${title}`,
    '',
    `context ${markdownCell(report.context ?? 'none')} · mode ${report.mode} · meshes: ${markdownCell(meshes)}`,
    '',
    ...table(['checks', 'passed', 'failed', 'skipped', 'not applicable', 'crashed'], [[s.checks, s.passed, s.failed, s.skipped, s.notApplicable, s.crashed]], 'right'),
    '',
    ...table(['errors', 'warnings', 'info', 'suppressed'], [[s.findings.error, s.findings.warning, s.findings.info, s.suppressed]], 'right'),
  ];
  const findings = report.results.flatMap((r) => r.findings.map((f) => [
    f.severity,
    `${r.check.id} ${markdownCell(r.check.slug)}`,
    markdownCell(subjectLabel(f.subject) + (f.origin ? ` (${f.origin.file}:${f.origin.line})` : '')),
    markdownCell(f.message),
    markdownCell(r.check.runbook),
  ]));
  if (findings.length) {
    out.push('', '### Findings', '', ...table(['severity', 'check', 'object', 'message', 'runbook'], findings.slice(0, MAX_SUMMARY_ROWS)));
    if (findings.length > MAX_SUMMARY_ROWS) out.push('', `… and ${findings.length - MAX_SUMMARY_ROWS} more findings (see the full report).`);
  }
  const notRun = report.results
    .filter((r) => r.outcome === 'skip' || r.outcome === 'crash')
    .map((r) => [`${r.check.id} ${markdownCell(r.check.slug)}`, r.outcome, markdownCell(r.reason ?? '')]);
  if (notRun.length) out.push('', '### Checks that did not run', '', ...table(['check', 'status', 'reason'], notRun));
  return `${out.join('\n')}\n`;
}

/** Several clusters: one section per context, in the order given. */
export function githubStepSummaryClusters(clusters: readonly ClusterReport[]): string {
  return clusters.map((c) => {
    const title = `meshdoctor check — cluster ${markdownCell(c.cluster)}`;
    return c.report ? githubStepSummary(c.report, title) : `## ${title}\n\ncould not be read: ${markdownCell(c.error)}\n`;
  }).join('\n');
}
