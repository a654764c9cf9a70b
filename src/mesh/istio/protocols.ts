/**
 * Istio port-protocol selection (istio/istio pkg/config/analysis/msg/messages.yaml IST0118, "protocol selection"): a Service
 * port's protocol comes from `appProtocol`, else from its name `<protocol>[-<suffix>]`; otherwise
 * Istio sniffs the protocol on the first bytes. Pure knowledge, shared by MD5117, MD5118 and describe.
 */
import type {ServicePort} from '../../core/kube-types/index.js';

/** Name prefixes Istio recognises, longest first so `http2` wins over `http`. */
export const PROTOCOL_PREFIXES = [
  'grpc-web', 'http_proxy', 'https', 'http2', 'http', 'grpc', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis',
] as const;

export type DeclaredProtocol = Readonly<{protocol: string; source: 'appProtocol' | 'name'}>;

/** The protocol a name declares (`http-web` → http), or undefined when the name follows no convention. */
export function protocolFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  for (const prefix of PROTOCOL_PREFIXES) {
    if (lower === prefix || lower.startsWith(`${prefix}-`)) return prefix;
  }
  return undefined;
}

/** `kubernetes.io/h2c` → http2, `istio.io/grpc`-style prefixes stripped, case folded. */
function normaliseAppProtocol(value: string): string {
  const lower = value.toLowerCase();
  if (lower === 'kubernetes.io/h2c') return 'http2';
  if (lower === 'kubernetes.io/ws' || lower === 'kubernetes.io/wss') return 'http';
  const slash = lower.lastIndexOf('/');
  return slash === -1 ? lower : lower.slice(slash + 1);
}

/** What a Service port declares: appProtocol first, then the name prefix; undefined = sniffed. */
export function declaredProtocol(port: ServicePort): DeclaredProtocol | undefined {
  if (port.appProtocol) return {protocol: normaliseAppProtocol(port.appProtocol), source: 'appProtocol'};
  const fromName = protocolFromName(port.name);
  return fromName ? {protocol: fromName, source: 'name'} : undefined;
}

/** Protocol families that behave the same for conflict purposes (http and http2 are both HTTP). */
export function protocolFamily(protocol: string): string {
  if (protocol === 'http' || protocol === 'http2' || protocol === 'grpc' || protocol === 'grpc-web' || protocol === 'http_proxy') return 'http';
  return protocol;
}

/** `port.name` for messages: `80/web` or `80`. */
export function portLabel(port: ServicePort): string {
  return port.name ? `${port.port}/${port.name}` : String(port.port);
}
