/**
 * CHECKS.md D10: the snapshot never holds secret material. Of a Secret's data only certificate
 * PEM blocks survive (public by nature); private keys and every other value are replaced by an
 * empty string, with the key names kept (checks need "has tls.key" facts) and listed in an
 * annotation. `stringData` is dropped entirely.
 */
import type {KubeObject, Secret} from '../core/kube-types/index.js';

export const REDACTED_KEYS_ANNOTATION = 'meshdoctor.io/redacted-keys';
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

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
  const annotations: Record<string, unknown> = {...record(metadata.annotations)};
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (redacted.length > 0) annotations[REDACTED_KEYS_ANNOTATION] = redacted.sort().join(',');
  const {stringData: _drop, ...rest} = s;
  return {...rest, metadata: {...metadata, annotations: annotations as Record<string, string>}, data};
}
