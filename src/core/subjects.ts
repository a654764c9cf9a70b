/** Building subjects (the object a finding is about) and naming them in messages. */
import type {KubeObject} from './kube-types/index.js';
import type {Subject} from './types.js';

export function subjectOf(obj: KubeObject): Subject {
  const s: {kind: string; apiVersion: string; namespace?: string; name: string} = {
    kind: obj.kind,
    apiVersion: obj.apiVersion,
    name: obj.metadata.name,
  };
  if (obj.metadata.namespace) s.namespace = obj.metadata.namespace;
  return s;
}

/** `Kind ns/name` or `Kind name`, or `Cluster` for null: the form tests and fixtures use. */
export function subjectKey(subject: Subject | null): string {
  if (!subject) return 'Cluster';
  return subject.namespace ? `${subject.kind} ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/** `ns/name` or `name`, for messages. */
export function objectName(obj: KubeObject | Subject): string {
  const meta = 'metadata' in obj ? obj.metadata : obj;
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}

export function sameSubject(a: Subject | null, b: Subject | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** "a, b, c, d, e and 3 more" — D4: messages name up to 5 pods plus a count. */
export function nameList(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Group items by a subject key, keeping first-seen order. */
export function groupBySubject<T>(items: Iterable<T>, subjectFor: (item: T) => Subject): Map<string, {subject: Subject; items: T[]}> {
  const groups = new Map<string, {subject: Subject; items: T[]}>();
  for (const item of items) {
    const subject = subjectFor(item);
    const key = subjectKey(subject);
    let g = groups.get(key);
    if (!g) {
      g = {subject, items: []};
      groups.set(key, g);
    }
    g.items.push(item);
  }
  return groups;
}
