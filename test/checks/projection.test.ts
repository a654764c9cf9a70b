/**
 * Keeping only what checks read is safe (issue 20): the whole catalog, run on the objects of every
 * fixture, upstream sample and install, demo scenario and realistic bench cluster, gives exactly the
 * same results — outcomes, reasons, findings with their messages and evidence, suppressions — when
 * the objects are first reduced to what their kinds' shapes declare (src/snapshot/project.ts) as when
 * they are whole; so does what `describe` and the TUI's workload view show of every Istio pod. A
 * check that starts reading a field no shape declares fails here: declare the
 * field (in the type and the shape) rather than widening the projection.
 */
import {readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import type {CheckResult, KubeObject, ResolvedOptions} from '../../src/core/index.js';
import type {SuppressionRule} from '../../src/core/suppress.js';
import {DEFAULT_OPTIONS, RESOURCE_TYPES, resourceTypeFor} from '../../src/core/index.js';
import {runCheck} from '../../src/core/runner.js';
import {subjectOf} from '../../src/core/subjects.js';
import {describeIstio} from '../../src/mesh/istio/describe.js';
import {proxyMeshes} from '../../src/mesh/markers.js';
import {collectManifests} from '../../src/snapshot/collect.js';
import {planFor} from '../../src/snapshot/plan.js';
import {projectCollection} from '../../src/snapshot/project.js';
import type {RawCollection} from '../../src/snapshot/snapshot.js';
import {buildSnapshot, emptyCollection} from '../../src/snapshot/snapshot.js';
import {loadScenario, scenarioNames} from '../../src/sim/demo/scenario.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {realisticCluster} from '../../src/sim/realistic/cluster.js';
import {readManifests} from '../../src/sources/kube/manifests.js';
import {listFixtures, loadFixture} from '../helpers/fixtures.js';

const NOW = new Date();

type World = Readonly<{raw: RawCollection; options?: ResolvedOptions; suppress?: readonly SuppressionRule[]}>;

/** What a result says, all of it: the comparison is on everything a report would show. */
function said(r: CheckResult): unknown {
  return {id: r.check.id, outcome: r.outcome, reason: r.reason ?? null, findings: r.findings, suppressed: r.suppressed};
}

function catalog(world: World, raw: RawCollection): unknown[] {
  const snapshot = buildSnapshot(raw);
  return allChecks.map((c) => said(runCheck(c, snapshot, {now: NOW, options: world.options ?? DEFAULT_OPTIONS, suppressions: world.suppress ?? []}, allChecks)));
}

/** What `describe pod` and the TUI's workload view show for every Istio-injected pod. */
function descriptions(raw: RawCollection): unknown[] {
  const snapshot = buildSnapshot(raw);
  const istio = snapshot.meshes.find((m) => m.name === 'istio');
  if (!istio) return [];
  const opts = {clusterDomain: DEFAULT_OPTIONS.clusterDomain, rootNamespace: istio.rootNamespace ?? istio.namespace ?? 'istio-system'};
  return snapshot.objects.list('pods').filter((p) => proxyMeshes(p).includes('istio')).map((p) => describeIstio(snapshot.objects, subjectOf(p), [p], opts));
}

async function expectSameResults(world: World): Promise<void> {
  const full = catalog(world, world.raw);
  const projected = projectCollection(world.raw);
  expect(projected.objectDetail).toBe('checks');
  const keptBytes = JSON.stringify(projected.objects).length;
  expect(keptBytes).toBeLessThanOrEqual(JSON.stringify(world.raw.objects).length);
  const kept = catalog(world, projected);
  // Name the checks that differ, with both results, rather than two arrays of 123.
  const differ = full.flatMap((r, i) => (JSON.stringify(r) === JSON.stringify(kept[i]) ? [] : [{whole: r, projected: kept[i]}]));
  expect(differ).toEqual([]);
  expect(descriptions(projected)).toEqual(descriptions(world.raw));
}

/** A live collection of loose objects: every kind read, no metric series recorded. */
function liveRaw(objects: readonly KubeObject[]): RawCollection {
  const byKey: Record<string, KubeObject[]> = {};
  for (const o of objects) (byKey[resourceTypeFor(o.apiVersion, o.kind)!.key] ??= []).push(structuredClone(o));
  return emptyCollection({
    objects: byKey, availability: Object.fromEntries(RESOURCE_TYPES.map((t) => [t.key, {state: 'ok' as const}])), context: 'projection', takenAt: NOW.toISOString(),
    signals: {source: 'recorded', at: NOW.toISOString(), window: '1m', windowSeconds: 60, signals: {}},
    metricsStatus: {source: 'metrics', state: 'ok', detail: 'test: no series recorded'},
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

describe('the catalog on projected objects gives the results it gives on whole ones', () => {
  test.each(listFixtures().map((f) => [relative(process.cwd(), f.file), f] as const))('fixture %s', async (_name, fixture) => {
    const loaded = await loadFixture(fixture, NOW);
    await expectSameResults({raw: loaded.raw, ...(loaded.options ? {options: loaded.options} : {}), suppress: loaded.suppress});
  });

  test.each(['upstream', 'installs'])('%s manifests, checked as files', async (dir) => {
    for (const file of yamlFiles(join(FIXTURES, dir))) {
      const set = await readManifests([file], {defaultNamespace: 'default'});
      const raw = await collectManifests(set, {plan: planFor(allChecks), scope: {mode: 'meshed'}, now: () => NOW});
      await expectSameResults({raw});
    }
  });

  test.each(scenarioNames())('demo scenario %s', async (name) => {
    const world = await buildWorld(loadScenario(name));
    await expectSameResults({raw: liveRaw(world.objects)});
  });

  test.each(['istio', 'linkerd'] as const)('realistic %s bench cluster', async (mesh) => {
    await expectSameResults({raw: liveRaw(await realisticCluster({pods: 60, mesh, faultShare: 0.3, podsPerService: 6, now: NOW}))});
  });
});
