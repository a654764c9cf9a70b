/**
 * The runbook library: built-in runbooks under the package's runbooks/, plus an organisation's own
 * (`--runbooks DIR`, config `runbooks.dirs`), which override built-in ones with the same check id.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import type {Runbook} from './parse.js';
import {parseRunbook} from './parse.js';

export type RunbookEntry = Readonly<{runbook: Runbook; file: string; origin: 'built-in' | 'custom'}>;

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...markdownFiles(full));
    else if (e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md') out.push(full);
  }
  return out.sort();
}

/** Load runbooks; later directories override earlier ones by check id. Throws RunbookError on a malformed file. */
export function loadRunbooks(builtinDir: string, customDirs: readonly string[] = []): Map<string, RunbookEntry> {
  const byCheck = new Map<string, RunbookEntry>();
  const load = (dir: string, origin: RunbookEntry['origin']) => {
    for (const file of markdownFiles(dir)) {
      const runbook = parseRunbook(readFileSync(file, 'utf8'), origin === 'built-in' ? relative(join(builtinDir, '..'), file) : file);
      byCheck.set(runbook.front.check, {runbook, file, origin});
    }
  };
  load(builtinDir, 'built-in');
  for (const dir of customDirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: runbook directory not found`);
    load(dir, 'custom');
  }
  return byCheck;
}
