/**
 * The HTTP probes the kubelet sends to a pod, as Linkerd's policy controller reads them
 * (pod_http_probes in policy-controller/k8s/index/src/inbound/workload.rs, linkerd/linkerd2):
 * liveness, readiness and startup probes with `httpGet`, from regular and init containers; a named
 * port is looked up among the same container's ports (case-insensitively); the path defaults to
 * `/` and only its path part counts.
 */
import type {Container, Pod} from '../core/kube-types/index.js';

export type HttpProbe = Readonly<{container: string; kind: 'liveness' | 'readiness' | 'startup'; port: number; path: string; headers: readonly Readonly<{name: string; value: string}>[]}>;

const KINDS = [['livenessProbe', 'liveness'], ['readinessProbe', 'readiness'], ['startupProbe', 'startup']] as const;

function probePort(port: unknown, container: Container): number | undefined {
  if (typeof port === 'number') return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  if (typeof port !== 'string' || port === '') return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  const wanted = port.toLowerCase();
  const found = (Array.isArray(container.ports) ? container.ports : []).find((p) => typeof p?.name === 'string' && p.name.toLowerCase() === wanted);
  return typeof found?.containerPort === 'number' ? found.containerPort : undefined;
}

function pathOnly(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end) || '/';
}

export function httpProbes(pod: Pod): HttpProbe[] {
  const spec = pod.spec as Partial<Pod['spec']> | undefined;
  const containers = [...(Array.isArray(spec?.containers) ? spec.containers : []), ...(Array.isArray(spec?.initContainers) ? spec.initContainers : [])];
  const out: HttpProbe[] = [];
  for (const container of containers) {
    if (!container || typeof container !== 'object') continue;
    for (const [field, kind] of KINDS) {
      const get = container[field]?.httpGet;
      if (!get || typeof get !== 'object') continue;
      const port = probePort(get.port, container);
      if (port === undefined) continue;
      const raw: readonly unknown[] = Array.isArray(get.httpHeaders) ? get.httpHeaders : [];
      const headers = raw.filter((h): h is {name: string; value: string} => typeof (h as {name?: unknown} | null)?.name === 'string' && typeof (h as {value?: unknown}).value === 'string');
      out.push({container: String(container.name), kind, port, path: pathOnly(get.path), headers});
    }
  }
  return out;
}
