/**
 * The composition root for reading the world: a saved snapshot, manifest files alone, a live
 * cluster, or files overlaid on a live cluster. Every command that needs a snapshot goes through
 * here, so sources are wired in one place.
 */
import type {CollectionPlan} from '../snapshot/plan.js';
import type {ControlPlaneProvider, MetricsProvider} from '../snapshot/collect.js';
import {collectLive, collectManifests} from '../snapshot/collect.js';
import {decodeSnapshot, SnapshotFileError} from '../snapshot/codec.js';
import type {ObjectDetail, RawCollection} from '../snapshot/snapshot.js';
import {sanitizeLine} from '../core/sanitize.js';
import {ManifestError} from '../sources/kube/manifest-error.js';
import {objectCount, readManifests} from '../sources/kube/manifests.js';
import {CapExceeded, readStreamCapped, readTextFileCapped} from '../sources/limits.js';
import {usage} from './options.js';
import type {Settings} from './settings.js';

/** What a command reads: `-f` files, whether a cluster is read (`--no-cluster` turns it off), or a saved `--snapshot`. */
export type WorldInput = Readonly<{
  files?: readonly string[];
  cluster: boolean;
  snapshot?: string;
  /** `-v`: also name the documents of the files that were passed over (on stderr). */
  verbose?: boolean;
}>;

/** The source flags of `check`, `describe`, `snapshot save` (commander's `--no-cluster` sets cluster=false). */
export type SourceFlags = {
  filename?: string[];
  cluster?: boolean;
  snapshot?: string;
  /** -v: also name the documents of the files that were passed over (on stderr). */
  verbose?: boolean;
};

/** `-f`/`--no-cluster`/`--snapshot` → what to read; contradictions are usage errors (exit 2). */
export function worldInput(flags: SourceFlags): WorldInput {
  const files = flags.filename ?? [];
  if (flags.snapshot !== undefined && files.length > 0) usage('--snapshot cannot be combined with -f');
  return {files, cluster: flags.cluster !== false, ...(flags.snapshot !== undefined ? {snapshot: flags.snapshot} : {}), ...(flags.verbose ? {verbose: true} : {})};
}

export type AcquireOptions = Readonly<{
  settings: Pick<Settings, 'cluster' | 'scope' | 'scopeGiven' | 'meshOverride'>;
  input: WorldInput;
  plan: CollectionPlan;
  metrics?: MetricsProvider;
  controlPlane?: ControlPlaneProvider;
  /** What of each collected object to keep: what checks read (default) or everything. A snapshot file gives what it holds. */
  objectDetail?: ObjectDetail;
}>;

async function readStdin(): Promise<string> {
  try {
    return (await readStreamCapped(process.stdin, 'manifest', 'stdin (-f -)')).toString('utf8');
  } catch (error) {
    if (error instanceof CapExceeded) throw new ManifestError('<stdin>', 0, error.message);
    throw error;
  }
}

export async function acquire({settings, input, plan, metrics, controlPlane, objectDetail}: AcquireOptions): Promise<RawCollection> {
  const {scope, meshOverride} = settings;
  const files = input.files ?? [];
  if (input.snapshot !== undefined) {
    const file = input.snapshot;
    let text: string;
    try {
      text = readTextFileCapped(file, 'snapshot', `snapshot ${file}`);
    } catch (error) {
      if (error instanceof CapExceeded) throw new SnapshotFileError(error.message);
      const e = error as NodeJS.ErrnoException;
      throw new SnapshotFileError(`${file}: cannot read snapshot (${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message})`);
    }
    const raw = decodeSnapshot(text, file);
    // Scope flags given now narrow or widen what the saved snapshot is evaluated on.
    return settings.scopeGiven ? {...raw, scope} : raw;
  }
  const defaultNamespace = scope.mode === 'namespaces' && scope.namespaces.length === 1 ? scope.namespaces[0] : 'default';
  const manifests = files.length > 0 ? await readManifests(files, {defaultNamespace, readStdin}) : undefined;
  if (manifests) {
    if (input.verbose) for (const d of manifests.skipped) process.stderr.write(`meshdoctor: skipped ${sanitizeLine(d.file)}:${d.line}: ${sanitizeLine(d.reason)}\n`);
    // Checking nothing must not look like a clean bill of health.
    if (objectCount(manifests) === 0) usage(`no Kubernetes objects meshdoctor reads in ${files.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}${manifests.skipped.length ? ` (${manifests.skipped.length} document(s) skipped; -v lists them)` : ''}`);
  }
  const common = {plan, scope, ...(objectDetail ? {objectDetail} : {}), ...(meshOverride ? {meshOverride} : {}), ...(metrics ? {metrics} : {}), ...(controlPlane ? {controlPlane} : {})};
  if (!input.cluster) {
    if (!manifests) usage('--no-cluster needs manifests: pass -f FILE|DIR|-');
    return collectManifests(manifests, common);
  }
  const {createLiveKubeSource} = await import('../sources/kube/live.js');
  const source = await createLiveKubeSource(settings.cluster);
  return collectLive({...common, source, ...(manifests ? {overlay: manifests} : {})});
}
