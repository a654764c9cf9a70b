/** Label selector matching, shared by every check (never re-implemented per check). */
import type {LabelSelector, Labels} from './kube-types/index.js';

/** matchLabels-only map selector (Service.spec.selector, Istio workloadSelector). Empty selects everything. */
export function matchesLabels(labels: Labels | undefined, selector: Labels | undefined): boolean {
  if (!selector) return true;
  for (const key in selector) {
    if ((labels?.[key]) !== selector[key]) return false;
  }
  return true;
}

/** Full metav1.LabelSelector semantics; an empty selector selects everything. */
export function matchesSelector(labels: Labels | undefined, selector: LabelSelector | undefined): boolean {
  if (!selector) return true;
  if (!matchesLabels(labels, selector.matchLabels)) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels![req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector | Labels | undefined): boolean {
  if (!selector) return true;
  if ('matchLabels' in selector || 'matchExpressions' in selector) {
    const s = selector as LabelSelector;
    return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
  }
  return Object.keys(selector).length === 0;
}

/** `a=b,c=d` text form, for messages and runbook commands. */
export function selectorText(selector: LabelSelector | Labels | undefined): string {
  if (!selector) return '';
  const s = ('matchLabels' in selector || 'matchExpressions' in selector) ? (selector as LabelSelector) : {matchLabels: selector as Labels};
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

// kubectl's label-selector syntax (`-l`): a qualified name, optionally prefixed by a DNS subdomain.
const KEY = /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const EXAMPLES = 'examples: app=cart, tier!=db, env in (prod,staging), canary, !canary';

/** Requirements separated by commas outside parentheses. */
function requirements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new Error(`unbalanced ")" (${EXAMPLES})`);
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) throw new Error(`unbalanced "(" (${EXAMPLES})`);
  out.push(current.trim());
  return out;
}

function key(k: string, requirement: string): string {
  if (!KEY.test(k)) throw new Error(k === requirement ? `"${k}" is not a label key` : `"${k}" in "${requirement}" is not a label key`);
  return k;
}

function value(v: string, requirement: string): string {
  if (!VALUE.test(v)) throw new Error(`"${v}" in "${requirement}" is not a label value`);
  return v;
}

/**
 * kubectl's `-l` text (`app=cart,tier!=db,env in (a,b),env notin (c),canary,!legacy`; `==` is `=`)
 * → a LabelSelector with the same meaning (`!=` and `notin` match objects without the key, as in
 * Kubernetes). Throws an Error naming the bad part.
 */
export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') throw new Error(`empty selector (${EXAMPLES})`);
  const matchLabels: Record<string, string> = {};
  const matchExpressions: {key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[]}[] = [];
  for (const r of requirements(text)) {
    let m: RegExpExecArray | null;
    if (r === '') throw new Error(`empty requirement (${EXAMPLES})`);
    else if ((m = /^!\s*(\S+)$/.exec(r))) matchExpressions.push({key: key(m[1], r), operator: 'DoesNotExist'});
    else if ((m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(r))) {
      const values = m[3].split(',').map((v) => value(v.trim(), r));
      if (m[3].trim() === '') throw new Error(`"${r}" needs at least one value`);
      matchExpressions.push({key: key(m[1], r), operator: m[2] === 'in' ? 'In' : 'NotIn', values});
    } else if ((m = /^([^\s=!]+)\s*(==|=|!=)\s*(\S*)$/.exec(r))) {
      const k = key(m[1], r);
      const v = value(m[3], r);
      if (m[2] === '!=') matchExpressions.push({key: k, operator: 'NotIn', values: [v]});
      else if (k in matchLabels && matchLabels[k] !== v) matchExpressions.push({key: k, operator: 'In', values: [v]});
      else matchLabels[k] = v;
    } else if (/^\S+$/.test(r)) matchExpressions.push({key: key(r, r), operator: 'Exists'});
    else throw new Error(`"${r}" is not a requirement (${EXAMPLES})`);
  }
  return {...(Object.keys(matchLabels).length ? {matchLabels} : {}), ...(matchExpressions.length ? {matchExpressions} : {})};
}
