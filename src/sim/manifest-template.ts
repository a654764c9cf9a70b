/**
 * Manifests with generated certificates, for test fixtures and demo scenarios. YAML tags stand in
 * for PEM material so that expiry is relative to the moment the manifests are loaded:
 *
 *   ca-cert.pem: !cert {id: plug-ca, cn: Plug CA, ca: true, issuer: root, notBefore: -345d, notAfter: +20d, format: base64}
 *   root-cert.pem: !cert {ref: root, format: base64}
 *   ca-bundle.crt: !bundle {refs: [old-root, new-root]}
 *   ca-key.pem: !key {ref: plug-ca, format: base64}
 *
 * `format` is `pem` (default, for ConfigMaps) or `base64` (Secret data, caBundle).
 *
 * `!yaml {…}` renders its mapping (certificate tags inside included) as YAML text, for ConfigMap
 * keys that hold a YAML document with PEMs in it (Linkerd's `linkerd-config` `values`):
 *
 *   values: !yaml {identityTrustAnchorsPEM: !cert {ref: root}, clusterNetworks: "10.0.0.0/8"}
 *
 * `!time -5m` is an RFC 3339 instant relative to the load time (`now`, `-30d`, `+2h`, `-0.5m`), for
 * timestamps that grace periods judge (pod start times, condition transitions).
 */
import {parseAllDocuments, stringify, YAMLMap} from 'yaml';
import type {CollectionTag, ScalarTag} from 'yaml';
import type {KubeObject} from '../core/kube-types/index.js';
import type {GeneratedCert, KeyKind} from './certs.js';
import {generateCert, relativeDate, toBase64} from './certs.js';

type CertDef = {id: string; cn?: string; ca?: boolean; issuer?: string; notBefore?: string; notAfter?: string; key?: KeyKind; dns?: string[]; uris?: string[]};
type Format = 'pem' | 'base64';

type PlaceholderType = 'cert' | 'bundle' | 'key' | 'yaml' | 'time';

class Placeholder {
  constructor(readonly type: PlaceholderType, readonly spec: Record<string, unknown>) {}
}

function mapTag(tag: string, type: PlaceholderType): CollectionTag {
  return {
    tag,
    collection: 'map',
    nodeClass: YAMLMap,
    identify: (value: unknown) => value instanceof Placeholder && value.type === type,
    resolve(map: YAMLMap.Parsed | YAMLMap<unknown, unknown>) {
      const json = (map as YAMLMap).toJSON() as Record<string, unknown>;
      return new Placeholder(type, json) as unknown as YAMLMap;
    },
  } as unknown as CollectionTag;
}

const TIME_TAG: ScalarTag = {
  tag: '!time',
  identify: (value: unknown) => value instanceof Placeholder && value.type === 'time',
  resolve: (text: string) => new Placeholder('time', {at: text.trim()}),
} as unknown as ScalarTag;

const TAGS: (ScalarTag | CollectionTag)[] = [mapTag('!cert', 'cert'), mapTag('!bundle', 'bundle'), mapTag('!key', 'key'), mapTag('!yaml', 'yaml'), TIME_TAG];

/** Multi-document template YAML → one value per document, tags as placeholders (not yet rendered). */
export function parseManifestTemplate(text: string): unknown[] {
  const docs = parseAllDocuments(text, {customTags: TAGS});
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw new Error(`template YAML: ${doc.errors[0].message}`);
    values.push(doc.toJS());
  }
  return values;
}

const TAG_KEY = '$meshdoctorTag';

/** Parsed template values as JSON (placeholders as `{"$meshdoctorTag": type, "spec": …}`), for compiled scenarios. */
export function templateToJson(values: readonly unknown[]): string {
  return JSON.stringify(values, (_key, value: unknown) => (value instanceof Placeholder ? {[TAG_KEY]: value.type, spec: value.spec} : value));
}

/** The inverse of templateToJson. */
export function templateFromJson(json: string): unknown[] {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && TAG_KEY in value) {
      const v = value as {[TAG_KEY]: PlaceholderType; spec: Record<string, unknown>};
      return new Placeholder(v[TAG_KEY], v.spec);
    }
    return value;
  }) as unknown[];
}

function walk(value: unknown, visit: (p: Placeholder) => void): void {
  if (value instanceof Placeholder) {
    visit(value);
    if (value.type === 'yaml') walk(value.spec, visit);
  } else if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => walk(v, visit));
}

function replace(value: unknown, render: (p: Placeholder) => string): unknown {
  if (value instanceof Placeholder) return render(value);
  if (Array.isArray(value)) return value.map((v) => replace(v, render));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, render)]));
  return value;
}

export type TemplateResult = Readonly<{objects: KubeObject[]; certs: ReadonlyMap<string, GeneratedCert>}>;

/** Parse multi-document YAML with certificate tags into plain objects (documents without `kind` are dropped). */
export async function renderManifestTemplate(text: string, now: Date = new Date()): Promise<TemplateResult> {
  return renderParsedTemplate(parseManifestTemplate(text), now);
}

/** Render parsed template values (parseManifestTemplate, templateFromJson) at `now`: certificates generated, tags replaced. */
export async function renderParsedTemplate(values: readonly unknown[], now: Date = new Date()): Promise<TemplateResult> {
  const defs = new Map<string, CertDef>();
  for (const v of values) {
    walk(v, (p) => {
      if (p.type === 'cert' && typeof p.spec.id === 'string') {
        if (defs.has(p.spec.id)) throw new Error(`certificate id "${p.spec.id}" defined twice`);
        defs.set(p.spec.id, p.spec as unknown as CertDef);
      }
    });
  }
  const certs = new Map<string, GeneratedCert>();
  const pending = new Map<string, Promise<GeneratedCert>>();
  const make = (id: string, stack: string[] = []): Promise<GeneratedCert> => {
    const existing = pending.get(id);
    if (existing) return existing;
    const def = defs.get(id);
    if (!def) throw new Error(`certificate "${id}" is referenced but never defined`);
    if (stack.includes(id)) throw new Error(`certificate issuer cycle: ${[...stack, id].join(' → ')}`);
    const promise = (async () => {
      const issuer = def.issuer ? await make(def.issuer, [...stack, id]) : undefined;
      const cert = await generateCert({
        commonName: def.cn ?? id,
        ca: def.ca,
        issuer,
        notBefore: relativeDate(def.notBefore ?? '-1d', now),
        notAfter: relativeDate(def.notAfter ?? '+365d', now),
        key: def.key,
        dnsNames: def.dns,
        uris: def.uris,
      });
      certs.set(id, cert);
      return cert;
    })();
    pending.set(id, promise);
    return promise;
  };
  await Promise.all([...defs.keys()].map((id) => make(id)));

  const format = (p: Placeholder, text: string) => ((p.spec.format as Format | undefined) === 'base64' ? toBase64(text) : text);
  const lookup = (id: unknown): GeneratedCert => {
    const c = typeof id === 'string' ? certs.get(id) : undefined;
    if (!c) throw new Error(`certificate "${String(id)}" is referenced but never defined`);
    return c;
  };
  const render = (p: Placeholder): string => {
    if (p.type === 'cert') return format(p, lookup(p.spec.id ?? p.spec.ref).pem);
    if (p.type === 'key') return format(p, lookup(p.spec.ref).keyPem);
    if (p.type === 'yaml') return stringify(replace(p.spec, render), {lineWidth: 0});
    if (p.type === 'time') return relativeDate(String(p.spec.at), now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const refs = p.spec.refs;
    if (!Array.isArray(refs)) throw new Error('!bundle needs refs: [id, ...]');
    return format(p, refs.map((r) => lookup(r).pem).join(''));
  };
  const objects = values
    .map((v) => replace(v, render))
    .filter((v): v is KubeObject => !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as KubeObject).kind === 'string');
  return {objects, certs};
}

