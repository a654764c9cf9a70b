/** Helpers every presenter shares: grouping, naming, counting and terminal-safe JSON. */
import {worst} from '../core/severity.js';
import {subjectKey} from '../core/subjects.js';
import type {Block, CheckResult, Finding, Severity, Subject} from '../core/types.js';
import {BLOCKS} from '../core/types.js';

export type BlockGroup = Readonly<{block: Block; results: readonly CheckResult[]}>;

/** Results grouped by block in catalog order, report order kept inside a block; empty blocks left out. */
export function groupByBlock(results: readonly CheckResult[]): BlockGroup[] {
  return BLOCKS
    .map((block) => ({block, results: results.filter((r) => r.check.block === block)}))
    .filter((g) => g.results.length > 0);
}

/** `Kind ns/name`, `Kind name` for cluster-scoped objects, `cluster` for cluster-wide findings. Not sanitised. */
export function subjectLabel(subject: Subject | null): string {
  return subject ? subjectKey(subject) : 'cluster';
}

/** `Kind/ns/name` or `Kind/name`: a path-like name for machine formats (SARIF, fingerprints). Not sanitised. */
export function subjectPath(subject: Subject | null): string {
  if (!subject) return 'cluster';
  return subject.namespace ? `${subject.kind}/${subject.namespace}/${subject.name}` : `${subject.kind}/${subject.name}`;
}

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  return worst(findings.map((f) => f.severity));
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** Terminal-safe JSON lives with the one sanitiser (src/core/sanitize.ts). */
export {toSafeJson} from '../core/sanitize.js';
