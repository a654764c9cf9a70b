/**
 * Many clusters (issue 20): `meshdoctor check --all-contexts` over 10 contexts of 1,000 realistic
 * Istio pods each, against the slowest of the same clusters checked alone (the target:
 * within 2×), and against checking them one after another. Each cluster is the bench's realistic
 * cluster (src/sim/realistic: real-sized injected pods, their controllers, Services, mesh config;
 * Prometheus and istiod reached through the cluster) served by its own process (cluster-server.ts),
 * as ten API servers are ten machines — though here they share this machine's cores with the CLI.
 *
 * `node dist/bench/contexts.js` runs it alone; `npm run bench` includes it.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse, stringify} from 'yaml';
import {CONTEXT_CONCURRENCY} from '../src/cli/contexts.js';
import {cliRuns} from './cli-run.js';
import type {ClusterServer} from './cluster-server.js';
import {startClusterServer} from './cluster-server.js';
import type {Figure} from './stats.js';
import {figure, fmt, round} from './stats.js';

export type ContextsFigures = Readonly<{
  clusters: number;
  podsEach: number;
  concurrency: number;
  /** Each cluster checked alone (median of its runs), in context order. */
  singleMs: readonly number[];
  slowestSingleMs: number;
  /** The clusters one after another: what a loop over `check --context X` takes. */
  sumOfSinglesMs: number;
  allContextsMs: Figure;
  allContextsPeakRssMB: Figure;
  /** check --all-contexts / the slowest single cluster (the target: ≤ 2). */
  vsSlowest: number;
}>;

async function medianMs(runs: number, args: readonly string[]): Promise<Figure & {rss: Figure}> {
  const r = await cliRuns(runs, args, [0, 1]);
  if ('failed' in r) throw new Error(`meshdoctor ${args.join(' ')}: ${r.failed}`);
  return {...figure(r.runs.map((x) => x.ms), 'ms'), rss: figure(r.runs.map((x) => x.rssMB), 'MB')};
}

export async function contextsFigures(log: (line: string) => void, options: {clusters?: number; pods?: number; runs?: number} = {}): Promise<ContextsFigures> {
  const n = options.clusters ?? 10;
  const pods = options.pods ?? 1000;
  const runs = options.runs ?? 3;
  const tmp = mkdtempSync(join(tmpdir(), 'md-bench-contexts-'));
  const servers: ClusterServer[] = [];
  try {
    for (let i = 0; i < n; i++) servers.push(await startClusterServer({mesh: 'istio', pods, seed: 1000 + i, context: `fleet-${String(i).padStart(2, '0')}`}));
    // One kubeconfig with every cluster, as a platform team's has.
    const docs = servers.map((s) => parse(readFileSync(s.kubeconfig, 'utf8')) as Record<string, unknown[]>);
    const kubeconfig = join(tmp, 'fleet');
    writeFileSync(kubeconfig, stringify({apiVersion: 'v1', kind: 'Config', 'current-context': servers[0].context, clusters: docs.flatMap((d) => d.clusters), users: docs.flatMap((d) => d.users), contexts: docs.flatMap((d) => d.contexts)}));
    const common = ['--kubeconfig', kubeconfig, '-o', 'json', '--output-file', join(tmp, 'report.json')];
    const singleMs: number[] = [];
    for (const s of servers) singleMs.push((await medianMs(runs, ['check', '--context', s.context, ...common])).median);
    const all = await medianMs(runs, ['check', '--all-contexts', ...common]);
    const {rss, ...allContextsMs} = all;
    const slowestSingleMs = Math.max(...singleMs);
    const result: ContextsFigures = {
      clusters: n, podsEach: pods, concurrency: CONTEXT_CONCURRENCY,
      singleMs: singleMs.map(round), slowestSingleMs: round(slowestSingleMs), sumOfSinglesMs: round(singleMs.reduce((a, b) => a + b, 0)),
      allContextsMs, allContextsPeakRssMB: rss, vsSlowest: round(allContextsMs.median / slowestSingleMs),
    };
    log(`  check --context NAME, each alone      slowest ${result.slowestSingleMs} ms; one after another ${result.sumOfSinglesMs} ms`);
    log(`  check --all-contexts (${CONTEXT_CONCURRENCY} at once)        ${fmt(allContextsMs)}, peak RSS ${fmt(rss)} = ${result.vsSlowest}× the slowest single cluster`);
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, {recursive: true, force: true});
  }
}

if (process.argv[1]?.endsWith('contexts.js')) {
  const n = Number(process.env.MESHDOCTOR_BENCH_CONTEXTS_N) || 10;
  const pods = Number(process.env.MESHDOCTOR_BENCH_CONTEXTS_PODS) || 1000;
  console.log(`check over ${n} contexts × ${pods} realistic Istio pods`);
  await contextsFigures((line) => console.log(line), {clusters: n, pods});
}
