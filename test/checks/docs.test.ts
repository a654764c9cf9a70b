/**
 * The repository stands alone and its docs cannot drift:
 * - docs/checks.md is exactly what `meshdoctor checks -o markdown` generates from the registered checks
 *   and their runbooks (`npm run docs`), and the README's check count is the catalog's;
 * - every file the code, tests, fixtures, runbooks and docs cite exists in the repository, and every
 *   cited section of docs/design.md and docs/rules.md (`§4.1`, `D8`) and every cited check exists.
 */
import {readdirSync, readFileSync, existsSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {catalogMarkdown} from '../../src/cli/commands/checks.js';
import {loadRunbooks} from '../../src/runbooks/catalog.js';
import {ROOT} from '../helpers/cli.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the catalog page', () => {
  test('docs/checks.md is what the checks and their runbooks generate', () => {
    const runbooks = new Map([...loadRunbooks(join(ROOT, 'runbooks'))].map(([id, e]) => [id, e.runbook]));
    const sorted = [...allChecks].sort((a, b) => a.id.localeCompare(b.id));
    const expected = catalogMarkdown(sorted, runbooks);
    // On failure: `npm run docs` and commit docs/checks.md (after a rebase conflict in it, regenerate rather than merge).
    expect(read('docs/checks.md'), 'docs/checks.md is out of date: run `npm run docs` and commit it').toBe(expected);
  });

  test('the README says how many checks there are', () => {
    expect(read('README.md')).toMatch(new RegExp(`runs a catalog of ${allChecks.length} diagnostic checks `));
  });
});

/** Text files of ours that may cite documents. */
function sources(): string[] {
  const out: string[] = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), {withFileTypes: true})) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|tsx|mjs|js|md|yaml|yml|json)$/.test(e.name)) out.push(path);
    }
  };
  for (const dir of ['src', 'checks', 'test', 'bench', 'runbooks', 'scenarios', 'scripts', 'docs', 'schemas', 'deploy', 'examples', 'bin', '.ci']) if (existsSync(join(ROOT, dir))) walk(dir);
  return out.filter((f) => existsSync(join(ROOT, f)) && f !== relative(ROOT, import.meta.filename));
}

/** Section numbers (`4`, `4.1`) and definitions (`D8`) a doc defines. */
function anchorsOf(doc: string): Set<string> {
  const text = read(doc);
  const sections = [...text.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((m) => `§${m[1]}`);
  const definitions = [...text.matchAll(/^- \*\*(D\d+) /gm)].map((m) => m[1]);
  return new Set([...sections, ...definitions]);
}

describe('citations', () => {
  const files = sources();
  // Built from parts so that this file does not cite them itself.
  const gone = new RegExp(`\\b(${['DESIGN', 'CHECKS'].join('|')})\\.md\\b|\\breference/(istio|linkerd-consul-osm|ux|aesthetics)\\.md`);

  test('no file cites the design notes that are not in the repository', () => {
    const offenders = files.flatMap((f) => read(f).split('\n').map((line, i) => [f, i + 1, line] as const).filter(([, , line]) => gone.test(line)).map(([f, n, line]) => `${f}:${n}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });

  test('every docs/… file cited exists, and so does every section, definition and check cited in it', () => {
    const anchors = new Map<string, Set<string>>([['docs/design.md', anchorsOf('docs/design.md')], ['docs/rules.md', anchorsOf('docs/rules.md')]]);
    const ids = new Set<string>(allChecks.map((c) => c.id));
    const problems: string[] = [];
    for (const f of files) {
      for (const m of read(f).matchAll(/(?<![\w/.-])docs\/([\w/-]+\.md)(?: (§\d+(?:\.\d+)?|D\d+\b|MD\d{4}\b))?/g)) {
        const cited = `docs/${m[1]}`;
        if (!existsSync(join(ROOT, cited))) problems.push(`${f}: ${cited} does not exist`);
        else if (m[2]?.startsWith('MD') && !ids.has(m[2])) problems.push(`${f}: ${cited} ${m[2]}: no such check`);
        else if (m[2] && !m[2].startsWith('MD') && anchors.has(cited) && !anchors.get(cited)!.has(m[2])) problems.push(`${f}: ${cited} ${m[2]}: no such section or definition`);
      }
    }
    expect(problems).toEqual([]);
  });
});
