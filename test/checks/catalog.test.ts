/**
 * Meta-tests over the catalog (Istio's registry tests, linkerd's hint anchors): what must be true of
 * every check so that the catalog stays consistent as it grows.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {retiredChecks} from '../../checks/retired.js';
import {BLOCK_DIGIT, declaredFacts, declaredKinds, declaredSignals} from '../../src/core/index.js';
import {runbookPath} from '../../src/core/runner.js';
import {parseRunbook, SECTIONS} from '../../src/runbooks/parse.js';
import {listFixtures} from '../helpers/fixtures.js';
import {runFixture} from '../helpers/run-fixture.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = listFixtures();

describe('the catalog', () => {
  test('ids are unique, MD + 4 digits, and in their block', () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of allChecks) {
      expect(c.id).toMatch(/^MD\d{4}$/);
      expect(c.id[2], `${c.id} is in block ${c.block}`).toBe(BLOCK_DIGIT[c.block]);
    }
  });

  test('slugs are unique across the catalog and name the check file', () => {
    const slugs = allChecks.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const c of allChecks) expect(existsSync(join(root, 'checks', c.block, `${c.slug}.ts`)), `checks/${c.block}/${c.slug}.ts`).toBe(true);
  });

  test('retired ids and slugs are never reused', () => {
    for (const r of retiredChecks) {
      expect(allChecks.some((c) => c.id === r.id || c.slug === r.slug), `${r.id} ${r.slug} is retired`).toBe(false);
    }
  });

  test('the registry is sorted by id and lists every check file', () => {
    const ids = allChecks.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    const files = readdirSync(join(root, 'checks'), {withFileTypes: true})
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(root, 'checks', d.name)).filter((f) => f.endsWith('.ts')).map((f) => `${d.name}/${f.slice(0, -3)}`));
    expect(files.sort()).toEqual(allChecks.map((c) => `${c.block}/${c.slug}`).sort());
  });
});

describe('runbooks', () => {
  test('every check has a runbook whose front matter names it, with the four sections in order', () => {
    for (const c of allChecks) {
      const path = join(root, runbookPath(c));
      expect(existsSync(path), `${runbookPath(c)} is missing`).toBe(true);
      const rb = parseRunbook(readFileSync(path, 'utf8'), runbookPath(c));
      expect(rb.front.check, runbookPath(c)).toBe(c.id);
      expect(rb.front.severity, runbookPath(c)).toBe(c.severity);
      expect(rb.front.title.length).toBeGreaterThan(10);
      expect(rb.headings, runbookPath(c)).toEqual([...SECTIONS]);
    }
  });

  test('every runbook belongs to a check', () => {
    const files = readdirSync(join(root, 'runbooks'), {withFileTypes: true})
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(root, 'runbooks', d.name)).filter((f) => f.endsWith('.md')).map((f) => `runbooks/${d.name}/${f}`));
    expect(files.sort()).toEqual(allChecks.map(runbookPath).sort());
  });
});

describe('fixtures', () => {
  test('every fixture names the upstream fact it encodes', () => {
    for (const f of fixtures) expect(f.header.facts.length, f.file).toBeGreaterThan(0);
  });

  test('every check has a firing fixture and a silent twin', () => {
    for (const c of allChecks) {
      const mine = fixtures.filter((f) => f.slug === c.slug);
      expect(mine.some((f) => f.header.expects.some((e) => e.id === c.id)), `${c.id} has no firing fixture`).toBe(true);
      expect(mine.some((f) => f.header.silents.length > 0), `${c.id} has no silent twin`).toBe(true);
    }
  });

  // One test per check: the catalog keeps growing, and one test over every fixture would outgrow its timeout on a loaded machine.
  test.each(allChecks.map((c) => [c.id, c] as const))('%s reads exactly the inputs it declares (over all its fixtures)', async (_id, c) => {
    const kinds = new Set<string>();
    const signals = new Set<string>();
    const facts = new Set<string>();
    for (const f of fixtures.filter((x) => x.slug === c.slug)) {
      const {reads} = await runFixture(c, f);
      for (const k of reads?.kinds ?? []) kinds.add(k);
      for (const s of reads?.signals ?? []) signals.add(s);
      for (const x of reads?.facts ?? []) facts.add(x);
    }
    const hint = 'either the declared inputs are wrong or the fixtures do not exercise them';
    expect([...kinds].sort(), `${c.id} kinds: ${hint}`).toEqual([...declaredKinds(c.inputs)].sort());
    expect([...signals].sort(), `${c.id} signals: ${hint}`).toEqual([...declaredSignals(c.inputs)].sort());
    expect([...facts].sort(), `${c.id} facts: ${hint}`).toEqual([...declaredFacts(c.inputs)].sort());
  });
});
