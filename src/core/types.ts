/**
 * Shared data types of meshdoctor's pipeline: sources → snapshot → checks → findings → report.
 * Everything here is plain, serialisable data.
 */

export type Severity = 'error' | 'warning' | 'info';
export type MeshName = 'istio' | 'linkerd' | 'consul' | 'osm';
export const MESH_NAMES: readonly MeshName[] = ['istio', 'linkerd', 'consul', 'osm'];

/** Catalog blocks (docs/rules.md §1): the first digit of a check id and the folder of its file and runbook. */
export type Block = 'cluster' | 'control-plane' | 'data-plane' | 'security' | 'traffic-config' | 'traffic-health';
export const BLOCKS: readonly Block[] = ['cluster', 'control-plane', 'data-plane', 'security', 'traffic-config', 'traffic-health'];
export const BLOCK_DIGIT: Readonly<Record<Block, string>> = {
  cluster: '1',
  'control-plane': '2',
  'data-plane': '3',
  security: '4',
  'traffic-config': '5',
  'traffic-health': '6',
};

export type CheckId = `MD${number}`;

/** One concrete object a finding is about; `null` subject = cluster-wide. */
export type Subject = Readonly<{
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
}>;

export type EvidenceValue = string | number | boolean | null;
export type Evidence = Readonly<Record<string, EvidenceValue>>;

/** What a check yields; the runner stamps check id, final severity and runbook. */
export type FindingDraft = Readonly<{
  subject: Subject | null;
  message: string;
  evidence?: Evidence;
  /** Defaults to the check's severity; multi-level rules set it. */
  severity?: Severity;
}>;

/** Where an object came from when it was read from a manifest file (for SARIF and GitHub annotations). */
export type Origin = Readonly<{file: string; line: number}>;

export type Finding = Readonly<{
  checkId: CheckId;
  severity: Severity;
  subject: Subject | null;
  message: string;
  evidence: Evidence;
  runbook: string;
  origin?: Origin;
}>;

export type SuppressedFinding = Finding & Readonly<{suppressedBy: string}>;

/**
 * pass: ran, no findings. fail: ran, findings. skip: an input that should be there could not be read.
 * not-applicable: mesh not detected, feature not installed, or the run mode cannot have the data.
 * crash: the check threw.
 */
export type Outcome = 'pass' | 'fail' | 'skip' | 'not-applicable' | 'crash';

export type CheckMeta = Readonly<{
  id: CheckId;
  slug: string;
  title: string;
  block: Block;
  severity: Severity;
  meshes: readonly MeshName[] | 'any';
  runbook: string;
  anchor?: string;
}>;

export type CheckResult = Readonly<{
  check: CheckMeta;
  outcome: Outcome;
  reason?: string;
  findings: readonly Finding[];
  suppressed: readonly SuppressedFinding[];
  durationMs: number;
}>;

export type MeshRevision = Readonly<{
  name: string;
  version?: string;
  namespace: string;
  deployment?: string;
}>;

/** One detected mesh (docs/design.md §4). */
export type MeshInfo = Readonly<{
  name: MeshName;
  version?: string;
  /** Control-plane namespace (CPNS). */
  namespace: string;
  revisions: readonly MeshRevision[];
  /**
   * in-cluster: control plane runs here; external: managed/remote (webhook with clientConfig.url);
   * absent: proxies but no control plane found; unknown: a manifest-only run (config objects only).
   */
  controlPlane: 'in-cluster' | 'external' | 'absent' | 'unknown';
  /** Istio ambient mode detected (ztunnel or ambient namespaces). */
  ambient?: boolean;
  /** Istio root namespace (MeshConfig rootNamespace), Linkerd viz namespace, etc. */
  rootNamespace?: string;
  extensions?: Readonly<Record<string, string>>;
  /** Free-form facts worth showing (e.g. trust domain, mesh name for OSM). */
  notes?: readonly string[];
}>;

export type SourceName = 'kubernetes' | 'files' | 'snapshot' | 'metrics' | 'control-plane';

export type SourceStatus = Readonly<{
  source: SourceName;
  state: 'ok' | 'partial' | 'unavailable' | 'not-configured';
  detail?: string;
  /** When this source's data was read (ISO 8601). */
  at?: string;
}>;

export type AvailabilityState = 'ok' | 'forbidden' | 'absent' | 'error' | 'not-provided';

export type Availability = Readonly<{
  state: AvailabilityState;
  /** Human reason, e.g. "forbidden: list secrets in istio-system". */
  reason?: string;
}>;

/** A request the collector was denied (HTTP 401/403). Permissions are learnt from these; no SelfSubjectAccessReview. */
export type AccessDenial = Readonly<{
  verb: 'list' | 'get' | 'watch';
  resource: string;
  namespace?: string;
  name?: string;
  status: number;
}>;

export type RunEvent =
  | Readonly<{type: 'source-status'; status: SourceStatus}>
  | Readonly<{type: 'check-start'; checkId: CheckId}>
  | Readonly<{type: 'check-end'; result: CheckResult}>
  | Readonly<{type: 'done'; report: Report}>;

export type ReportSummary = Readonly<{
  checks: number;
  passed: number;
  failed: number;
  skipped: number;
  notApplicable: number;
  crashed: number;
  findings: Readonly<Record<Severity, number>>;
  suppressed: number;
}>;

export type Report = Readonly<{
  schemaVersion: 1;
  meshdoctorVersion: string;
  context: string | null;
  takenAt: string;
  mode: RunMode;
  meshes: readonly MeshInfo[];
  sources: readonly SourceStatus[];
  /** How the objects of each kind were evaluated; absent in reports built before it existed. */
  evaluated?: readonly KindEvaluation[];
  results: readonly CheckResult[];
  summary: ReportSummary;
}>;

/**
 * How the objects of one kind were evaluated: read from a cluster, from files that carry their status
 * (a `kubectl get -o yaml` dump), from files as written (a manifest repository), or as pod templates
 * standing for pods the files do not hold.
 */
export type ObjectMode = 'live' | 'files-with-status' | 'files' | 'templates';

export type KindEvaluation = Readonly<{kind: string; key: string; mode: ObjectMode; count: number}>;

/**
 * One cluster of a run over several kubeconfig contexts (`--context a,b`, `--all-contexts`): its
 * report, or the one-line reason it could not be read (unreachable, unauthorised). `cluster` is the
 * context name.
 */
export type ClusterReport =
  | Readonly<{cluster: string; report: Report; error?: undefined}>
  | Readonly<{cluster: string; report?: undefined; error: string}>;

/** live: a cluster; manifests: files only (--no-cluster); overlay: files on top of a cluster. */
export type RunMode = 'live' | 'manifests' | 'overlay';
