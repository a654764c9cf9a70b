/**
 * Figures for one realistic cluster (src/sim/realistic) served by the fixture API server in its own
 * process: bytes on the wire, collection over HTTP against `kubectl get` of the same kinds, and the
 * real CLI's wall time and peak RSS for `snapshot save`, a live `check` and `check --snapshot`, plus
 * the in-process check run against `JSON.parse` of the same snapshot (docs/design.md §8).
 */
import {execFile} from 'node:child_process';
import {existsSync, readFileSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {allChecks} from '../checks/index.js';
import {DEFAULT_OPTIONS} from '../src/core/index.js';
import {RESOURCE_TYPES} from '../src/core/resources.js';
import {runCheck} from '../src/core/runner.js';
import {collectLive} from '../src/snapshot/collect.js';
import {planFor} from '../src/snapshot/plan.js';
import type {RawCollection} from '../src/snapshot/snapshot.js';
import {Snapshot} from '../src/snapshot/snapshot.js';
import type {RealisticMesh} from '../src/sim/realistic/workloads.js';
import {createLiveKubeSource} from '../src/sources/kube/live.js';
import {cliRuns, type Measured} from './cli-run.js';
import {startClusterServer} from './cluster-server.js';
import type {Figure} from './stats.js';
import {figure, repeat, round} from './stats.js';

const execFileP = promisify(execFile);

export type ClusterSpec = Readonly<{mesh: RealisticMesh; pods: number}>;

/** Wall time and peak RSS of a CLI command, or why it did not finish. */
export type CommandFigures = Readonly<{wallMs: Figure; peakRssMB: Figure}> | Readonly<{failed: string}>;

export type ClusterFigures = {
  mesh: RealisticMesh;
  pods: number;
  objects: number;
  /** A pod's JSON: as served (with managedFields) and as kubectl prints it. */
  podKB: number;
  podKBKubectl: number;
  /** One collection of every kind the catalog reads (lists, pages, named gets). */
  wireMB: number;
  requests: number;
  collectMs: Figure;
  kubectlMs?: Figure;
  collectVsKubectl?: number;
  snapshotMB: number;
  snapshotSave: CommandFigures;
  /** `snapshot save --full` (whole objects), once, at up to 10k pods: what projection saves. */
  snapshotFullMB?: number;
  snapshotSaveFull?: CommandFigures;
  checkLive: CommandFigures;
  checkSnapshot: CommandFigures;
  /** In-process, over the saved snapshot (absent when snapshot save failed). */
  jsonParseMs?: Figure;
  snapshotBuildMs?: Figure;
  checkRunMs?: Figure;
  checkRunVsParse?: number;
};

function runAllChecks(snap: Snapshot): number {
  const now = new Date(snap.takenAt);
  const started = performance.now();
  for (const c of allChecks) runCheck(c, snap, {now, options: DEFAULT_OPTIONS}, allChecks);
  return performance.now() - started;
}

const mb = (bytes: number) => round(bytes / 1e6);
function pair(m: Measured): CommandFigures {
  if ('failed' in m) return m;
  return {wallMs: figure(m.runs.map((r) => r.ms), 'ms'), peakRssMB: figure(m.runs.map((r) => r.rssMB), 'MB')};
}

export async function measureCluster(spec: ClusterSpec, tmp: string, runs: number, log: (line: string) => void): Promise<ClusterFigures> {
  const server = await startClusterServer({mesh: spec.mesh, pods: spec.pods});
  log(`  served ${server.objects} objects (generated in ${Math.round(server.generatedMs)} ms)`);
  try {
    const plan = planFor(allChecks, {kinds: ['events']});
    const collect = async () => {
      const source = await createLiveKubeSource({kubeconfig: server.kubeconfig});
      const t = performance.now();
      const raw = await collectLive({source, plan, scope: {mode: 'meshed'}});
      return {ms: performance.now() - t, raw};
    };
    await server.reset();
    const first = await collect();
    const wire = await server.served();
    const servedKinds = Object.entries(first.raw.availability).filter(([k, a]) => a.state === 'ok' && k !== 'secrets' && k !== 'configmaps').map(([k]) => k);
    first.raw = undefined as unknown as RawCollection;
    const collectMs = await repeat(runs, async () => (await collect()).ms);
    log(`  collection: ${mb(wire.bytes)} MB in ${wire.requests} requests`);

    // kubectl of the same kinds (everything the collection listed), paginated like ours.
    let kubectlMs: Figure | undefined;
    if (spec.pods <= 10_000) {
      const kinds = servedKinds.filter((k) => RESOURCE_TYPES.some((t) => t.key === k)).join(',');
      kubectlMs = figure(await repeat(Math.min(runs, 3), async () => {
        const t = performance.now();
        await execFileP('kubectl', ['--kubeconfig', server.kubeconfig, 'get', kinds, '-A', '-o', 'json', '--chunk-size=500'], {maxBuffer: 1 << 30});
        return performance.now() - t;
      }), 'ms');
    }

    // Prometheus and istiod found and reached through the cluster, as on a real one.
    const common = ['--kubeconfig', server.kubeconfig];
    const file = join(tmp, `snapshot-${spec.mesh}-${spec.pods}.json`);
    const save = await cliRuns(runs, ['snapshot', 'save', file, ...common]);
    if ('failed' in save) {
      // Without the snapshot, what replays it cannot be measured; save one without keeping figures.
      log(`  snapshot save failed: ${save.failed}`);
    }
    const snapshotBytes = existsSync(file) ? statSync(file).size : 0;
    log(`  snapshot save: ${mb(snapshotBytes)} MB`);
    let full: {mb: number; save: CommandFigures} | undefined;
    if (spec.pods <= 10_000) {
      const fullFile = join(tmp, `snapshot-full-${spec.mesh}-${spec.pods}.json`);
      const saveFull = await cliRuns(1, ['snapshot', 'save', fullFile, ...common, '--full']);
      full = {mb: existsSync(fullFile) ? mb(statSync(fullFile).size) : 0, save: pair(saveFull)};
      rmSync(fullFile, {force: true});
      log(`  snapshot save --full: ${full.mb} MB`);
    }
    const out = join(tmp, 'report.json');
    const live = await cliRuns(runs, ['check', ...common, '-o', 'json', '--output-file', out], [0, 1]);
    const fromFile: Measured = snapshotBytes ? await cliRuns(runs, ['check', '--snapshot', file, '-o', 'json', '--output-file', out], [0, 1]) : {failed: 'no snapshot to replay'};

    const parse: number[] = [];
    const build: number[] = [];
    const check: number[] = [];
    if (snapshotBytes) {
      const json = readFileSync(file, 'utf8');
      parse.push(...await repeat(runs, () => {
        const t = performance.now();
        JSON.parse(json);
        return performance.now() - t;
      }));
      check.push(...await repeat(runs, () => {
        const parsed = JSON.parse(json) as RawCollection;
        const t = performance.now();
        const snap = new Snapshot(parsed);
        build.push(performance.now() - t);
        return runAllChecks(snap);
      }));
    }
    rmSync(file, {force: true});

    const jsonParseMs = parse.length ? figure(parse, 'ms') : undefined;
    const checkRunMs = check.length ? figure(check, 'ms') : undefined;
    const collectFigure = figure(collectMs, 'ms');
    return {
      mesh: spec.mesh,
      pods: spec.pods,
      objects: server.objects,
      podKB: round(server.podBytes / 1000),
      podKBKubectl: round(server.podBytesKubectl / 1000),
      wireMB: mb(wire.bytes),
      requests: wire.requests,
      collectMs: collectFigure,
      ...(kubectlMs ? {kubectlMs, collectVsKubectl: round(collectFigure.median / kubectlMs.median)} : {}),
      snapshotMB: mb(snapshotBytes),
      snapshotSave: pair(save),
      ...(full ? {snapshotFullMB: full.mb, snapshotSaveFull: full.save} : {}),
      checkLive: pair(live),
      checkSnapshot: pair(fromFile),
      ...(jsonParseMs && checkRunMs ? {jsonParseMs, snapshotBuildMs: figure(build, 'ms'), checkRunMs, checkRunVsParse: round(checkRunMs.median / jsonParseMs.median)} : {}),
    };
  } finally {
    await server.stop();
  }
}
