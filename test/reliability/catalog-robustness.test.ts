/**
 * Property: no object shape kubectl or a file can produce makes any check of the catalog crash.
 *
 * Worlds are the valid clusters of the fixtures (the healthy acceptance clusters, plus for every kind
 * they lack the smallest fixture holding it) and the demo scenarios. Each case mutates one to three
 * objects of one world the ways real YAML goes wrong — a field nulled or dropped, a type swapped, an
 * empty, huge or unicode string, a non-finite number — builds the snapshot (live or manifest mode),
 * runs every registered check (including ones added after this test was written) and renders the
 * report. It asserts: no check crashes, nothing throws, and the exit code is 0 or 1 as documented.
 * A failure names the check, the object and the mutation; fast-check shrinks it to the smallest.
 *
 * Fixed seed (reproducible in CI); MESHDOCTOR_ROBUSTNESS_RUNS and MESHDOCTOR_ROBUSTNESS_SEED explore further
 * locally. No timing is asserted: the time limit only stops a hung run.
 */
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {exitCodeForReport} from '../../src/cli/exit-codes.js';
import type {KubeObject, RunMode} from '../../src/core/index.js';
import {DEFAULT_OPTIONS, RESOURCE_TYPES, resourceTypeFor, subjectKey, subjectOf} from '../../src/core/index.js';
import {buildReport} from '../../src/core/report.js';
import {runChecks} from '../../src/core/runner.js';
import {renderJson} from '../../src/presenters/json.js';
import {renderText} from '../../src/presenters/text.js';
import {loadScenario, scenarioNames} from '../../src/sim/demo/scenario.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import {clusterText} from '../helpers/catalog.js';
import {FIXTURE_ROOT, loadFixture, parseHeader} from '../helpers/fixtures.js';
import {rawOf} from '../helpers/snapshot-builder.js';

const SEED = Number(process.env.MESHDOCTOR_ROBUSTNESS_SEED ?? 1414);
const RUNS = Number(process.env.MESHDOCTOR_ROBUSTNESS_RUNS ?? 300);
const now = new Date('2026-11-22T12:00:00Z');

/** Objects with the resource key their source listed them under (a mutated `kind` does not move them). */
type Keyed = Readonly<{key: string; object: KubeObject}>;
type World = Readonly<{name: string; objects: readonly Keyed[]}>;

function keyed(objects: readonly KubeObject[]): Keyed[] {
  return objects.flatMap((object) => {
    const key = resourceTypeFor(object.apiVersion, object.kind)?.key;
    return key ? [{key, object}] : [];
  });
}
const worlds: World[] = [];

async function fixtureObjects(text: string, name: string): Promise<KubeObject[]> {
  const file = join(FIXTURE_ROOT, name);
  const loaded = await loadFixture({file, slug: 'robustness', block: '_', header: {...parseHeader(text, file), includes: []}}, now);
  return Object.values(loaded.raw.objects).flat() as KubeObject[];
}

/** For each kind no healthy cluster holds, the smallest fixture file that holds one. */
function fixturesForMissingKinds(have: ReadonlySet<string>): string[] {
  const files: {path: string; text: string}[] = [];
  for (const block of readdirSync(FIXTURE_ROOT)) {
    if (block.startsWith('_') || block.includes('.')) continue;
    for (const f of readdirSync(join(FIXTURE_ROOT, block))) if (f.endsWith('.yaml')) files.push({path: join(block, f), text: readFileSync(join(FIXTURE_ROOT, block, f), 'utf8')});
  }
  files.sort((a, b) => a.text.length - b.text.length || a.path.localeCompare(b.path));
  const chosen = new Set<string>();
  for (const t of RESOURCE_TYPES) {
    if (have.has(t.key)) continue;
    const group = t.group ? `apiVersion: ${t.group}/` : 'apiVersion: v1\n';
    const hit = files.find((f) => f.text.includes(`kind: ${t.kind}\n`) && f.text.includes(group));
    if (hit) chosen.add(hit.path);
  }
  return [...chosen].sort();
}

beforeAll(async () => {
  const healthy: [string, string[]][] = [
    ['istio-shop', ['_base/istio.yaml', '_base/istio-shop.yaml']],
    ['bookinfo', ['_base/bookinfo.yaml']],
    ['linkerd emojivoto', ['_base/linkerd-healthy.yaml', '_base/emojivoto.yaml']],
    ['consul', ['_base/consul-healthy.yaml']],
    ['osm bookstore', ['_base/osm-bookstore.yaml']],
  ];
  for (const [name, files] of healthy) worlds.push({name, objects: keyed(await fixtureObjects(clusterText(...files), files[0]))});
  for (const scenario of scenarioNames()) {
    const world = await buildWorld(loadScenario(scenario), {clock: {now: () => now.getTime()}});
    worlds.push({name: `demo ${scenario}`, objects: keyed(world.objects)});
  }
  const have = new Set(worlds.flatMap((w) => w.objects.map((o) => o.key)));
  for (const path of fixturesForMissingKinds(have)) {
    const text = readFileSync(join(FIXTURE_ROOT, path), 'utf8');
    const base = parseHeader(text, path).includes.map((inc) => readFileSync(join(FIXTURE_ROOT, inc), 'utf8'));
    worlds.push({name: `fixture ${path}`, objects: keyed(await fixtureObjects([...base, text].join('\n---\n'), path))});
  }
}, 120_000);

// ── mutations ───────────────────────────────────────────────────────────────────────────────────
type Path = readonly (string | number)[];

const OPS = [
  'null', 'delete', 'empty-string', 'huge-string', 'unicode', 'control-chars', 'zero', 'negative', 'huge-number',
  'infinity', 'boolean', 'empty-list', 'empty-map', 'string-for-structure', 'list-for-map', 'map-for-list', 'number-as-string',
] as const;
type Op = (typeof OPS)[number];

const HUGE = 'x'.repeat(200_000);
const UNICODE = 'ünïcödé-服务-\u202eevil\u202c-🚀-\u0301';

function replacement(op: Op, current: unknown): unknown {
  switch (op) {
    case 'null': return null;
    case 'empty-string': return '';
    case 'huge-string': return HUGE;
    case 'unicode': return typeof current === 'string' ? `${current}${UNICODE}` : UNICODE;
    case 'control-chars': return '\u001b[2J\u0007\u0000line\nbreak';
    case 'zero': return 0;
    case 'negative': return -1;
    case 'huge-number': return 1e21;
    case 'infinity': return Number.POSITIVE_INFINITY; // YAML `.inf`
    case 'boolean': return true;
    case 'empty-list': return [];
    case 'empty-map': return {};
    case 'string-for-structure': return 'oops';
    case 'list-for-map': return Array.isArray(current) ? current : [current ?? 'x'];
    case 'map-for-list': return Array.isArray(current) ? Object.fromEntries(current.map((v, i) => [String(i), v])) : {value: current};
    case 'number-as-string': return typeof current === 'number' ? String(current) : '8080';
    case 'delete': return undefined;
  }
}

/** Every path inside an object (not the root), in document order. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...prefix, i]); pathsOf(v, [...prefix, i], out); });
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push([...prefix, k]); pathsOf(v, [...prefix, k], out); }
  return out;
}

function mutate(obj: KubeObject, path: Path, op: Op): KubeObject {
  const copy = structuredClone(obj) as unknown as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const value = replacement(op, parent[last]);
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = value;
  }
  return copy as unknown as KubeObject;
}

const pathText = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');

type Mutation = Readonly<{object: number; path: number; op: Op}>;
const mutationArb = fc.record({object: fc.nat(), path: fc.nat(), op: fc.constantFrom(...OPS)});

/** Apply the mutations; returns the new objects and a description of each (`Kind ns/name: path → op`). */
function applyMutations(world: World, mutations: readonly Mutation[]): {objects: Keyed[]; described: string[]} {
  const objects = [...world.objects];
  const described: string[] = [];
  for (const m of mutations) {
    const i = m.object % objects.length;
    const target = objects[i];
    const paths = pathsOf(target.object);
    if (paths.length === 0) continue;
    const path = paths[m.path % paths.length];
    objects[i] = {key: target.key, object: mutate(target.object, path, m.op)};
    described.push(`${subjectKey(subjectOf(world.objects[i].object))}: ${pathText(path)} → ${m.op}`);
  }
  return {objects, described};
}

/** Build, run, render; throws an error naming check, object and mutation on any crash. */
function runWorld(objects: readonly Keyed[], mode: RunMode, described: readonly string[], worldName: string): number {
  const context = `world ${worldName} (${mode}); mutations: ${described.join('; ') || 'none'}`;
  let code: number;
  try {
    const byKey: Record<string, KubeObject[]> = {};
    for (const o of objects) (byKey[o.key] ??= []).push(o.object);
    const raw = rawOf([], {mode, takenAt: now.toISOString(), objects: byKey});
    const snap = buildSnapshot(raw);
    const run = runChecks(allChecks, snap, {now, options: DEFAULT_OPTIONS});
    let step = run.next();
    while (!step.done) step = run.next();
    const report = buildReport({meshdoctorVersion: 'test', context: null, takenAt: snap.takenAt, mode: snap.mode, meshes: snap.meshes, sources: snap.sources}, step.value);
    renderText(report, {verbose: true});
    renderJson(report);
    const crashed = step.value.filter((r) => r.outcome === 'crash').map((r) => r.reason);
    if (crashed.length > 0) throw new Error(`${crashed.join('\n')}\n  ${context}`);
    code = exitCodeForReport(report, 'error', false);
  } catch (error) {
    if (error instanceof Error && error.message.includes(context)) throw error;
    throw new Error(`escaped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n  ${context}`);
  }
  return code;
}

describe('every check over mutated real-world objects', () => {
  test('the unmutated worlds run without a crash in both modes', () => {
    expect(worlds.length).toBeGreaterThan(8);
    for (const w of worlds) for (const mode of ['live', 'manifests'] as const) expect([0, 1]).toContain(runWorld(w.objects, mode, [], w.name));
  });

  test(`no check crashes and nothing escapes (property, seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom<RunMode>('live', 'manifests'), fc.array(mutationArb, {minLength: 1, maxLength: 3}), (w, mode, mutations) => {
        const world = worlds[w % worlds.length];
        const {objects, described} = applyMutations(world, mutations);
        expect([0, 1]).toContain(runWorld(objects, mode, described, world.name));
      }),
      {seed: SEED, numRuns: RUNS},
    );
  }, 600_000 + RUNS * 200);
});
