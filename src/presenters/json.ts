/**
 * `check -o json`: the stable machine contract of docs/design.md §5. Fields may be added, never renamed.
 * Fields the design names are always present (null when unknown); added fields mirror the core types
 * (optional keys left out when absent). Cluster-provided strings are sanitised like every other
 * output, and the serialiser escapes what JSON.stringify leaves raw, so `cat report.json` is safe.
 */
import {sanitizeText} from '../core/sanitize.js';
import type {
  Block, CheckId, CheckResult, Evidence, EvidenceValue, Finding, MeshInfo, MeshName, ObjectMode, Origin, Outcome, Report,
  RunMode, Severity, SourceStatus, Subject, SuppressedFinding,
} from '../core/types.js';
import {toSafeJson} from './shared.js';

export type JsonSubject = {kind: string; apiVersion: string; namespace?: string; name: string};

export type JsonFinding = {
  severity: Severity;
  message: string;
  subject: JsonSubject | null;
  evidence: Record<string, EvidenceValue>;
  /** Manifest file and line the subject was read from, when known. */
  origin?: Origin;
};

export type JsonSuppressedFinding = JsonFinding & {suppressedBy: string};

export type JsonCheck = {
  id: CheckId;
  slug: string;
  title: string;
  block: Block;
  severity: Severity;
  status: Outcome;
  reason: string | null;
  runbook: string;
  findings: JsonFinding[];
  /** Findings a suppression rule or annotation silenced, kept so that nothing disappears unseen. */
  suppressed: JsonSuppressedFinding[];
};

export type JsonMesh = {
  name: MeshName;
  version: string | null;
  namespace: string;
  controlPlane: MeshInfo['controlPlane'];
  revisions: {name: string; version?: string; namespace: string; deployment?: string}[];
};

export type JsonReport = {
  schemaVersion: 1;
  meshdoctorVersion: string;
  context: string | null;
  takenAt: string;
  mode: RunMode;
  meshes: JsonMesh[];
  sources: {source: SourceStatus['source']; state: SourceStatus['state']; detail?: string; at?: string}[];
  /** Per kind and mode: what the checks evaluated (live, files-with-status, files, templates). */
  objects: {kind: string; resource: string; mode: ObjectMode; count: number}[];
  summary: {
    checks: number;
    passed: number;
    failed: number;
    skipped: number;
    notApplicable: number;
    crashed: number;
    findings: Record<Severity, number>;
    suppressed: number;
  };
  checks: JsonCheck[];
};

const clean = sanitizeText;

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({[key]: clean(value)} as Record<K, string>);
}

function subject(s: Subject | null): JsonSubject | null {
  if (!s) return null;
  return {kind: clean(s.kind), apiVersion: clean(s.apiVersion), ...optional('namespace', s.namespace), name: clean(s.name)};
}

function evidence(e: Evidence): Record<string, EvidenceValue> {
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [clean(k), typeof v === 'string' ? clean(v) : v]));
}

function finding(f: Finding): JsonFinding {
  const out: JsonFinding = {severity: f.severity, message: clean(f.message), subject: subject(f.subject), evidence: evidence(f.evidence)};
  if (f.origin) out.origin = {file: clean(f.origin.file), line: f.origin.line};
  return out;
}

function suppressedFinding(f: SuppressedFinding): JsonSuppressedFinding {
  return {...finding(f), suppressedBy: clean(f.suppressedBy)};
}

function check(r: CheckResult): JsonCheck {
  const c = r.check;
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    block: c.block,
    severity: c.severity,
    status: r.outcome,
    reason: r.reason === undefined ? null : clean(r.reason),
    runbook: c.runbook,
    findings: r.findings.map(finding),
    suppressed: r.suppressed.map(suppressedFinding),
  };
}

function mesh(m: MeshInfo): JsonMesh {
  return {
    name: m.name,
    version: m.version === undefined ? null : clean(m.version),
    namespace: clean(m.namespace),
    controlPlane: m.controlPlane,
    revisions: m.revisions.map((r) => ({
      name: clean(r.name),
      ...optional('version', r.version),
      namespace: clean(r.namespace),
      ...optional('deployment', r.deployment),
    })),
  };
}

/** The report as the JSON contract's plain object (before serialisation). */
export function toJsonReport(report: Report): JsonReport {
  const s = report.summary;
  return {
    schemaVersion: 1,
    meshdoctorVersion: report.meshdoctorVersion,
    context: report.context === null ? null : clean(report.context),
    takenAt: report.takenAt,
    mode: report.mode,
    meshes: report.meshes.map(mesh),
    sources: report.sources.map((src) => ({source: src.source, state: src.state, ...optional('detail', src.detail), ...optional('at', src.at)})),
    objects: (report.evaluated ?? []).map((e) => ({kind: clean(e.kind), resource: e.key, mode: e.mode, count: e.count})),
    summary: {
      checks: s.checks,
      passed: s.passed,
      failed: s.failed,
      skipped: s.skipped,
      notApplicable: s.notApplicable,
      crashed: s.crashed,
      findings: {error: s.findings.error, warning: s.findings.warning, info: s.findings.info},
      suppressed: s.suppressed,
    },
    checks: report.results.map(check),
  };
}

/** `check -o json`: pretty-printed, trailing newline, terminal-safe. */
export function renderJson(report: Report): string {
  return toSafeJson(toJsonReport(report));
}
