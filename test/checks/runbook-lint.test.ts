/**
 * Runbook lint over runbooks/: placeholders are known, verify steps parse and name real checks,
 * and every runbook gives the reader commands to run.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {runbookPath} from '../../src/core/runner.js';
import {isPlaceholder, placeholdersIn} from '../../src/runbooks/fill.js';
import {parseRunbook} from '../../src/runbooks/parse.js';
import {runbookSteps} from '../../src/runbooks/steps.js';

const root = join(import.meta.dirname, '..', '..');
const ids = new Set<string>(allChecks.map((c) => c.id));

describe.each(allChecks.map((c) => [runbookPath(c)] as const))('%s', (path) => {
  const text = readFileSync(join(root, path), 'utf8');
  const rb = parseRunbook(text, path);
  const steps = runbookSteps(rb);

  test('uses only known placeholders', () => {
    expect(placeholdersIn(text).filter((p) => !isPlaceholder(p))).toEqual([]);
  });

  test('verify steps parse and reference checks that exist', () => {
    for (const v of steps.flatMap((s) => s.verifies)) {
      expect(v.kind === 'invalid' ? `${v.raw}: ${v.reason}` : 'ok').toBe('ok');
      if (v.kind === 'check') expect(ids.has(v.checkId), `${v.raw} names an unknown check`).toBe(true);
    }
  });

  test('Diagnosis has steps with commands, and there is at least one verify step', () => {
    const diagnosis = steps.filter((s) => s.section === 'Diagnosis');
    expect(diagnosis.length).toBeGreaterThan(0);
    expect(diagnosis.some((s) => s.commands.length > 0)).toBe(true);
    expect(steps.some((s) => s.verifies.length > 0)).toBe(true);
  });
});
