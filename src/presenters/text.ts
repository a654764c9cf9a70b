/**
 * Human report in the style of `linkerd check`: a header, one underlined section per block, one
 * line per check with its mark, findings indented under failing checks with the runbook to read,
 * and a one-line summary. Everything a cluster provided goes through sanitizeLine.
 */
import * as util from 'node:util';
import {sanitizeLine} from '../core/sanitize.js';
import type {CheckResult, ClusterReport, Finding, KindEvaluation, MeshInfo, ObjectMode, Report, Severity, SourceStatus, SuppressedFinding} from '../core/types.js';
import {groupByBlock, plural, subjectLabel, worstSeverity} from './shared.js';

export type TextOptions = Readonly<{
  /** ANSI styling. The caller decides it from TTY, NO_COLOR and --no-color. @default false */
  color?: boolean;
  /** Also list not-applicable checks, and the evidence of each finding. @default false */
  verbose?: boolean;
  /** List suppressed findings with the reason they are suppressed. @default false */
  showSuppressed?: boolean;
}>;

export const MARKS = {
  pass: '✔',
  warning: '‼',
  error: '✖',
  info: 'ℹ',
  skip: '○',
  notApplicable: '–',
} as const;

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'underline';
type Paint = (style: Style | readonly Style[], text: string) => string;

// styleText arrived in Node 20.12; on an older 20.x the report is simply plain.
const styleText = util.styleText as typeof util.styleText | undefined;

function painter(color: boolean): Paint {
  if (!color || !styleText) return (_style, text) => text;
  // validateStream: false — the caller has already decided; styleText would otherwise re-check process.stdout.
  return (style, text) => {
    const styles: readonly Style[] = typeof style === 'string' ? [style] : style;
    return styles.reduceRight((t, s) => styleText(s, t, {validateStream: false}), text);
  };
}

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = {error: 'red', warning: 'yellow', info: 'cyan'};
const INDENT = '    ';

type Ctx = Readonly<{paint: Paint; verbose: boolean; showSuppressed: boolean}>;

function meshLine(m: MeshInfo): string {
  const details = [sanitizeLine(m.namespace)];
  if (m.controlPlane !== 'in-cluster') details.push(`${m.controlPlane} control plane`);
  if (m.ambient) details.push('ambient');
  const version = m.version ? ` ${sanitizeLine(m.version)}` : '';
  return `${m.name}${version} (${details.join(', ')})`;
}

function sourceLine(s: SourceStatus, paint: Paint): string {
  const mark = s.state === 'not-configured' ? paint('dim', MARKS.skip) : paint('yellow', MARKS.warning);
  const detail = s.detail ? `: ${sanitizeLine(s.detail)}` : '';
  return `  ${mark} ${s.source} ${s.state}${detail}`;
}

const MODE_LABEL: Readonly<Record<ObjectMode, string>> = {
  live: 'live',
  'files-with-status': 'files with status',
  files: 'files as written',
  templates: 'pod templates',
};

/** What each kind was evaluated from, one line per mode: checks that judge state need "live" or "files with status". */
function evaluatedLines(evaluated: readonly KindEvaluation[]): string[] {
  const lines = ['objects:'];
  for (const mode of Object.keys(MODE_LABEL) as ObjectMode[]) {
    const kinds = evaluated.filter((e) => e.mode === mode).map((e) => `${sanitizeLine(e.kind)} ${e.count}`);
    if (kinds.length) lines.push(`  ${MODE_LABEL[mode]}: ${kinds.join(', ')}`);
  }
  return lines;
}

function header(report: Report, paint: Paint): string[] {
  const context = report.context === null ? 'none' : sanitizeLine(report.context);
  const lines = [
    `${paint('bold', `meshdoctor ${sanitizeLine(report.meshdoctorVersion)}`)} — context ${context}, mode ${report.mode}, ${sanitizeLine(report.takenAt)}`,
    `meshes: ${report.meshes.length ? report.meshes.map(meshLine).join(', ') : 'none detected'}`,
  ];
  if (report.mode !== 'live' && report.evaluated?.length) lines.push(...evaluatedLines(report.evaluated));
  const problems = report.sources.filter((s) => s.state !== 'ok');
  if (problems.length) lines.push('sources:', ...problems.map((s) => sourceLine(s, paint)));
  return lines;
}

function findingLine(f: Finding, paint: Paint, prefix = ''): string {
  const origin = f.origin ? ` (${sanitizeLine(f.origin.file)}:${f.origin.line})` : '';
  const severity = paint(SEVERITY_STYLE[f.severity], f.severity);
  return `${INDENT}${prefix}${severity} ${sanitizeLine(subjectLabel(f.subject))}${origin}: ${sanitizeLine(f.message)}`;
}

function evidenceLines(f: Finding): string[] {
  return Object.entries(f.evidence).map(([k, v]) => `${INDENT}    ${sanitizeLine(k)}: ${sanitizeLine(String(v))}`);
}

function suppressedLine(f: SuppressedFinding, paint: Paint): string {
  return paint('dim', `${findingLine(f, (_s, t) => t, 'suppressed ')} (${sanitizeLine(f.suppressedBy)})`);
}

function mark(r: CheckResult, paint: Paint): string {
  switch (r.outcome) {
    case 'pass':
      return paint('green', MARKS.pass);
    case 'skip':
      return paint('yellow', MARKS.skip);
    case 'not-applicable':
      return paint('dim', MARKS.notApplicable);
    case 'crash':
      return paint('red', MARKS.error);
    case 'fail': {
      const severity = worstSeverity(r.findings) ?? r.check.severity;
      return paint(SEVERITY_STYLE[severity], MARKS[severity]);
    }
  }
}

const OUTCOME_NOTE: Readonly<Partial<Record<CheckResult['outcome'], string>>> = {
  skip: 'skipped',
  'not-applicable': 'not applicable',
  crash: 'crashed',
};

function checkLines(r: CheckResult, ctx: Ctx): string[] {
  const {paint} = ctx;
  const note = OUTCOME_NOTE[r.outcome];
  const reason = note ? ` (${note}${r.reason ? `: ${sanitizeLine(r.reason)}` : ''})` : '';
  const lines = [`${mark(r, paint)} ${sanitizeLine(r.check.title)} ${paint('dim', `[${r.check.id}]`)}${reason}`];
  for (const f of r.findings) {
    lines.push(findingLine(f, paint));
    if (ctx.verbose) lines.push(...evidenceLines(f));
  }
  if (ctx.showSuppressed) lines.push(...r.suppressed.map((f) => suppressedLine(f, paint)));
  if (r.findings.length) lines.push(paint('dim', `${INDENT}see ${sanitizeLine(r.check.runbook)}`));
  return lines;
}

function summaryLine(report: Report): string {
  const s = report.summary;
  const checks = `${plural(s.checks, 'check')}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.notApplicable} not applicable, ${s.crashed} crashed`;
  const findings = `findings: ${plural(s.findings.error, 'error')}, ${plural(s.findings.warning, 'warning')}, ${s.findings.info} info`;
  const suppressed = s.suppressed ? `, ${s.suppressed} suppressed` : '';
  return `${checks}; ${findings}${suppressed}`;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const ctx: Ctx = {paint: painter(options.color ?? false), verbose: options.verbose ?? false, showSuppressed: options.showSuppressed ?? false};
  const lines = header(report, ctx.paint);
  for (const group of groupByBlock(report.results)) {
    const visible = group.results.filter((r) => ctx.verbose || r.outcome !== 'not-applicable');
    if (!visible.length) continue;
    lines.push('', ctx.paint('bold', group.block), '-'.repeat(group.block.length));
    for (const r of visible) lines.push(...checkLines(r, ctx));
  }
  lines.push('', ctx.paint('bold', summaryLine(report)));
  return `${lines.join('\n')}\n`;
}

function findingCounts(report: Report): string {
  const f = report.summary.findings;
  const parts = [f.error && plural(f.error, 'error'), f.warning && plural(f.warning, 'warning'), f.info && `${f.info} info`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

/**
 * Several clusters (`--context a,b`): each cluster's report under a heading with its context, in
 * the order the contexts were given; a cluster that could not be read says why in one line; then a
 * line per cluster and the findings of all of them together.
 */
export function renderTextClusters(clusters: readonly ClusterReport[], options: TextOptions = {}): string {
  const paint = painter(options.color ?? false);
  const heading = (text: string) => paint('bold', `═══ ${text} ═══`);
  const blocks = clusters.map((c) => {
    const title = heading(`cluster ${sanitizeLine(c.cluster)}`);
    if (!c.report) return `${title}\n${paint('red', MARKS.error)} could not be read: ${sanitizeLine(c.error)}\n`;
    return `${title}\n${renderText(c.report, options)}`;
  });
  const read = clusters.filter((c): c is ClusterReport & {report: Report} => c.report !== undefined);
  const unread = clusters.length - read.length;
  const totals: Record<Severity, number> = {error: 0, warning: 0, info: 0};
  for (const c of read) for (const k of ['error', 'warning', 'info'] as const) totals[k] += c.report.summary.findings[k];
  const lines = [
    heading(`${plural(clusters.length, 'cluster')}${unread ? `, ${unread} could not be read` : ''}`),
    ...clusters.map((c) => `  ${sanitizeLine(c.cluster)}: ${c.report ? findingCounts(c.report) : paint('red', 'could not be read')}`),
    paint('bold', `findings: ${plural(totals.error, 'error')}, ${plural(totals.warning, 'warning')}, ${totals.info} info`),
  ];
  return `${blocks.join('\n')}\n${lines.join('\n')}\n`;
}
