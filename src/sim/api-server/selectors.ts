/**
 * Server-side label and field selectors with the API server's grammar and its errors: a selector it
 * cannot parse, or a field it does not index, is a 400 — never silently "match everything".
 */
import type {KubeObject} from '../../core/kube-types/index.js';

export type ObjectPredicate = (obj: KubeObject) => boolean;

export class SelectorError extends Error {}

const KEY = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function requirements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

type LabelTest = (labels: Readonly<Record<string, string>>) => boolean;

function labelRequirement(req: string): LabelTest {
  let m = EQUALITY.exec(req);
  if (m) {
    const [, key, op, value] = m;
    // A missing label never equals a value, and always differs from it.
    return op === '!=' ? (l) => !Object.hasOwn(l, key) || l[key] !== value : (l) => Object.hasOwn(l, key) && l[key] === value;
  }
  m = SET.exec(req);
  if (m) {
    const [, key, op, list] = m;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => Object.hasOwn(l, key) && values.has(l[key]) : (l) => !Object.hasOwn(l, key) || !values.has(l[key]);
  }
  m = EXISTS.exec(req);
  if (m) {
    const [, not, key] = m;
    return not ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
  }
  throw new SelectorError(`unable to parse requirement: ${JSON.stringify(req)}`);
}

export function parseLabelSelector(text: string): ObjectPredicate {
  if (!text.trim()) return () => true;
  const tests = requirements(text).map(labelRequirement);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return tests.every((t) => t(labels));
  };
}

/** Fields each kind indexes for field selectors (a subset of upstream's, the ones clients use). */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const KIND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['status.phase', 'spec.nodeName', 'spec.serviceAccountName', 'spec.restartPolicy', 'spec.schedulerName', 'status.podIP', 'status.nominatedNodeName'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

function fieldValue(obj: KubeObject, path: string): string {
  if (path === 'source') return String((obj as {source?: {component?: string}}).source?.component ?? '');
  let value: unknown = obj;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null ? '' : String(value);
}

export function parseFieldSelector(text: string, kind: string): ObjectPredicate {
  if (!text.trim()) return () => true;
  const allowed = new Set([...COMMON_FIELDS, ...(KIND_FIELDS[kind] ?? [])]);
  const tests = text.split(',').map((req): ObjectPredicate => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(req);
    if (!m) throw new SelectorError(`invalid field selector: ${JSON.stringify(req)}`);
    const [, field, op, value] = m;
    if (!allowed.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    return op === '!=' ? (o) => fieldValue(o, field) !== value : (o) => fieldValue(o, field) === value;
  });
  return (obj) => tests.every((t) => t(obj));
}
