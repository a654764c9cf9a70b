// Quick per-check timing over a realistic cluster (development aid; `npm run bench` is the real harness).
// node dist/bench/probe-checks.js [pods] [istio|linkerd]
import {allChecks} from '../checks/index.js';
import {DEFAULT_OPTIONS, RESOURCE_TYPES, resourceTypeFor} from '../src/core/index.js';
import {runCheck} from '../src/core/runner.js';
import {realisticCluster} from '../src/sim/realistic/cluster.js';
import {emptyCollection, Snapshot} from '../src/snapshot/snapshot.js';

const pods = Number(process.argv[2] ?? 10000);
const objects = await realisticCluster({pods, faultShare: 0.01, mesh: (process.argv[3] as 'istio' | 'linkerd') ?? 'istio'});
const byKey: Record<string, unknown[]> = {};
for (const o of objects) (byKey[resourceTypeFor(o.apiVersion, o.kind)!.key] ??= []).push(o);
const availability = Object.fromEntries(RESOURCE_TYPES.map((t) => [t.key, {state: 'ok' as const}]));
const raw = emptyCollection({objects: byKey as never, availability, scope: {mode: 'all'}});
const json = JSON.stringify(raw);
let t = performance.now();
JSON.parse(json);
const parseMs = performance.now() - t;
t = performance.now();
const snap = new Snapshot(JSON.parse(json));
const buildMs = performance.now() - t;
const rows: [string, number, string, number][] = [];
t = performance.now();
for (const c of allChecks) {
  const s = performance.now();
  const r = runCheck(c, snap, {now: new Date(), options: DEFAULT_OPTIONS});
  rows.push([c.id, performance.now() - s, r.outcome, r.findings.length]);
}
const total = performance.now() - t;
rows.sort((a, b) => b[1] - a[1]);
console.log(`objects ${objects.length}, json ${(json.length / 1e6).toFixed(1)} MB, JSON.parse ${parseMs.toFixed(0)} ms, snapshot build ${buildMs.toFixed(0)} ms, checks ${total.toFixed(0)} ms`);
for (const r of rows.slice(0, 12)) console.log(r[0], r[1].toFixed(1), 'ms', r[2], r[3]);
