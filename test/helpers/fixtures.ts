/**
 * Check fixtures: `test/fixtures/clusters/<block>/<slug>[.<variant>].yaml`, multi-document YAML with
 * bad and good objects side by side and a header of directives:
 *
 *   # fact: <the upstream fact this fixture encodes, with its source>   (required)
 *   # expect: MD5103 [error|warning|info] VirtualService shop/cart       (a finding that must appear)
 *   # silent: VirtualService shop/cart-ok                                (a good twin that must not)
 *   # mode: live | manifests                                             (default live)
 *   # scope: meshed | all | namespaces a,b                               (default meshed)
 *   # absent: <resource key>                                             (CRD not installed)
 *   # forbid: list|get <resource key> [namespace]                        (the collector met a 403)
 *   # signals: <file.json>                                               (metric signals, relative)
 *   # control-plane: <file.json>                                         (control-plane facts)
 *   # config: <file.yaml>                                                (a .meshdoctor.yaml)
 *   # include: _base/istio.yaml                                          (shared objects, relative to clusters/)
 *   # outcome: not-applicable | skip                                     (when no verdict is the point)
 *   # metrics-status: unavailable <detail>                              (metrics source status, no signals)
 *
 * Certificates are generated at load time from `!cert` tags (src/sim/manifest-template.ts).
 * The expected findings of the fixture's check are exactly the `expect` lines: anything else fails.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {basename, dirname, join, relative} from 'node:path';
import type {Availability, KubeObject, ResolvedOptions, SignalSet} from '../../src/core/index.js';
import type {SuppressionRule} from '../../src/core/suppress.js';
import {isResourceKey, resourceType, resourceTypeFor, RESOURCE_TYPES, subjectKey, subjectOf} from '../../src/core/index.js';
import type {RawCollection, ScopeRequest} from '../../src/snapshot/snapshot.js';
import {emptyCollection} from '../../src/snapshot/snapshot.js';
import {cleanObject} from '../../src/snapshot/clean.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {relativeDate} from '../../src/sim/certs.js';
import {parseConfig} from '../../src/cli/config.js';

export const FIXTURE_ROOT = join(import.meta.dirname, '..', 'fixtures', 'clusters');

export type Expectation = Readonly<{id: string; severity?: string; subject: string}>;

export type FixtureHeader = Readonly<{
  facts: readonly string[];
  expects: readonly Expectation[];
  silents: readonly string[];
  mode: 'live' | 'manifests';
  scope: ScopeRequest;
  absent: readonly string[];
  forbid: readonly {verb: 'list' | 'get'; resource: string; namespace?: string}[];
  signals?: string;
  controlPlane?: string;
  config?: string;
  includes: readonly string[];
  outcome?: string;
  /** `# metrics-status: unavailable <detail>` — the metrics source's status when no signals file is given. */
  metricsStatus?: {state: 'ok' | 'partial' | 'unavailable' | 'not-configured'; detail?: string};
}>;

export type Fixture = Readonly<{file: string; slug: string; block: string; header: FixtureHeader}>;

export function listFixtures(root = FIXTURE_ROOT): Fixture[] {
  const out: Fixture[] = [];
  for (const block of readdirSync(root)) {
    const dir = join(root, block);
    if (block.startsWith('_') || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.yaml')) continue;
      const file = join(dir, name);
      out.push({file, block, slug: basename(name, '.yaml').split('.')[0], header: parseHeader(readFileSync(file, 'utf8'), file)});
    }
  }
  return out;
}

export function parseHeader(text: string, file: string): FixtureHeader {
  const facts: string[] = [];
  const expects: Expectation[] = [];
  const silents: string[] = [];
  const absent: string[] = [];
  const forbid: {verb: 'list' | 'get'; resource: string; namespace?: string}[] = [];
  let mode: 'live' | 'manifests' = 'live';
  let scope: ScopeRequest = {mode: 'meshed'};
  let signals: string | undefined;
  let controlPlane: string | undefined;
  let config: string | undefined;
  let outcome: string | undefined;
  let metricsStatus: FixtureHeader['metricsStatus'];
  const includes: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^#\s*([a-z-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    switch (key) {
      case 'fact':
        facts.push(value);
        break;
      case 'expect': {
        const e = /^(MD\d{4})\s+(?:(error|warning|info)\s+)?(.+)$/.exec(value.trim());
        if (!e) throw new Error(`${file}: bad expect line "${value}"`);
        expects.push({id: e[1], severity: e[2], subject: e[3].trim()});
        break;
      }
      case 'silent':
        silents.push(value.trim());
        break;
      case 'mode':
        mode = value.trim() === 'manifests' ? 'manifests' : 'live';
        break;
      case 'scope': {
        const v = value.trim();
        if (v === 'all') scope = {mode: 'all'};
        else if (v.startsWith('namespaces ')) scope = {mode: 'namespaces', namespaces: v.slice(11).split(',').map((s) => s.trim())};
        else scope = {mode: 'meshed'};
        break;
      }
      case 'absent':
        absent.push(value.trim());
        break;
      case 'forbid': {
        const [verb, resource, namespace] = value.trim().split(/\s+/);
        if ((verb !== 'list' && verb !== 'get') || !isResourceKey(resource)) throw new Error(`${file}: bad forbid line "${value}"`);
        forbid.push({verb, resource, ...(namespace ? {namespace} : {})});
        break;
      }
      case 'signals':
        signals = value.trim();
        break;
      case 'control-plane':
        controlPlane = value.trim();
        break;
      case 'config':
        config = value.trim();
        break;
      case 'include':
        includes.push(value.trim());
        break;
      case 'outcome':
        outcome = value.trim();
        break;
      case 'metrics-status': {
        const [state, ...detail] = value.trim().split(/\s+/);
        if (!['ok', 'partial', 'unavailable', 'not-configured'].includes(state)) throw new Error(`${file}: bad metrics-status line "${value}"`);
        metricsStatus = {state: state as 'ok', ...(detail.length ? {detail: detail.join(' ')} : {})};
        break;
      }
      default:
        break;
    }
  }
  return {facts, expects, silents, mode, scope, absent, forbid, signals, controlPlane, config, includes, outcome, metricsStatus};
}

export type LoadedFixture = Readonly<{raw: RawCollection; options?: ResolvedOptions; suppress: readonly SuppressionRule[]; objects: readonly KubeObject[]}>;

/** Build the RawCollection a collector would have produced for this fixture cluster. */
export async function loadFixture(fixture: Fixture, now = new Date()): Promise<LoadedFixture> {
  const h = fixture.header;
  const included = h.includes.map((inc) => readFileSync(join(FIXTURE_ROOT, inc), 'utf8'));
  const text = [...included, readFileSync(fixture.file, 'utf8')].join('\n---\n');
  const rendered = await renderManifestTemplate(text, now);
  // Timestamps written "@iso-10m" (quoted) are relative to the load time: pod start, restarts.
  const objects = rendered.objects.map((o) => isoTimes(o, now) as KubeObject);
  const byKey: Record<string, KubeObject[]> = {};
  const origins: Record<string, {file: string; line: number}> = {};
  for (const obj of objects) {
    const type = resourceTypeFor(obj.apiVersion, obj.kind);
    if (!type) throw new Error(`${fixture.file}: unknown kind ${obj.apiVersion} ${obj.kind}`);
    const namespaced = type.namespaced && !obj.metadata.namespace ? {...obj, metadata: {...obj.metadata, namespace: 'default'}} : obj;
    (byKey[type.key] ??= []).push(cleanObject(namespaced).object);
    origins[subjectKey(subjectOf(namespaced))] = {file: relative(process.cwd(), fixture.file), line: 1};
  }
  const availability: Record<string, Availability> = {};
  if (h.mode === 'manifests') {
    for (const t of RESOURCE_TYPES) availability[t.key] = byKey[t.key] ? {state: 'ok'} : {state: 'not-provided', reason: `no ${t.kind} objects in the given files`};
  } else {
    for (const t of RESOURCE_TYPES) availability[t.key] = {state: 'ok'};
    for (const key of h.absent) {
      if (!isResourceKey(key)) throw new Error(`${fixture.file}: unknown absent kind ${key}`);
      availability[key] = {state: 'absent', reason: `${resourceType(key).kind} (${key}) is not installed`};
    }
  }
  const named: Record<string, Availability> = {};
  const accessDenials: RawCollection['accessDenials'][number][] = [];
  for (const f of h.forbid) {
    const type = resourceType(f.resource as never);
    accessDenials.push({verb: f.verb, resource: type.key, ...(f.namespace ? {namespace: f.namespace} : {}), status: 403});
    const reason = `forbidden: ${f.verb} ${type.plural}${f.namespace ? ` in ${f.namespace}` : ''}`;
    // What was denied was never read: drop those objects from the fixture's world.
    const denied = (o: KubeObject) => f.namespace === undefined || o.metadata.namespace === f.namespace;
    byKey[type.key] = (byKey[type.key] ?? []).filter((o) => !denied(o));
    if (type.key === 'secrets' || type.key === 'configmaps') named[`${type.key}/${f.namespace ?? ''}`] = {state: 'forbidden', reason};
    else if (f.namespace) availability[type.key] = {state: 'ok', reason: `partial: ${reason}`};
    else availability[type.key] = {state: 'forbidden', reason};
  }
  const dir = dirname(fixture.file);
  const readJson = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const signalsFile = h.signals ? (relativeTimes(readJson(h.signals), now) as SignalSet) : undefined;
  const factsFile = h.controlPlane ? relativeTimes(readJson(h.controlPlane), now) as RawCollection['facts'] : undefined;
  let options: ResolvedOptions | undefined;
  let suppress: readonly SuppressionRule[] = [];
  if (h.config) {
    const cfg = await parseConfig(readFileSync(join(dir, h.config), 'utf8'), h.config);
    options = cfg.options;
    suppress = cfg.suppress;
  }
  const raw = emptyCollection({
    context: 'fixture',
    mode: h.mode,
    takenAt: now.toISOString(),
    scope: h.scope,
    objects: byKey,
    availability,
    named,
    accessDenials,
    origins,
    sources: [{source: h.mode === 'manifests' ? 'files' : 'kubernetes', state: 'ok'}],
    ...(signalsFile ? {signals: signalsFile, metricsStatus: {source: 'metrics', state: 'ok'}} : {}),
    ...(h.metricsStatus ? {metricsStatus: {source: 'metrics' as const, ...h.metricsStatus}} : {}),
    ...(factsFile ? {facts: factsFile} : {}),
  });
  return {raw, options, suppress, objects};
}

/** Signal files write instants relative to the load time as "@+3d" / "@-2h" (epoch seconds after loading). */
function relativeTimes(value: unknown, now: Date): unknown {
  if (typeof value === 'string' && /^@[+-]\d+(\.\d+)?[dhmy]$/.test(value)) {
    return Math.round(relativeDate(value.slice(1), now).getTime() / 1000);
  }
  if (typeof value === 'string' && value === '@now') return now.toISOString();
  // "@iso-2m": an RFC 3339 instant relative to the load time (syncz sentTime, lastUpdated).
  if (typeof value === 'string' && /^@iso[+-]\d+(\.\d+)?[dhmy]$/.test(value)) return relativeDate(value.slice(4), now).toISOString();
  if (Array.isArray(value)) return value.map((v) => relativeTimes(v, now));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativeTimes(v, now)]));
  return value;
}

/** Only the `"@iso±N<unit>"` form, for manifests (other `@` strings are left alone). */
export function isoTimes(value: unknown, now: Date): unknown {
  if (typeof value === 'string' && /^@iso[+-]\d+(\.\d+)?[dhmy]$/.test(value)) return relativeDate(value.slice(4), now).toISOString();
  if (Array.isArray(value)) return value.map((v) => isoTimes(v, now));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoTimes(v, now)]));
  return value;
}
