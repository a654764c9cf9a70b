/**
 * The Checks view's lines: the catalog by block with each check's outcome (pass, fail, skip with its
 * reason, crash, n/a), and the findings of failing checks under them. Checks and findings are
 * selectable; the `/` filter keeps a check when it or one of its findings matches. Pure, memoised.
 */
import {subjectKey} from '../../core/subjects.js';
import type {Block, CheckResult, Finding, Outcome} from '../../core/types.js';
import {BLOCKS} from '../../core/types.js';
import {compileFilter} from './filter.js';
import type {TuiState} from './types.js';

export type ChecksLine =
  | Readonly<{kind: 'block'; block: Block; counts: Readonly<Partial<Record<Outcome, number>>>}>
  | Readonly<{kind: 'check'; result: CheckResult}>
  | Readonly<{kind: 'finding'; result: CheckResult; finding: Finding}>;

export function selectable(line: ChecksLine): boolean {
  return line.kind !== 'block';
}

function checkText(r: CheckResult): string {
  return `${r.check.id} ${r.check.slug} ${r.check.title} ${r.outcome} ${r.reason ?? ''}`;
}

function findingText(f: Finding): string {
  return `${f.checkId} ${f.severity} ${subjectKey(f.subject)} ${f.message}`;
}

let memo: {results: readonly CheckResult[]; filter: string; lines: ChecksLine[]} | undefined;

export function checksLines(state: TuiState): readonly ChecksLine[] {
  const results = state.data.results;
  const filterText = state.checksFilter;
  if (memo && memo.results === results && memo.filter === filterText) return memo.lines;
  const filter = compileFilter(filterText);
  const lines: ChecksLine[] = [];
  for (const block of BLOCKS) {
    const inBlock = results.filter((r) => r.check.block === block).sort((a, b) => a.check.id.localeCompare(b.check.id));
    const kept: ChecksLine[] = [];
    for (const r of inBlock) {
      const findings = r.findings.filter((f) => filter.test(findingText(f)));
      const checkMatches = filter.test(checkText(r));
      if (!checkMatches && (filter.inverted || findings.length === 0)) continue;
      kept.push({kind: 'check', result: r});
      for (const f of checkMatches && !filter.inverted ? r.findings : findings) kept.push({kind: 'finding', result: r, finding: f});
    }
    if (kept.length === 0) continue;
    const counts: Partial<Record<Outcome, number>> = {};
    for (const r of inBlock) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    lines.push({kind: 'block', block, counts}, ...kept);
  }
  memo = {results, filter: filterText, lines};
  return lines;
}

/** The first selectable line at or after `from` in direction `dir`; -1 when none. */
export function nextSelectable(lines: readonly ChecksLine[], from: number, dir: 1 | -1): number {
  for (let i = from; i >= 0 && i < lines.length; i += dir) if (selectable(lines[i])) return i;
  return -1;
}
