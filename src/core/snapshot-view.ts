/**
 * What the runner needs from a snapshot. The snapshot module implements it; core depends only on
 * this interface so that it imports nothing internal.
 */
import type {ObjectReader, ScopeView, WorkloadIndex, NamedInput, FactReader} from './check.js';
import type {KubeObject} from './kube-types/index.js';
import type {ResourceKey} from './resources.js';
import type {SignalSet} from './signals.js';
import type {AccessDenial, Availability, KindEvaluation, MeshInfo, Origin, RunMode, SourceStatus, Subject} from './types.js';

export interface SnapshotView {
  readonly takenAt: string;
  readonly context: string | null;
  readonly mode: RunMode;
  readonly meshes: readonly MeshInfo[];
  readonly objects: ObjectReader;
  readonly workloads: WorkloadIndex;
  readonly scope: ScopeView;
  readonly accessDenials: readonly AccessDenial[];
  readonly sources: readonly SourceStatus[];
  /** Metric signals; undefined when no metrics source ran (manifest runs, metrics not configured). */
  readonly signals: SignalSet | undefined;
  /** Why metrics are missing or partial, when they are. */
  readonly metricsStatus: SourceStatus;
  readonly facts: FactReader;
  /** Namespaces a named input resolves to in this snapshot. */
  namespacesFor(input: NamedInput): readonly string[];
  /** Whether a named Secret/ConfigMap fetch in a namespace was possible (a missing object is data, not an availability problem). */
  namedAvailability(kind: NamedInput['kind'], namespace: string): Availability;
  /** The object a subject names, when the snapshot holds it. */
  objectFor(subject: Subject): KubeObject | undefined;
  /** File and line an object came from, for -f runs. */
  originOf(subject: Subject): Origin | undefined;
  /** How the objects of each kind were evaluated (report header). */
  readonly evaluated: readonly KindEvaluation[];
  /**
   * Whether objects of a kind are as the cluster had them: always in a live run; in files, for kinds
   * with a status when some object has one, for other kinds when the files are a dump (some kind has status).
   */
  hasState(key: ResourceKey): boolean;
}
