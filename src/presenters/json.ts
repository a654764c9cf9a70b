/**
 * `check -o json`: the stable machine contract of docs/design.md §5. Fields may be added, never renamed.
 * Fields the design names are always present (null when unknown); added fields mirror the core types
 * (optional keys left out when absent). Cluster-provided strings are sanitised like every other
 * output, and the serialiser escapes what JSON.stringify leaves raw, so `cat report.json` is safe.
 */
import {sanitizeText} from '../core/sanitize.js';
import type {
  Block, CheckId, CheckResult, ClusterReport, Evidence, EvidenceValue, Finding, MeshInfo, MeshName, ObjectMode, Origin, Outcome, Report,
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

// ── several clusters ────────────────────────────────────────────────────────────────────────────

/** A finding of a multi-cluster report carries the context it was found in. */
export type JsonClusterFinding = JsonFinding & {cluster: string};

export type JsonClusterCheck = Omit<JsonCheck, 'findings' | 'suppressed'> & {
  findings: JsonClusterFinding[];
  suppressed: (JsonSuppressedFinding & {cluster: string})[];
  /** The check's status in each cluster that could be read. */
  clusters: {name: string; status: Outcome; reason: string | null}[];
};

/**
 * `check -o json` over several contexts: the single-cluster document's fields (so a reader of one
 * keeps working), with every finding, mesh, source and object count naming its `cluster`; `checks[].status` the
 * worst over the clusters (crash, fail, skip, pass, not-applicable) and `checks[].clusters` each
 * cluster's own; `clusters` one entry per context with its summary, or the error that kept it from
 * being read.
 */
export type JsonClustersReport = Omit<JsonReport, 'checks' | 'meshes' | 'sources' | 'objects'> & {
  contexts: string[];
  meshes: (JsonMesh & {cluster: string})[];
  sources: (JsonReport['sources'][number] & {cluster: string})[];
  objects: (JsonReport['objects'][number] & {cluster: string})[];
  clusters: {name: string; takenAt: string | null; summary: JsonReport['summary'] | null; error: string | null}[];
  checks: JsonClusterCheck[];
};

const STATUS_ORDER: readonly Outcome[] = ['crash', 'fail', 'skip', 'pass', 'not-applicable'];

function emptySummary(): JsonReport['summary'] {
  return {checks: 0, passed: 0, failed: 0, skipped: 0, notApplicable: 0, crashed: 0, findings: {error: 0, warning: 0, info: 0}, suppressed: 0};
}

export function toJsonClusters(clusters: readonly ClusterReport[], meshdoctorVersion: string): JsonClustersReport {
  const read = clusters.flatMap((c) => (c.report ? [{name: clean(c.cluster), json: toJsonReport(c.report)}] : []));
  const byId = new Map<string, JsonClusterCheck>();
  for (const {name, json} of read) {
    for (const c of json.checks) {
      let merged = byId.get(c.id);
      if (!merged) {
        const {findings: _f, suppressed: _s, ...rest} = c;
        byId.set(c.id, (merged = {...rest, findings: [], suppressed: [], clusters: []}));
      }
      merged.clusters.push({name, status: c.status, reason: c.reason});
      merged.findings.push(...c.findings.map((f) => ({cluster: name, ...f})));
      merged.suppressed.push(...c.suppressed.map((f) => ({cluster: name, ...f})));
    }
  }
  for (const c of byId.values()) {
    c.status = STATUS_ORDER.find((s) => c.clusters.some((x) => x.status === s)) ?? 'not-applicable';
    const why = c.clusters.filter((x) => x.status === c.status && x.reason !== null).map((x) => `${x.name}: ${x.reason}`);
    c.reason = why.length ? why.join('; ') : null;
  }
  const summary = emptySummary();
  for (const {json} of read) {
    const s = json.summary;
    summary.checks += s.checks;
    summary.passed += s.passed;
    summary.failed += s.failed;
    summary.skipped += s.skipped;
    summary.notApplicable += s.notApplicable;
    summary.crashed += s.crashed;
    summary.suppressed += s.suppressed;
    for (const k of ['error', 'warning', 'info'] as const) summary.findings[k] += s.findings[k];
  }
  const times = read.map((r) => r.json.takenAt).sort();
  return {
    schemaVersion: 1,
    meshdoctorVersion,
    context: null,
    contexts: clusters.map((c) => clean(c.cluster)),
    takenAt: times[times.length - 1] ?? new Date().toISOString(),
    mode: 'live',
    meshes: read.flatMap(({name, json}) => json.meshes.map((m) => ({cluster: name, ...m}))),
    sources: clusters.flatMap((c) => {
      const name = clean(c.cluster);
      if (!c.report) return [{cluster: name, source: 'kubernetes' as const, state: 'unavailable' as const, detail: clean(c.error)}];
      return toJsonReport(c.report).sources.map((src) => ({cluster: name, ...src}));
    }),
    objects: read.flatMap(({name, json}) => json.objects.map((o) => ({cluster: name, ...o}))),
    clusters: clusters.map((c) => {
      const json = read.find((r) => r.name === clean(c.cluster))?.json;
      return {name: clean(c.cluster), takenAt: json?.takenAt ?? null, summary: json?.summary ?? null, error: c.report ? null : clean(c.error)};
    }),
    summary,
    checks: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export function renderJsonClusters(clusters: readonly ClusterReport[], meshdoctorVersion: string): string {
  return toSafeJson(toJsonClusters(clusters, meshdoctorVersion));
}
