/**
 * JUnit XML for CI test-report views: one <testsuite> per block, one <testcase> per check.
 * fail → <failure>, crash → <error>, skip and not-applicable → <skipped>.
 *
 * Two de-facto schemas exist and disagree. Where they do, this follows Jenkins' junit-4.xsd:
 * - <testsuites> carries name/tests/failures/errors/time (Ant allows no attributes; Jenkins has no `skipped` there);
 * - <testsuite skipped="…"> and <skipped> exist (Ant has neither);
 * - the skip reason is the text of <skipped> (junit-4.xsd allows no attributes on it).
 * Everything Ant additionally requires is emitted: testsuite id/package/hostname/timestamp (UTC, no
 * zone, no fraction), <properties>, <system-out> and <system-err>, testcase time, failure/error type.
 */
import {sanitizeText} from '../core/sanitize.js';
import type {CheckResult, ClusterReport, Report} from '../core/types.js';
import {groupByBlock, plural, subjectLabel, worstSeverity} from './shared.js';

export type JunitOptions = Readonly<{
  /** Host the run happened on (Ant requires one; the presenter cannot look it up). @default 'localhost' */
  hostname?: string;
}>;

// Characters XML 1.0 forbids outright (C0 except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates): an
// escape cannot carry them, so they go.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {'&': '&amp;', '<': '&lt;', '>': '&gt;'};
// In attributes, tab/CR/LF must be character references or a parser normalises them to spaces.
const ATTR_ESCAPES: Readonly<Record<string, string>> = {...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;'};

function text(value: string): string {
  return stripXmlIllegal(value).replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
}

function attr(value: string | number): string {
  return stripXmlIllegal(String(value)).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c]);
}

function attrs(pairs: Readonly<Record<string, string | number>>): string {
  return Object.entries(pairs).map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Ant's timestamp pattern: `YYYY-MM-DDTHH:MM:SS`, no zone (we use UTC), no fraction. */
export function junitTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '1970-01-01T00:00:00' : d.toISOString().slice(0, 19);
}

function findingsText(r: CheckResult): string {
  const lines = r.findings.map((f) => {
    const origin = f.origin ? ` (${f.origin.file}:${f.origin.line})` : '';
    return `${f.severity} ${subjectLabel(f.subject)}${origin}: ${f.message}`;
  });
  lines.push(`see ${r.check.runbook}`);
  return sanitizeText(lines.join('\n'));
}

function body(r: CheckResult): string {
  const reason = sanitizeText(r.reason ?? '');
  switch (r.outcome) {
    case 'pass':
      return '';
    case 'fail': {
      const type = worstSeverity(r.findings) ?? r.check.severity;
      return `<failure${attrs({message: plural(r.findings.length, 'finding'), type})}>${text(findingsText(r))}</failure>`;
    }
    case 'crash':
      return `<error${attrs({message: reason || 'check crashed', type: 'crash'})}>${text(reason)}</error>`;
    case 'skip':
      return `<skipped>${text(reason)}</skipped>`;
    case 'not-applicable':
      return `<skipped>${text(`not applicable${reason ? `: ${reason}` : ''}`)}</skipped>`;
  }
}

function testcase(r: CheckResult): string {
  const open = `<testcase${attrs({classname: `meshdoctor.${r.check.block}`, name: `${r.check.id} ${r.check.slug}`, time: seconds(r.durationMs)})}`;
  const inner = body(r);
  return inner ? `    ${open}>\n      ${inner}\n    </testcase>` : `    ${open}/>`;
}

function properties(report: Report): string[] {
  const props: [string, string][] = [
    ['context', report.context ?? ''],
    ['mode', report.mode],
    ['meshdoctor.version', report.meshdoctorVersion],
    ...report.meshes.map((m): [string, string] => [`mesh.${m.name}`, [m.version ?? 'unknown', m.namespace, m.controlPlane].join(' ')]),
  ];
  return ['    <properties>', ...props.map(([name, value]) => `      <property${attrs({name, value: sanitizeText(value)})}/>`), '    </properties>'];
}

function suppressedText(results: readonly CheckResult[]): string {
  const lines = results.flatMap((r) => r.suppressed.map((f) => `suppressed ${r.check.id} ${f.severity} ${subjectLabel(f.subject)}: ${f.message} (${f.suppressedBy})`));
  return text(sanitizeText(lines.join('\n')));
}

const count = (results: readonly CheckResult[], ...outcomes: CheckResult['outcome'][]) => results.filter((r) => outcomes.includes(r.outcome)).length;
const totalMs = (results: readonly CheckResult[]) => results.reduce((sum, r) => sum + r.durationMs, 0);

function suiteLines(name: string, pkg: string, id: number, results: readonly CheckResult[], report: Report, timestamp: string, hostname: string): string[] {
  return [
    `  <testsuite${attrs({
      name,
      tests: results.length,
      failures: count(results, 'fail'),
      errors: count(results, 'crash'),
      skipped: count(results, 'skip', 'not-applicable'),
      time: seconds(totalMs(results)),
      timestamp,
      hostname,
      id,
      package: pkg,
    })}>`,
    ...properties(report),
    ...results.map(testcase),
    `    <system-out>${suppressedText(results)}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ];
}

function document(totals: Readonly<{tests: number; failures: number; errors: number; ms: number}>, suites: readonly string[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({name: 'meshdoctor', tests: totals.tests, failures: totals.failures, errors: totals.errors, time: seconds(totals.ms)})}>`,
    ...suites,
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const hostname = sanitizeText(options.hostname?.trim() || 'localhost');
  const timestamp = junitTimestamp(report.takenAt);
  const suites = groupByBlock(report.results).flatMap(({block, results}, id) => suiteLines(block, `meshdoctor.${block}`, id, results, report, timestamp, hostname));
  const r = report.results;
  return document({tests: r.length, failures: count(r, 'fail'), errors: count(r, 'crash'), ms: totalMs(r)}, suites);
}

/**
 * Several clusters (`--context a,b`): one <testsuite> per cluster, named after its context, the
 * checks as test cases (classname `meshdoctor.<block>` as in the single-cluster report). A cluster
 * that could not be read is a suite of one test case in error, so CI shows it as broken, not green.
 */
export function renderJunitClusters(clusters: readonly ClusterReport[], options: JunitOptions = {}): string {
  const hostname = sanitizeText(options.hostname?.trim() || 'localhost');
  const totals = {tests: 0, failures: 0, errors: 0, ms: 0};
  const suites = clusters.flatMap((c, id) => {
    const name = sanitizeText(c.cluster);
    if (!c.report) {
      totals.tests++;
      totals.errors++;
      const attributes = {name, tests: 1, failures: 0, errors: 1, skipped: 0, time: seconds(0), timestamp: junitTimestamp(new Date().toISOString()), hostname, id, package: `meshdoctor.${name}`};
      const error = `<error${attrs({message: `cluster could not be read: ${sanitizeText(c.error)}`, type: 'unavailable'})}>${text(sanitizeText(c.error))}</error>`;
      return [`  <testsuite${attrs(attributes)}>`, '    <properties>', `      <property${attrs({name: 'context', value: name})}/>`, '    </properties>',
        `    <testcase${attrs({classname: 'meshdoctor.cluster', name: 'collect', time: seconds(0)})}>`, `      ${error}`, '    </testcase>',
        '    <system-out></system-out>', '    <system-err></system-err>', '  </testsuite>'];
    }
    const r = c.report.results;
    totals.tests += r.length;
    totals.failures += count(r, 'fail');
    totals.errors += count(r, 'crash');
    totals.ms += totalMs(r);
    return suiteLines(name, `meshdoctor.${name}`, id, r, c.report, junitTimestamp(c.report.takenAt), hostname);
  });
  return document(totals, suites);
}
