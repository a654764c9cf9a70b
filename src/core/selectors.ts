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
