/**
 * The composition root for reading the world: a saved snapshot, manifest files alone, a live
 * cluster, or files overlaid on a live cluster. Every command that needs a snapshot goes through
 * here, so sources are wired in one place.
 */
import type {CollectionPlan} from '../snapshot/plan.js';
import type {ControlPlaneProvider, MetricsProvider} from '../snapshot/collect.js';
import {collectLive, collectManifests} from '../snapshot/collect.js';
import {decodeSnapshot, SnapshotFileError} from '../snapshot/codec.js';
import type {RawCollection} from '../snapshot/snapshot.js';
import {sanitizeLine} from '../core/sanitize.js';
import {ManifestError} from '../sources/kube/manifest-error.js';
import {objectCount, readManifests} from '../sources/kube/manifests.js';
import {CapExceeded, readFileCapped, readStreamCapped} from '../sources/limits.js';
import type {GlobalFlags} from './options.js';
import {durationFlag, meshFlag, scopeFlags, usage} from './options.js';

export type SourceFlags = GlobalFlags & {
  filename?: string[];
  /** commander's `--no-cluster` sets cluster=false. */
  cluster?: boolean;
  snapshot?: string;
  /** -v: also name the documents of the files that were passed over (on stderr). */
  verbose?: boolean;
};

export type AcquireOptions = Readonly<{
  flags: SourceFlags;
  plan: CollectionPlan;
  metrics?: MetricsProvider;
  controlPlane?: ControlPlaneProvider;
}>;

async function readStdin(): Promise<string> {
  try {
    return (await readStreamCapped(process.stdin, 'manifest', 'stdin (-f -)')).toString('utf8');
  } catch (error) {
    if (error instanceof CapExceeded) throw new ManifestError('<stdin>', 0, error.message);
    throw error;
  }
}

export async function acquire({flags, plan, metrics, controlPlane}: AcquireOptions): Promise<RawCollection> {
  const scope = scopeFlags(flags);
  const meshOverride = meshFlag(flags.mesh);
  const files = flags.filename ?? [];
  if (flags.snapshot) {
    if (files.length > 0) usage('--snapshot cannot be combined with -f');
    let text: string;
    try {
      text = readFileCapped(flags.snapshot, 'snapshot', `snapshot ${flags.snapshot}`).toString('utf8');
    } catch (error) {
      if (error instanceof CapExceeded) throw new SnapshotFileError(error.message);
      const e = error as NodeJS.ErrnoException;
      throw new SnapshotFileError(`${flags.snapshot}: cannot read snapshot (${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message})`);
    }
    const raw = decodeSnapshot(text, flags.snapshot);
    // Scope flags given now narrow or widen what the saved snapshot is evaluated on.
    return flags.namespace || flags.allNamespaces ? {...raw, scope} : raw;
  }
  const defaultNamespace = scope.mode === 'namespaces' && scope.namespaces.length === 1 ? scope.namespaces[0] : 'default';
  const manifests = files.length > 0 ? await readManifests(files, {defaultNamespace, readStdin}) : undefined;
  if (manifests) {
    if (flags.verbose) for (const d of manifests.skipped) process.stderr.write(`meshdoctor: skipped ${sanitizeLine(d.file)}:${d.line}: ${sanitizeLine(d.reason)}\n`);
    // Checking nothing must not look like a clean bill of health.
    if (objectCount(manifests) === 0) usage(`no Kubernetes objects meshdoctor reads in ${files.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}${manifests.skipped.length ? ` (${manifests.skipped.length} document(s) skipped; -v lists them)` : ''}`);
  }
  const common = {plan, scope, ...(meshOverride ? {meshOverride} : {}), ...(metrics ? {metrics} : {}), ...(controlPlane ? {controlPlane} : {})};
  if (flags.cluster === false) {
    if (!manifests) usage('--no-cluster needs manifests: pass -f FILE|DIR|-');
    return collectManifests(manifests, common);
  }
  const timeoutSeconds = durationFlag('--request-timeout', flags.requestTimeout) ?? 30;
  const {createLiveKubeSource} = await import('../sources/kube/live.js');
  const source = await createLiveKubeSource({kubeconfig: flags.kubeconfig, context: flags.context, requestTimeoutMs: timeoutSeconds * 1000});
  return collectLive({...common, source, ...(manifests ? {overlay: manifests} : {})});
}
