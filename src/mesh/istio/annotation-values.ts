/**
 * The values Istio's sidecar injector accepts for the annotations it validates before injecting
 * (istio/istio pkg/kube/inject/validate.go `AnnotationValidation`). An invalid value makes the
 * injector fail the pod's admission (inject.go RunTemplate → webhook.go toAdmissionResponse), so
 * no pod of the workload is created. Same rules, written for TypeScript: Go's ParseUint/ParseBool,
 * netip.ParsePrefix and Kubernetes' quantity grammar.
 */
import {parse} from 'yaml';

type Validator = (value: string) => string | undefined;

const UINT32_MAX = 4294967295;

function uint(value: string, max: number): boolean {
  return /^\d+$/.test(value) && Number(value) <= max;
}

function port(value: string): string | undefined {
  return uint(value.trim(), 65535) ? undefined : `"${value}" is not a port number`;
}

function portList(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  for (const p of trimmed.split(',')) {
    const problem = port(p);
    if (problem) return problem;
  }
  return undefined;
}

function ipv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv6(text: string): boolean {
  if (text.includes('%')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!ipv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** Go's netip.ParsePrefix: an address and a prefix length that fits it. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash === -1) return false;
  const addr = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bits)) return false;
  if (ipv4(addr)) return Number(bits) <= 32;
  if (ipv6(addr)) return Number(bits) <= 128;
  return false;
}

function cidrList(value: string): string | undefined {
  if (value === '') return undefined;
  const bad = value.split(',').find((c) => !isCidr(c));
  return bad === undefined ? undefined : `"${bad}" is not a CIDR`;
}

function interfaces(value: string): string | undefined {
  if (value === '') return undefined;
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') return 'empty interface name';
    if (name.length > 15) return `interface name "${name}" is longer than 15 characters`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name)) return `interface name "${name}" has invalid characters`;
  }
  return undefined;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

function quantity(value: string): string | undefined {
  return QUANTITY.test(value) ? undefined : `"${value}" is not a Kubernetes quantity`;
}

const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

function proxyConfig(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = parse(value, {maxAliasCount: 50});
  } catch (e) {
    return `not YAML (${(e as Error).message.split('\n')[0]})`;
  }
  if (parsed === null || parsed === undefined) return undefined;
  return typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : 'not a ProxyConfig mapping';
}

export const ANNOTATION_VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  ['sidecar.istio.io/interceptionMode', (v) => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `"${v}" is not REDIRECT, TPROXY or NONE`)],
  ['status.sidecar.istio.io/port', port],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', (v) => (uint(v, UINT32_MAX) ? undefined : `"${v}" is not a non-negative integer`)],
  ['readiness.status.sidecar.istio.io/periodSeconds', (v) => (uint(v, UINT32_MAX) ? undefined : `"${v}" is not a non-negative integer`)],
  ['readiness.status.sidecar.istio.io/failureThreshold', (v) => (uint(v, UINT32_MAX) ? undefined : `"${v}" is not a non-negative integer`)],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', (v) => (v === '*' ? undefined : cidrList(v))],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrList],
  ['traffic.sidecar.istio.io/includeInboundPorts', (v) => (v === '*' ? undefined : portList(v))],
  ['traffic.sidecar.istio.io/excludeInboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeInterfaces', interfaces],
  ['traffic.sidecar.istio.io/kubevirtInterfaces', interfaces],
  ['istio.io/reroute-virtual-interfaces', interfaces],
  ['prometheus.istio.io/merge-metrics', (v) => (GO_BOOLS.has(v) ? undefined : `"${v}" is not a boolean`)],
  ['proxy.istio.io/config', proxyConfig],
  ['sidecar.istio.io/proxyCPU', quantity],
  ['sidecar.istio.io/proxyMemory', quantity],
  ['sidecar.istio.io/proxyCPULimit', quantity],
  ['sidecar.istio.io/proxyMemoryLimit', quantity],
]);

/** Why the injector would reject this annotation value, or undefined when it accepts it (or does not validate the key). */
export function annotationValueProblem(key: string, value: unknown): string | undefined {
  const validate = ANNOTATION_VALIDATORS.get(key);
  if (!validate) return undefined;
  if (typeof value !== 'string') return 'not a string';
  return validate(value);
}
