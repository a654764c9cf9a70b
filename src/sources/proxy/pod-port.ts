/**
 * GET a path on a pod's port, trying each way in turn: the port-forward subresource (the only way
 * to a port that listens on the pod's loopback, as Envoy's admin does in an Istio sidecar) and the
 * API server's pod proxy (`pods/<pod>:<port>/proxy<path>`, when RBAC allows it but not
 * port-forward). GET only. Each failure keeps its reason; when none answers, the error names them all.
 */
import type {PodHttpClient} from '../kube/port-forward.js';
import type {KubeHttp} from '../metrics/kube-http.js';
import {podProxyPath} from '../metrics/kube-http.js';

export type PodPortTarget = Readonly<{namespace: string; pod: string; port: number}>;

export interface PodPortReader {
  readonly name: string;
  get(target: PodPortTarget, path: string, timeoutMs: number): Promise<string>;
}

export class PodPortError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'PodPortError';
  }
}

export function portForwardReader(client: () => Promise<PodHttpClient>): PodPortReader {
  let created: Promise<PodHttpClient> | undefined;
  return {
    name: 'port-forward',
    async get(t, path, timeoutMs) {
      const res = await (created ??= client()).then((c) => c.get(t, path, timeoutMs, 'proxyAdmin')).catch((e: Error) => {
        throw new PodPortError(e.message);
      });
      if (res.status !== 200) throw new PodPortError(`HTTP ${res.status}: ${res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 160)}`, res.status);
      return res.body.toString('utf8');
    },
  };
}

export function podProxyReader(http: () => Promise<KubeHttp>): PodPortReader {
  return {
    name: 'pod proxy',
    async get(t, path, timeoutMs) {
      const res = await http().then((h) => h.get(podProxyPath(t.namespace, t.pod, t.port, path), {timeoutMs, limit: 'proxyAdmin'})).catch((e: Error) => {
        throw new PodPortError(e.message);
      });
      if (res.status !== 200) throw new PodPortError(`HTTP ${res.status}: ${res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 160)}`, res.status);
      return res.body.toString('utf8');
    },
  };
}

/** The first reader's answer; a 404 from the process itself (a wrong path) is final, anything else tries the next way. */
export async function getFromPod(readers: readonly PodPortReader[], target: PodPortTarget, path: string, timeoutMs: number): Promise<string> {
  const reasons: string[] = [];
  for (const r of readers) {
    try {
      return await r.get(target, path, timeoutMs);
    } catch (error) {
      reasons.push(`${r.name}: ${(error as Error).message}`);
      if (error instanceof PodPortError && error.status === 404 && r.name === 'port-forward') break;
    }
  }
  throw new PodPortError(`${target.namespace}/${target.pod}:${target.port}${path.split('?')[0]} could not be read (${reasons.join('; ')})`);
}
