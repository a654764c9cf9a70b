/**
 * Injected failures: RBAC denials per resource/namespace/verb, and path-matched faults (status codes,
 * Retry-After, delays, raw bodies, slow drips, dropped sockets), optionally limited to N requests.
 */
import type {Drip} from './reply.js';

export type Verb = 'list' | 'get' | 'watch';

export type ForbidRule = Readonly<{
  /** Resource key `plural[.group]` (`secrets`, `virtualservices.networking.istio.io`), or `<key>/<subresource>`. */
  resource: string;
  /** Only in this namespace; an all-namespaces request is then denied too (it would include it), as RBAC does. */
  namespace?: string;
  /** Only this verb; all verbs when omitted. */
  verb?: Verb;
}>;

export type Fault = Readonly<{
  /** A string matches when the request path (without query) contains it; a RegExp is tested on path + `?query`. */
  match: string | RegExp;
  /** Answer with this status (a `Status` body unless `body` is given; 200 when only `body` is given). */
  status?: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Wait before answering (then answer normally unless another field says otherwise). */
  delayMs?: number;
  /** Raw body (truncated JSON, garbage…), sent with `status` or 200. */
  body?: string;
  /** Send the body (given or the normal one) slowly; watches are not dripped. */
  drip?: Drip;
  /** Drop the socket: without a response, or right after `body` (a cut-off response). */
  destroy?: boolean;
  /** Apply to this many matching requests, then stop; every matching request when omitted. */
  times?: number;
}>;

export class FaultPlan {
  private readonly remaining: (number | undefined)[];

  constructor(private readonly faults: readonly Fault[] = []) {
    this.remaining = faults.map((f) => f.times);
  }

  /** The first live fault matching this request; consumes one of its `times`. */
  take(pathname: string, search: string): Fault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const fault = this.faults[i];
      if (this.remaining[i] !== undefined && this.remaining[i]! <= 0) continue;
      if (!matches(fault.match, pathname, search)) continue;
      if (this.remaining[i] !== undefined) this.remaining[i]!--;
      return fault;
    }
    return undefined;
  }
}

function matches(match: string | RegExp, pathname: string, search: string): boolean {
  if (typeof match === 'string') return pathname.includes(match);
  match.lastIndex = 0;
  return match.test(pathname + search);
}

export function isForbidden(rules: readonly ForbidRule[], resource: string, namespace: string | undefined, verb: Verb): boolean {
  return rules.some((rule) =>
    rule.resource === resource &&
    (rule.verb === undefined || rule.verb === verb) &&
    (rule.namespace === undefined || namespace === undefined || rule.namespace === namespace));
}
