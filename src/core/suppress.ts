/**
 * Suppression (docs/rules.md §6): the annotation `meshdoctor.io/ignore: "MD5101,MD3102"` (or `*`) on the
 * subject, its owning workload or its Namespace; and `suppress:` entries in `.meshdoctor.yaml`,
 * each with a required reason. Suppressed findings are kept and counted, never dropped silently.
 */
import type {Check} from './check.js';
import type {KubeObject, Pod} from './kube-types/index.js';
import {globToRegExp} from './options.js';
import type {SnapshotView} from './snapshot-view.js';
import type {Finding} from './types.js';

export const IGNORE_ANNOTATION = 'meshdoctor.io/ignore';

export type SuppressionRule = Readonly<{
  /** Check id (MD5117) or slug. */
  check: string;
  /** Namespace glob. */
  namespace?: string;
  /** `Kind/name-glob`, e.g. `Service/*-metrics`. */
  subject?: string;
  reason: string;
}>;

function ignores(obj: KubeObject | undefined, checkId: string): boolean {
  const value = obj?.metadata.annotations?.[IGNORE_ANNOTATION];
  if (!value) return false;
  return value.split(',').map((s) => s.trim()).some((s) => s === '*' || s === checkId);
}

function ruleMatches(rule: SuppressionRule, finding: Finding, check: Check): boolean {
  if (rule.check !== check.id && rule.check !== check.slug) return false;
  const s = finding.subject;
  if (rule.namespace !== undefined) {
    const ns = s ? (s.kind === 'Namespace' && !s.namespace ? s.name : s.namespace) : undefined;
    if (ns === undefined || !globToRegExp(rule.namespace).test(ns)) return false;
  }
  if (rule.subject !== undefined) {
    if (!s) return false;
    const slash = rule.subject.indexOf('/');
    const kind = slash === -1 ? rule.subject : rule.subject.slice(0, slash);
    const name = slash === -1 ? '*' : rule.subject.slice(slash + 1);
    if (kind !== '*' && kind !== s.kind) return false;
    if (!globToRegExp(name).test(s.name)) return false;
  }
  return true;
}

/** Why a finding is suppressed, or undefined when it stands. */
export function findSuppression(finding: Finding, check: Check, snap: SnapshotView, rules: readonly SuppressionRule[]): string | undefined {
  const s = finding.subject;
  if (s) {
    const obj = snap.objectFor(s);
    if (ignores(obj, check.id)) return `annotation ${IGNORE_ANNOTATION} on ${s.kind} ${s.name}`;
    if (obj && s.kind === 'Pod') {
      const owner = snap.workloads.ownerOf(obj as Pod);
      if (owner.kind !== 'Pod' && ignores(snap.objectFor(owner), check.id)) return `annotation ${IGNORE_ANNOTATION} on ${owner.kind} ${owner.name}`;
    }
    const nsName = s.kind === 'Namespace' && !s.namespace ? s.name : s.namespace;
    if (nsName && s.kind !== 'Namespace') {
      const ns = snap.objectFor({kind: 'Namespace', apiVersion: 'v1', name: nsName});
      if (ignores(ns, check.id)) return `annotation ${IGNORE_ANNOTATION} on Namespace ${nsName}`;
    }
  }
  for (const rule of rules) {
    if (ruleMatches(rule, finding, check)) return `config: ${rule.reason}`;
  }
  return undefined;
}
