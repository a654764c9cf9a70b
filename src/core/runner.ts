/**
 * The runner: for each selected check, decide whether its inputs allow a verdict (else
 * not-applicable / skip with a reason), evaluate it in isolation (a throw is a `crash`, the run goes
 * on), then scope, re-grade, suppress and stamp its findings.
 */
import type {Check, CheckContext, CheckInputs, FactReader, NamedInput, ObjectReader, SignalReader} from './check.js';
import {isVerdict} from './check.js';
import {TouchTracker} from './crash-trace.js';
import {hasStateKind, observedOnly, observedWorkloads} from './observed.js';
import {subjectKey, subjectOf} from './subjects.js';
import type {FactName} from './control-plane.js';
import type {ResolvedOptions} from './options.js';
import {thresholdsFor} from './options.js';
import type {ResourceKey} from './resources.js';
import {resourceType} from './resources.js';
import type {SignalName} from './signals.js';
import type {SnapshotView} from './snapshot-view.js';
import {sanitizeText} from './sanitize.js';
import type {SuppressionRule} from './suppress.js';
import {findSuppression} from './suppress.js';
import type {CheckMeta, CheckResult, Finding, FindingDraft, MeshName, RunEvent, Severity, SuppressedFinding} from './types.js';

export type RunOptions = Readonly<{
  now: Date;
  options: ResolvedOptions;
  /** Per-check severity re-grades from config (`overrides:`). */
  severityOverrides?: ReadonlyMap<string, Severity>;
  suppressions?: readonly SuppressionRule[];
  /** Record which inputs each check actually read (catalog meta-test). */
  onReads?: (checkId: string, reads: RecordedReads) => void;
}>;

export type RecordedReads = Readonly<{kinds: ReadonlySet<string>; signals: ReadonlySet<string>; facts: ReadonlySet<string>; accessLog: boolean}>;

export function runbookPath(check: Pick<Check, 'block' | 'slug'>): string {
  return `runbooks/${check.block}/${check.slug}.md`;
}

export function checkMeta(check: Check): CheckMeta {
  const meta: {-readonly [K in keyof CheckMeta]: CheckMeta[K]} = {
    id: check.id,
    slug: check.slug,
    title: check.title,
    block: check.block,
    severity: check.severity,
    meshes: check.meshes,
    runbook: runbookPath(check),
  };
  if (check.anchor) meta.anchor = check.anchor;
  return meta;
}

type Gate = Readonly<{outcome: 'not-applicable' | 'skip'; reason: string}> | null;

const MESH_LABEL: Readonly<Record<MeshName, string>> = {istio: 'Istio', linkerd: 'Linkerd', consul: 'Consul', osm: 'OSM'};

function kindLabel(key: ResourceKey): string {
  const t = resourceType(key);
  return t.builtin ? t.kind : `${t.kind} (${t.key})`;
}

/** What files cannot hold, named in the reasons of checks that need it in a run from files. */
const FROM_FILES = 'which files cannot hold';

function namedLabel(named: NamedInput, namespaces: readonly string[]): string {
  const kind = named.kind === 'secrets' ? 'Secret' : 'ConfigMap';
  const where = namespaces.length ? namespaces.join(', ') : `the ${named.where} namespace`;
  return named.names?.length ? `${kind} ${named.names.join(' or ')} in ${where}` : `${kind}s in ${where}`;
}

/** In a run from files, whether they hold what a named input would have fetched (any of the names; any object without names). */
function namedInFiles(named: NamedInput, snap: SnapshotView, namespaces: readonly string[]): boolean {
  // Nowhere to look (the mesh is not detected, nothing references a Secret): nothing is missing.
  if (namespaces.length === 0) return true;
  return namespaces.some((ns) => (named.names?.length ? named.names.some((n) => snap.objects.get(named.kind, ns, n)) : snap.objects.list(named.kind, ns).length > 0));
}

/**
 * Decide whether a set of inputs can support a verdict in this snapshot. `judgesState`: the check
 * judges observed state (`runtime`), so in a run from files it needs the files to hold that state.
 */
function gateInputs(inputs: CheckInputs, snap: SnapshotView, relevantMeshes: readonly MeshName[], judgesState = false): Gate {
  const fromFiles = snap.mode === 'manifests';
  for (const key of inputs.kinds ?? []) {
    const a = snap.objects.availability(key);
    switch (a.state) {
      case 'absent':
        return {outcome: 'not-applicable', reason: a.reason ?? `${kindLabel(key)} is not installed`};
      case 'not-provided':
        return {outcome: 'not-applicable', reason: a.reason ?? `no ${resourceType(key).kind} objects in the given files`};
      case 'forbidden':
      case 'error':
        return {outcome: 'skip', reason: a.reason ?? `${a.state}: list ${resourceType(key).plural}`};
      default:
        break;
    }
  }
  if (judgesState) {
    // Kinds with a status first: "needs Pod status" says what is missing better than the Namespaces.
    const kinds = [...(inputs.kinds ?? [])].sort((a, b) => Number(hasStateKind(b)) - Number(hasStateKind(a)));
    const missing = kinds.find((key) => !snap.hasState(key));
    if (missing) {
      const what = hasStateKind(missing) ? `${resourceType(missing).kind} status` : `${resourceType(missing).kind} objects as the cluster has them`;
      return {outcome: 'not-applicable', reason: `needs ${what}, which the given files do not hold (a \`kubectl get -o yaml\` dump does, manifests as written do not)`};
    }
  }
  for (const key of inputs.optionalKinds ?? []) {
    const a = snap.objects.availability(key);
    if (a.state === 'forbidden' || a.state === 'error') return {outcome: 'skip', reason: a.reason ?? `${a.state}: list ${resourceType(key).plural}`};
  }
  for (const named of inputs.named ?? []) {
    if (fromFiles) {
      const namespaces = snap.namespacesFor(named);
      if (judgesState && !namedInFiles(named, snap, namespaces)) {
        return {outcome: 'not-applicable', reason: `needs ${namedLabel(named, namespaces)}, which the given files do not hold`};
      }
      continue;
    }
    for (const ns of snap.namespacesFor(named)) {
      const a = snap.namedAvailability(named.kind, ns);
      if (a.state === 'forbidden' || a.state === 'error') return {outcome: 'skip', reason: a.reason ?? `${a.state}: get ${named.kind} in ${ns}`};
    }
  }
  if (inputs.signals?.length) {
    const gate = gateSignals(inputs.signals, snap, relevantMeshes);
    if (gate) return gate;
  }
  if (inputs.accessLog && fromFiles) return {outcome: 'not-applicable', reason: `needs the API server's answers to meshdoctor's requests, ${FROM_FILES}`};
  for (const fact of inputs.facts ?? []) {
    if (fromFiles) return {outcome: 'not-applicable', reason: `needs control-plane data (${fact}, read from the control plane's debug endpoints), ${FROM_FILES}`};
    const f = snap.facts.get(fact as FactName);
    if (f.state.state === 'unavailable') return {outcome: 'skip', reason: f.state.reason ?? `${fact} unavailable`};
  }
  if (inputs.anyOf?.length) {
    const gates = inputs.anyOf.map((alt) => gateInputs(alt, snap, relevantMeshes, judgesState));
    if (gates.every((g) => g !== null)) {
      const allNa = gates.every((g) => g!.outcome === 'not-applicable');
      return {outcome: allNa ? 'not-applicable' : 'skip', reason: [...new Set(gates.map((g) => g!.reason))].join('; and ')};
    }
  }
  return null;
}

function gateSignals(signals: readonly SignalName[], snap: SnapshotView, relevantMeshes: readonly MeshName[]): Gate {
  if (snap.mode === 'manifests') return {outcome: 'not-applicable', reason: `needs metrics (Prometheus or the proxies), ${FROM_FILES}`};
  const set = snap.signals;
  if (!set) {
    const st = snap.metricsStatus;
    return {outcome: 'skip', reason: `metrics unavailable${st.detail ? `: ${st.detail}` : ''}`};
  }
  for (const name of signals) {
    const signal = set.signals[name];
    if (!signal) return {outcome: 'skip', reason: `metric signal ${name} was not collected`};
    const states = relevantMeshes.map((m) => [m, signal.meshes[m]] as const).filter(([, s]) => s !== undefined);
    if (states.length > 0 && states.every(([, s]) => s!.state !== 'ok')) {
      return {outcome: 'skip', reason: states.map(([m, s]) => `${name} (${MESH_LABEL[m]}): ${s!.reason ?? s!.state}`).join('; ')};
    }
  }
  return null;
}

function gateCheck(check: Check, snap: SnapshotView): Gate {
  const detected = new Set(snap.meshes.map((m) => m.name));
  let relevant: MeshName[];
  if (check.meshes === 'any') {
    relevant = [...detected];
  } else {
    relevant = check.meshes.filter((m) => detected.has(m));
    if (relevant.length === 0) {
      return {outcome: 'not-applicable', reason: `${check.meshes.map((m) => MESH_LABEL[m]).join(' or ')} not detected`};
    }
  }
  return gateInputs(check.inputs, snap, relevant, check.runtime === true);
}

class RecordingObjects implements ObjectReader {
  constructor(private readonly inner: ObjectReader, private readonly kinds: Set<string>) {}
  list: ObjectReader['list'] = (kind, namespace) => {
    this.kinds.add(kind);
    return this.inner.list(kind, namespace);
  };
  get: ObjectReader['get'] = (kind, namespace, name) => {
    this.kinds.add(kind);
    return this.inner.get(kind, namespace, name);
  };
  select: ObjectReader['select'] = (kind, namespace, selector) => {
    this.kinds.add(kind);
    return this.inner.select(kind, namespace, selector);
  };
  availability: ObjectReader['availability'] = (kind) => this.inner.availability(kind);
  malformed: ObjectReader['malformed'] = () => this.inner.malformed();
}

function makeContext(check: Check, snap: SnapshotView, run: RunOptions, selected: readonly Check[], reads: {kinds: Set<string>; signals: Set<string>; facts: Set<string>; accessLog: boolean}): CheckContext {
  // A check that judges state sees, in a run from files, only the objects that carry it.
  const observed = check.runtime === true && snap.mode === 'manifests';
  const signals: SignalReader = {
    set: snap.signals,
    status: snap.metricsStatus,
    get(name) {
      reads.signals.add(name);
      return snap.signals?.signals[name] as never;
    },
  };
  const facts: FactReader = {
    get(name) {
      reads.facts.add(name);
      return snap.facts.get(name);
    },
  };
  const detected = new Set(snap.meshes.map((m) => m.name));
  return {
    now: run.now,
    mode: snap.mode,
    options: run.options,
    thresholds: (namespace, name) => thresholdsFor(run.options, namespace, name),
    meshes: snap.meshes,
    mesh: (name) => snap.meshes.find((m) => m.name === name),
    objects: new RecordingObjects(observed ? observedOnly(snap.objects) : snap.objects, reads.kinds),
    workloads: observed ? observedWorkloads(snap.workloads) : snap.workloads,
    signals,
    facts,
    scope: snap.scope,
    get accessDenials() {
      reads.accessLog = true;
      return snap.accessDenials;
    },
    selectedChecks: selected.map((c) => ({id: c.id, inputs: c.inputs})),
    available: (inputs) => gateInputs(inputs, snap, [...detected], check.runtime === true) === null,
  };
}

function inScope(snap: SnapshotView, draft: FindingDraft): boolean {
  const s = draft.subject;
  if (!s) return true;
  if (s.kind === 'Namespace' && !s.namespace) return snap.scope.includes(s.name);
  if (!s.namespace) return true;
  return snap.scope.includes(s.namespace);
}

function stamp(check: Check, draft: FindingDraft, severity: Severity, snap: SnapshotView): Finding {
  const evidence: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(draft.evidence ?? {})) evidence[k] = typeof v === 'string' ? sanitizeText(v) : v;
  const finding: {-readonly [K in keyof Finding]: Finding[K]} = {
    checkId: check.id,
    severity,
    subject: draft.subject,
    message: sanitizeText(draft.message),
    evidence,
    runbook: runbookPath(check),
  };
  const origin = draft.subject ? snap.originOf(draft.subject) : undefined;
  if (origin) finding.origin = origin;
  return finding;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] || (error instanceof Error ? error.name : 'unknown error');
}

/**
 * Name the check and, when it can be found, the object it crashed on: evaluate the check once more
 * through reads that remember the last object touched (crash-trace.ts).
 */
function crashReason(check: Check, snap: SnapshotView, run: RunOptions, selected: readonly Check[], error: unknown): string {
  const tracker = new TouchTracker();
  const reads = {kinds: new Set<string>(), signals: new Set<string>(), facts: new Set<string>(), accessLog: false};
  const base = makeContext(check, snap, run, selected, reads);
  const ctx: CheckContext = {...base, objects: tracker.objects(base.objects), workloads: tracker.workloads(base.workloads), accessDenials: base.accessDenials};
  let again: unknown;
  try {
    const result = check.evaluate(ctx);
    if (!isVerdict(result)) for (const _ of result) void _;
  } catch (e) {
    again = e;
  }
  const on = again !== undefined && tracker.last ? ` on ${subjectKey(subjectOf(tracker.last))}` : '';
  return `${check.id} crashed${on}: ${errorText(again ?? error)}`;
}

/** Evaluate one check against a snapshot. Never throws. */
export function runCheck(check: Check, snap: SnapshotView, run: RunOptions, selected: readonly Check[] = [check]): CheckResult {
  const started = performance.now();
  const meta = checkMeta(check);
  const done = (outcome: CheckResult['outcome'], extra: Partial<CheckResult> = {}): CheckResult => ({
    check: meta,
    outcome,
    findings: [],
    suppressed: [],
    durationMs: performance.now() - started,
    ...extra,
  });
  const gate = gateCheck(check, snap);
  if (gate) return done(gate.outcome, {reason: gate.reason});

  const reads = {kinds: new Set<string>(), signals: new Set<string>(), facts: new Set<string>(), accessLog: false};
  const ctx = makeContext(check, snap, run, selected, reads);
  let drafts: FindingDraft[];
  try {
    const result = check.evaluate(ctx);
    if (isVerdict(result)) {
      run.onReads?.(check.id, reads);
      return done(result.verdict, {reason: result.reason});
    }
    drafts = [...result];
  } catch (error) {
    run.onReads?.(check.id, reads);
    return done('crash', {reason: crashReason(check, snap, run, selected, error)});
  }
  run.onReads?.(check.id, reads);

  const override = run.severityOverrides?.get(check.id);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const draft of drafts) {
    if (!inScope(snap, draft)) continue;
    const finding = stamp(check, draft, override ?? draft.severity ?? check.severity, snap);
    const by = findSuppression(finding, check, snap, run.suppressions ?? []);
    if (by) suppressed.push({...finding, suppressedBy: by});
    else findings.push(finding);
  }
  return done(findings.length > 0 ? 'fail' : 'pass', {findings, suppressed});
}

/** Run checks in id order, streaming events. */
export function* runChecks(checks: readonly Check[], snap: SnapshotView, run: RunOptions): Generator<RunEvent, readonly CheckResult[]> {
  const ordered = [...checks].sort((a, b) => a.id.localeCompare(b.id));
  const results: CheckResult[] = [];
  for (const status of snap.sources) yield {type: 'source-status', status};
  for (const check of ordered) {
    yield {type: 'check-start', checkId: check.id};
    const result = runCheck(check, snap, run, ordered);
    results.push(result);
    yield {type: 'check-end', result};
  }
  return results;
}
