/**
 * Which VirtualService rules and match blocks can never be reached. Routes are tried in order and
 * the first match wins (http, tls and tcp lists separately), so a rule after a catch-all is dead, and
 * a match block is dead when an earlier block — of an earlier rule or earlier in the same rule —
 * already takes every request it could take.
 *
 * "Takes every request" is a subset test on the match conditions, field by field: a field the
 * earlier block leaves unset matches anything; string matches compare equal, or the earlier one is a
 * `prefix` that the later `exact`/`prefix` starts with (Envoy prefixes are plain string prefixes);
 * header and query-parameter maps and `sourceLabels` must be covered key by key; `gateways`,
 * `sniHosts` and `destinationSubnets` are alternatives, so the later list must be a subset of the
 * earlier one. Anything else must be equal. `name` and `statPrefix` do not take part in matching.
 * This is a superset of istiod's own analysis (pkg/config/validation/validation.go
 * analyzeUnreachable*Rules: exact duplicates, and prefix-over-prefix with equal other fields).
 */

export type RouteKind = 'http' | 'tls' | 'tcp';

export type BlockRef = Readonly<{rule: number; match: number}>;

/** A rule no request can reach. */
export type DeadRule = Readonly<{kind: RouteKind; rule: number; reason: 'after-catch-all' | 'matches-taken'; by: number}>;

/** A match block no request can reach, in a rule that other blocks still reach. */
export type ShadowedBlock = Readonly<{kind: RouteKind; at: BlockRef; by: BlockRef; duplicate: boolean}>;

export type ShadowReport = Readonly<{dead: DeadRule[]; shadowed: ShadowedBlock[]}>;

type Obj = Readonly<Record<string, unknown>>;

const NOT_MATCHING = new Set(['name', 'statPrefix']);
const STRING_MATCHES = new Set(['uri', 'scheme', 'method', 'authority']);
const STRING_MATCH_MAPS = new Set(['headers', 'queryParams']);
const ALTERNATIVES = new Set(['gateways', 'sniHosts', 'destinationSubnets']);

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON with sorted keys, unset values and `name` dropped: blocks compared field-order-insensitively. */
export function canonicalMatch(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalMatch).join(',')}]`;
  if (isObj(value)) {
    const entries = Object.entries(value).filter(([k, v]) => k !== 'name' && v !== undefined && v !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalMatch(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The set of values a string match accepts contains the other's. */
function stringCovers(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return true;
  if (b === undefined || b === null) return false;
  if (canonicalMatch(a) === canonicalMatch(b)) return true;
  if (!isObj(a) || !isObj(b)) return false;
  const aKeys = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null);
  const bKeys = Object.keys(b).filter((k) => b[k] !== undefined && b[k] !== null);
  if (aKeys.length !== 1 || aKeys[0] !== 'prefix' || typeof a.prefix !== 'string' || bKeys.length !== 1) return false;
  const other = b[bKeys[0]];
  return (bKeys[0] === 'exact' || bKeys[0] === 'prefix') && typeof other === 'string' && other.startsWith(a.prefix);
}

function mapCovers(a: unknown, b: unknown, valueCovers: (x: unknown, y: unknown) => boolean): boolean {
  if (!isObj(a)) return canonicalMatch(a) === canonicalMatch(b);
  if (!isObj(b)) return Object.keys(a).length === 0;
  return Object.entries(a).every(([k, v]) => v === undefined || v === null || (k in b && valueCovers(v, b[k])));
}

function alternativesCover(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a)) return canonicalMatch(a) === canonicalMatch(b);
  if (a.length === 0) return true;
  if (!Array.isArray(b) || b.length === 0) return false;
  const offered = new Set(a.map(canonicalMatch));
  return b.every((x) => offered.has(canonicalMatch(x)));
}

const same = (x: unknown, y: unknown): boolean => canonicalMatch(x) === canonicalMatch(y);

/** Every request block `b` matches is also matched by block `a`. */
export function matchCovers(a: Obj, b: Obj): boolean {
  for (const [key, value] of Object.entries(a)) {
    if (value === undefined || value === null || NOT_MATCHING.has(key)) continue;
    let ok: boolean;
    if (key === 'ignoreUriCase') ok = a.uri === undefined || a.uri === null || Boolean(value) === Boolean(b.ignoreUriCase);
    else if (key === 'uri') ok = Boolean(a.ignoreUriCase) === Boolean(b.ignoreUriCase) && stringCovers(value, b[key]);
    else if (STRING_MATCHES.has(key)) ok = stringCovers(value, b[key]);
    else if (STRING_MATCH_MAPS.has(key)) ok = mapCovers(value, b[key], stringCovers);
    else if (key === 'sourceLabels' || key === 'withoutHeaders') ok = mapCovers(value, b[key], same);
    else if (ALTERNATIVES.has(key)) ok = alternativesCover(value, b[key]);
    else ok = same(value, b[key]);
    if (!ok) return false;
  }
  return true;
}

/** The URI string a block is keyed by for the prefix index (exact or prefix only). */
function uriText(block: Obj): string | undefined {
  const uri = block.uri;
  if (!isObj(uri)) return undefined;
  if (typeof uri.prefix === 'string') return uri.prefix;
  if (typeof uri.exact === 'string') return uri.exact;
  return undefined;
}

type Seen = Readonly<{ref: BlockRef; block: Obj; canonical: string}>;

/**
 * Earlier blocks indexed so a later block is compared only with those that could cover it: blocks
 * without a `uri`, blocks whose `uri` is a plain prefix of the later URI, and blocks with the same
 * `uri`. Keeps a VirtualService with many path rules linear in practice.
 */
class SeenBlocks {
  private readonly noUri: Seen[] = [];
  private readonly byPrefix = new Map<string, Seen[]>();
  private readonly byUri = new Map<string, Seen[]>();

  add(seen: Seen): void {
    const uri = seen.block.uri;
    if (uri === undefined || uri === null) {
      this.noUri.push(seen);
      return;
    }
    const bucket = isObj(uri) && Object.keys(uri).length === 1 && typeof uri.prefix === 'string' ? push(this.byPrefix, uri.prefix) : push(this.byUri, canonicalMatch(uri));
    bucket.push(seen);
  }

  /** The earliest block that covers `block`, if any. */
  coverOf(block: Obj): Seen | undefined {
    const candidates: Seen[] = [...this.noUri];
    if (block.uri !== undefined && block.uri !== null) {
      candidates.push(...(this.byUri.get(canonicalMatch(block.uri)) ?? []));
      const text = uriText(block);
      if (text !== undefined) for (let n = 0; n <= text.length; n++) candidates.push(...(this.byPrefix.get(text.slice(0, n)) ?? []));
    }
    let best: Seen | undefined;
    for (const c of candidates) {
      if (best && !earlier(c.ref, best.ref)) continue;
      if (matchCovers(c.block, block)) best = c;
    }
    return best;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function earlier(a: BlockRef, b: BlockRef): boolean {
  return a.rule < b.rule || (a.rule === b.rule && a.match < b.match);
}

/** Dead rules and shadowed match blocks of one route list (`spec.http`, `spec.tls` or `spec.tcp`). */
export function analyzeRoutes(kind: RouteKind, rules: unknown): ShadowReport {
  const dead: DeadRule[] = [];
  const shadowed: ShadowedBlock[] = [];
  if (!Array.isArray(rules)) return {dead, shadowed};
  const seen = new SeenBlocks();
  let catchAll: number | undefined;
  rules.forEach((rule: unknown, i) => {
    if (!isObj(rule)) return;
    const blocks = (Array.isArray(rule.match) ? rule.match : []).filter(isObj);
    if (catchAll !== undefined) {
      dead.push({kind, rule: i, reason: 'after-catch-all', by: catchAll});
      return;
    }
    if (blocks.length === 0) {
      catchAll = i;
      return;
    }
    const mine: ShadowedBlock[] = [];
    blocks.forEach((block, j) => {
      const canonical = canonicalMatch(block);
      const cover = seen.coverOf(block);
      if (cover) mine.push({kind, at: {rule: i, match: j}, by: cover.ref, duplicate: cover.canonical === canonical});
      seen.add({ref: {rule: i, match: j}, block, canonical});
    });
    if (mine.length === blocks.length) dead.push({kind, rule: i, reason: 'matches-taken', by: mine[0].by.rule});
    else shadowed.push(...mine);
    if (blocks.some((b) => canonicalMatch(b) === '{}')) catchAll = i;
  });
  return {dead, shadowed};
}

/** All three route lists of a VirtualService spec. */
export function analyzeVirtualService(spec: unknown): ShadowReport {
  const s = isObj(spec) ? spec : {};
  const reports = (['http', 'tls', 'tcp'] as const).map((kind) => analyzeRoutes(kind, s[kind]));
  return {dead: reports.flatMap((r) => r.dead), shadowed: reports.flatMap((r) => r.shadowed)};
}
