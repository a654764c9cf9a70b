/**
 * docs/rules.md D10: the snapshot never holds secret material. Of a Secret's data only certificate
 * PEM blocks survive (public by nature); private keys and every other value are replaced by an
 * empty string, with the key names kept (checks need "has tls.key" facts) and listed in an
 * annotation. `stringData` is dropped entirely.
 *
 * Secret values also travel in annotations: deploy tools keep a copy of the object they applied —
 * kubectl's `last-applied-configuration`, kapp's `kapp.k14s.io/original`, Rancher's
 * `objectset.rio.cattle.io/applied` (gzipped) — so on a Secret the copy holds its data. Those
 * annotations are dropped from every object, and from a Secret every annotation that could carry a
 * value (long, multi-line, or a JSON/YAML document) is dropped too and listed; on any other object an
 * annotation that embeds a Secret object (`kind: Secret`) is dropped.
 */
import type {KubeObject, Secret} from '../core/kube-types/index.js';

export const REDACTED_KEYS_ANNOTATION = 'meshdoctor.io/redacted-keys';
export const REDACTED_ANNOTATIONS_ANNOTATION = 'meshdoctor.io/redacted-annotations';
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Annotations that hold a copy of the whole object as a tool applied it. */
export const ORIGINAL_OBJECT_ANNOTATIONS: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'kapp.k14s.io/original',
  'objectset.rio.cattle.io/applied',
];
/** An embedded Secret in JSON (`"kind":"Secret"`) or YAML (`kind: Secret`). */
const EMBEDDED_SECRET = /["']?kind["']?\s*:\s*["']?Secret\b/;
/** Longer than this, an annotation on a Secret is treated as possibly holding a value. */
const SECRET_ANNOTATION_MAX = 256;

function certificatesOnly(base64: string): string | undefined {
  let text: string;
  try {
    text = Buffer.from(base64, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const blocks = text.match(CERT_BLOCK);
  if (!blocks) return undefined;
  return Buffer.from(blocks.join('\n') + '\n', 'utf8').toString('base64');
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mayHoldValue(value: string): boolean {
  const v = value.trim();
  return v.length > SECRET_ANNOTATION_MAX || v.includes('\n') || v.startsWith('{') || v.startsWith('[') || EMBEDDED_SECRET.test(v);
}

/**
 * An object's annotations without copies of objects: undefined when nothing is dropped (the same
 * object can then be kept); on a Secret, `dropped` names what went.
 */
export function withoutEmbeddedObjects(annotations: Readonly<Record<string, unknown>> | undefined, secret: boolean): {annotations: Record<string, string>; dropped: string[]} | undefined {
  if (!annotations) return undefined;
  let dropped: string[] | undefined;
  for (const [key, value] of Object.entries(annotations)) {
    const text = typeof value === 'string' ? value : String(value);
    const drop = ORIGINAL_OBJECT_ANNOTATIONS.includes(key) || (secret ? mayHoldValue(text) : text.includes('Secret') && EMBEDDED_SECRET.test(text));
    if (drop) (dropped ??= []).push(key);
  }
  if (!dropped) return undefined;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !dropped!.includes(k))) as Record<string, string>;
  return {annotations: kept, dropped};
}

/** Tolerant of any shape (it runs before objects are fitted to theirs): what is not a map of strings holds no kept value. */
export function redactSecret(secret: KubeObject): Secret {
  const s = secret as Secret & {stringData?: unknown};
  const data: Record<string, string> = {};
  const redacted: string[] = [];
  for (const [key, value] of Object.entries(record(s.data))) {
    const certs = typeof value === 'string' ? certificatesOnly(value) : undefined;
    if (certs !== undefined) data[key] = certs;
    else {
      data[key] = '';
      redacted.push(key);
    }
  }
  for (const key of Object.keys(record(s.stringData))) {
    if (!(key in data)) {
      data[key] = '';
      redacted.push(key);
    }
  }
  const metadata = record(s.metadata) as Secret['metadata'];
  const original = record(metadata.annotations);
  const stripped = withoutEmbeddedObjects(original, true);
  const annotations: Record<string, unknown> = {...(stripped?.annotations ?? original)};
  const droppedAnnotations = (stripped?.dropped ?? []).filter((k) => !ORIGINAL_OBJECT_ANNOTATIONS.includes(k));
  if (redacted.length > 0) annotations[REDACTED_KEYS_ANNOTATION] = redacted.sort().join(',');
  if (droppedAnnotations.length > 0) annotations[REDACTED_ANNOTATIONS_ANNOTATION] = droppedAnnotations.sort().join(',');
  const {stringData: _drop, ...rest} = s;
  return {...rest, metadata: {...metadata, annotations: annotations as Record<string, string>}, data};
}
