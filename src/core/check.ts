/**
 * The check contract: a catalog entry with declared inputs and a pure `evaluate(ctx)`.
 * Checks never do I/O; everything they may see comes through `CheckContext`.
 */
import type {ControlPlaneFacts, FactName, FactState} from './control-plane.js';
import type {LabelSelector, Labels, ObjectOf, Pod} from './kube-types/index.js';
import type {ResolvedOptions, Thresholds} from './options.js';
import type {ResourceKey} from './resources.js';
import type {ShapeProblem} from './shape.js';
import type {Signal, SignalName, SignalSet} from './signals.js';
import {BLOCK_DIGIT} from './types.js';
import type {AccessDenial, Availability, Block, CheckId, FindingDraft, MeshInfo, MeshName, RunMode, Severity, SourceStatus, Subject} from './types.js';

/** Secrets and ConfigMaps are never listed cluster-wide: they are fetched by name, where a mesh keeps them (D10). */
export type NamedInput = Readonly<{
  kind: 'secrets' | 'configmaps';
  mesh: MeshName;
  /**
   * control-plane: the mesh's CPNS; extension: e.g. linkerd-viz; meshed: every in-scope meshed namespace;
   * referenced: the objects other objects name (`ref` says which rule, see src/mesh/named-refs.ts).
   */
  where: 'control-plane' | 'extension' | 'meshed' | 'referenced';
  /** Object names; omitted (configmaps only) = every ConfigMap in that namespace. */
  names?: readonly string[];
  /** where: 'referenced' — the rule that derives (namespace, name) pairs from the collected objects. */
  ref?: NamedRef;
}>;

/** Rules that name Secrets/ConfigMaps from other objects (e.g. Istio Gateway `credentialName`). */
export type NamedRef = 'istio-gateway-credentials';

export type CheckInputs = Readonly<{
  /** Required kinds. A CRD that is not installed makes the check not-applicable; a 403 skips it. */
  kinds?: readonly ResourceKey[];
  /** Kinds read for reference resolution: absent = empty; a 403 still skips (a blind check lies). */
  optionalKinds?: readonly ResourceKey[];
  named?: readonly NamedInput[];
  signals?: readonly SignalName[];
  /** Signals read when present, ignored when not (they refine a verdict, they are not needed for one). */
  optionalSignals?: readonly SignalName[];
  facts?: readonly FactName[];
  /** Alternatives: the check runs when at least one alternative's inputs are all available. */
  anyOf?: readonly CheckInputs[];
  /** The collector's access log (MD1001). */
  accessLog?: boolean;
}>;

/** What evaluate() may return instead of findings, when the situation makes a verdict impossible. */
export type Verdict = Readonly<{verdict: 'not-applicable' | 'skip'; reason: string}>;

export type EvaluateResult = Iterable<FindingDraft> | Verdict;

export type Check = Readonly<{
  id: CheckId;
  slug: string;
  /** The healthy state, as a sentence: a ✔ next to it reads true. */
  title: string;
  block: Block;
  severity: Severity;
  meshes: readonly MeshName[] | 'any';
  inputs: CheckInputs;
  /**
   * Judges observed state (pod status, endpoints, certificates in Secrets). From files it runs only
   * where they hold that state (a dump does, a manifest repo does not) and sees only the objects
   * that carry it; see src/core/observed.ts.
   */
  runtime?: boolean;
  /** Upstream equivalent (IST0101, l5d-…, KIA…) for cross-reference. */
  anchor?: string;
  evaluate(ctx: CheckContext): EvaluateResult;
}>;

/** An object that did not fit its kind's shape (see core/shape.ts), as the snapshot received it. */
export type MalformedObject = Readonly<{
  /** Resource key of the object's kind. */
  key: string;
  subject: Subject;
  problems: readonly ShapeProblem[];
  /** true: the object could not stand for its kind at all and checks do not see it. */
  ignored: boolean;
}>;

export interface ObjectReader {
  list<K extends ResourceKey>(kind: K, namespace?: string): readonly ObjectOf<K>[];
  get<K extends ResourceKey>(kind: K, namespace: string | undefined, name: string): ObjectOf<K> | undefined;
  /** Label-indexed selection in one namespace (undefined = all namespaces). */
  select<K extends ResourceKey>(kind: K, namespace: string | undefined, selector: Labels | LabelSelector): readonly ObjectOf<K>[];
  availability(kind: ResourceKey): Availability;
  /** Objects whose shape needed repair when they entered the snapshot (MD1006). */
  malformed(): readonly MalformedObject[];
}

export interface WorkloadIndex {
  /** The top owner through ownerReferences (D4), or the Pod itself. */
  ownerOf(pod: Pod): Subject;
  /** Pods (or pod templates in a manifest run) owned by a workload subject. */
  podsOf(workload: Subject): readonly Pod[];
}

export interface SignalReader {
  readonly set: SignalSet | undefined;
  /** The metrics source's status (why signals are missing: not configured, Prometheus unavailable…). */
  readonly status: SourceStatus;
  get<N extends SignalName>(name: N): Signal<N> | undefined;
}

export interface FactReader {
  get<F extends FactName>(name: F): Readonly<{state: FactState; value?: ControlPlaneFacts[F]}>;
}

export interface ScopeView {
  /** How scope was chosen: meshed namespaces (default), -n list, or -A. */
  readonly mode: 'meshed' | 'namespaces' | 'all';
  readonly namespaces: ReadonlySet<string>;
  includes(namespace: string | undefined): boolean;
  /** Namespaces that carry a mesh enrolment marker or run proxies (whatever the scope). */
  readonly meshedNamespaces: ReadonlySet<string>;
}

export type CatalogEntry = Readonly<{id: CheckId; inputs: CheckInputs}>;

export interface CheckContext {
  readonly now: Date;
  readonly mode: RunMode;
  readonly options: ResolvedOptions;
  thresholds(namespace?: string, name?: string): Thresholds;
  readonly meshes: readonly MeshInfo[];
  mesh(name: MeshName): MeshInfo | undefined;
  readonly objects: ObjectReader;
  readonly workloads: WorkloadIndex;
  readonly signals: SignalReader;
  readonly facts: FactReader;
  readonly scope: ScopeView;
  /** 403s the collector met (declare `accessLog: true`). */
  readonly accessDenials: readonly AccessDenial[];
  /** The checks selected for this run, with their inputs (for MD1001's evidence). */
  readonly selectedChecks: readonly CatalogEntry[];
  /** Whether an alternative of `anyOf` is available, for checks that branch on it. */
  available(inputs: CheckInputs): boolean;
}

const ID = /^MD(\d)(\d)(\d\d)$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Validate catalog metadata at definition time, so a malformed entry fails on import, not in production. */
export function defineCheck(check: Check): Check {
  const m = ID.exec(check.id);
  if (!m) throw new Error(`${check.id}: id must be MD + 4 digits`);
  if (m[1] !== BLOCK_DIGIT[check.block]) throw new Error(`${check.id}: block ${check.block} needs ids MD${BLOCK_DIGIT[check.block]}xxx`);
  if (!SLUG.test(check.slug)) throw new Error(`${check.id}: slug ${check.slug} is not kebab-case`);
  if (!check.title.trim()) throw new Error(`${check.id}: title is empty`);
  return Object.freeze(check);
}

export function notApplicable(reason: string): Verdict {
  return {verdict: 'not-applicable', reason};
}

export function skipped(reason: string): Verdict {
  return {verdict: 'skip', reason};
}

export function isVerdict(value: EvaluateResult): value is Verdict {
  return typeof value === 'object' && value !== null && 'verdict' in value && typeof (value as Verdict).verdict === 'string';
}

/** Every resource kind a set of inputs names, alternatives and named objects included. */
export function declaredKinds(inputs: CheckInputs): Set<string> {
  const out = new Set<string>([...(inputs.kinds ?? []), ...(inputs.optionalKinds ?? []), ...(inputs.named ?? []).map((n) => n.kind)]);
  for (const alt of inputs.anyOf ?? []) for (const k of declaredKinds(alt)) out.add(k);
  return out;
}

export function declaredSignals(inputs: CheckInputs): Set<string> {
  const out = new Set<string>([...(inputs.signals ?? []), ...(inputs.optionalSignals ?? [])]);
  for (const alt of inputs.anyOf ?? []) for (const s of declaredSignals(alt)) out.add(s);
  return out;
}

export function declaredFacts(inputs: CheckInputs): Set<string> {
  const out = new Set<string>(inputs.facts ?? []);
  for (const alt of inputs.anyOf ?? []) for (const f of declaredFacts(alt)) out.add(f);
  return out;
}
