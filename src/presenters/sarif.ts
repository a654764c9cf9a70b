/**
 * SARIF 2.1.0 for code-scanning views (GitHub, IDEs): one rule per catalog entry in the report, one
 * result per finding. Every result names its Kubernetes object as a logical location; a finding
 * read from a manifest also points at the file and line (GitHub needs a region with a file).
 * Suppressed findings are results too, carrying a `suppressions` entry, so nothing vanishes.
 */
import {createHash} from 'node:crypto';
import {isAbsolute, join, relative} from 'node:path';
import {pathToFileURL} from 'node:url';
import {sanitizeText} from '../core/sanitize.js';
import type {CheckResult, ClusterReport, Finding, Origin, Report, Severity, SuppressedFinding} from '../core/types.js';
import {subjectLabel, subjectPath, toSafeJson} from './shared.js';

export type SarifOptions = Readonly<{
  /** Base URL the runbook paths are appended to, e.g. `https://github.com/o/r/blob/v1.2.3/`. Wins over runbookRoot. */
  runbookBaseUrl?: string;
  /** Absolute directory the report's runbook paths (`runbooks/<block>/<slug>.md`) are relative to: helpUri becomes a file:// URI. */
  runbookRoot?: string;
  /** tool.driver.informationUri (the project's home page); left out when not given. */
  informationUri?: string;
  /** Absolute directory that absolute manifest paths are made relative to (the repository root). */
  sourceRoot?: string;
}>;

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {error: 'error', warning: 'warning', info: 'note'};

/** Where to read a runbook, or undefined when the caller gave no base. */
export function runbookUri(runbook: string, options: SarifOptions): string | undefined {
  if (options.runbookBaseUrl) return options.runbookBaseUrl.replace(/\/+$/, '') + '/' + runbook.replace(/^\/+/, '');
  if (options.runbookRoot) {
    if (!isAbsolute(options.runbookRoot)) throw new Error(`runbookRoot must be absolute: ${options.runbookRoot}`);
    return pathToFileURL(join(options.runbookRoot, runbook)).href;
  }
  return undefined;
}

/** A manifest path as a SARIF artifact URI: relative paths stay relative (what GitHub matches on). */
export function artifactUri(file: string, sourceRoot?: string): string {
  let path = file;
  if (isAbsolute(path)) {
    const rel = sourceRoot ? relative(sourceRoot, path) : undefined;
    if (rel === undefined || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(path).href;
    path = rel;
  }
  // Lone surrogates would make encodeURIComponent throw.
  const wellFormed = path.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return wellFormed.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

/** Stable across runs and message wording: check id + the object (apiVersion left out: it changes on upgrades). */
export function fingerprint(f: Finding): string {
  const s = f.subject;
  const key = [f.checkId, s?.kind ?? '', s?.namespace ?? '', s?.name ?? ''].join('\u0000');
  return createHash('sha256').update(key).digest('hex');
}

function rule(r: CheckResult, options: SarifOptions): Record<string, unknown> {
  const c = r.check;
  const helpUri = runbookUri(c.runbook, options);
  const link = helpUri ? `[${c.runbook}](${helpUri})` : `\`${c.runbook}\``;
  const tags = ['meshdoctor', c.block, ...(c.meshes === 'any' ? [] : c.meshes)];
  return {
    id: c.id,
    name: c.slug,
    shortDescription: {text: c.title},
    fullDescription: {text: `meshdoctor ${c.id} (${c.block}) checks that ${c.title}.`},
    defaultConfiguration: {level: SARIF_LEVEL[c.severity]},
    ...(helpUri ? {helpUri} : {}),
    // GitHub does not show helpUri, so help repeats where the runbook is.
    help: {text: `${c.title}. Runbook: ${c.runbook}`, markdown: `**${c.title}**\n\nRunbook: ${link}`},
    properties: {tags},
  };
}

function physicalLocation(origin: Origin, options: SarifOptions): Record<string, unknown> {
  return {
    artifactLocation: {uri: artifactUri(sanitizeText(origin.file), options.sourceRoot)},
    region: {startLine: Math.max(1, Math.trunc(origin.line))},
  };
}

function result(f: Finding | SuppressedFinding, ruleIndex: number, options: SarifOptions): Record<string, unknown> {
  const fullyQualifiedName = sanitizeText(subjectPath(f.subject));
  const location: Record<string, unknown> = {
    ...(f.origin ? {physicalLocation: physicalLocation(f.origin, options)} : {}),
    logicalLocations: [{name: sanitizeText(f.subject?.name ?? 'cluster'), fullyQualifiedName, kind: 'resource'}],
  };
  const out: Record<string, unknown> = {
    ruleId: f.checkId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: {text: sanitizeText(`${subjectLabel(f.subject)}: ${f.message}`)},
    locations: [location],
    partialFingerprints: {'meshdoctorFinding/v1': fingerprint(f)},
  };
  if (Object.keys(f.evidence).length) out.properties = {evidence: Object.fromEntries(Object.entries(f.evidence).map(([k, v]) => [k, typeof v === 'string' ? sanitizeText(v) : v]))};
  if ('suppressedBy' in f) out.suppressions = [{kind: 'external', justification: sanitizeText(f.suppressedBy)}];
  return out;
}

/** Crashes and skips are blind spots of the run: reported as tool notifications, not results. */
function notification(r: CheckResult, ruleIndex: number): Record<string, unknown> | undefined {
  if (r.outcome !== 'crash' && r.outcome !== 'skip') return undefined;
  const what = r.outcome === 'crash' ? 'crashed' : 'skipped';
  return {
    level: r.outcome === 'crash' ? 'error' : 'warning',
    message: {text: sanitizeText(`${r.check.id} ${what}${r.reason ? `: ${r.reason}` : ''}`)},
    associatedRule: {id: r.check.id, index: ruleIndex},
  };
}

export function toSarif(report: Report, options: SarifOptions = {}): Record<string, unknown> {
  const results = report.results.flatMap((r, i) => [...r.findings, ...r.suppressed].map((f) => result(f, i, options)));
  const notifications = report.results.flatMap((r, i) => notification(r, i) ?? []);
  const driver = {
    name: 'meshdoctor',
    version: report.meshdoctorVersion,
    ...(options.informationUri ? {informationUri: options.informationUri} : {}),
    rules: report.results.map((r) => rule(r, options)),
  };
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {driver},
      invocations: [{
        executionSuccessful: report.summary.crashed === 0,
        ...(notifications.length ? {toolExecutionNotifications: notifications} : {}),
      }],
      results,
      properties: {context: report.context === null ? null : sanitizeText(report.context), mode: report.mode, takenAt: report.takenAt},
    }],
  };
}

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  return toSafeJson(toSarif(report, options));
}

/**
 * Several clusters: one SARIF run per context (`automationDetails.id` = `meshdoctor/<context>/`, so
 * code-scanning tools keep each cluster's results apart); a cluster that could not be read is a run
 * whose invocation failed, with the reason as its notification.
 */
export function renderSarifClusters(clusters: readonly ClusterReport[], meshdoctorVersion: string, options: SarifOptions = {}): string {
  const runs = clusters.map((c) => {
    const cluster = sanitizeText(c.cluster);
    const automationDetails = {id: `meshdoctor/${cluster}/`};
    if (c.report) {
      const run = (toSarif(c.report, options).runs as Record<string, unknown>[])[0];
      return {...run, automationDetails, properties: {...(run.properties as Record<string, unknown>), cluster}};
    }
    return {
      tool: {driver: {name: 'meshdoctor', version: meshdoctorVersion, rules: []}},
      automationDetails,
      invocations: [{executionSuccessful: false, toolExecutionNotifications: [{level: 'error', message: {text: sanitizeText(`cluster ${c.cluster} could not be read: ${c.error}`)}}]}],
      results: [],
      properties: {context: cluster, cluster},
    };
  });
  return toSafeJson({$schema: SARIF_SCHEMA, version: '2.1.0', runs});
}
