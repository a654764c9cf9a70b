/**
 * GET requests to API server paths the typed KubeSource does not cover: the `services/proxy`
 * subresource (an in-cluster Prometheus) and the `pods/proxy` subresource (a proxy's metrics port).
 * Credentials come from the same kubeconfig rules as the live source (client certificates, tokens,
 * exec plugins), applied per request. GET only — meshdoctor never writes to a cluster.
 */
import http, {type IncomingMessage} from 'node:http';
import https from 'node:https';
import type {KubeConfig} from '@kubernetes/client-node';
import {redactUserinfo} from '../../core/sanitize.js';
import {capMessage, LIMITS} from '../limits.js';
import type {LimitName} from '../limits.js';
import type {ClusterAccess} from '../kube/kubeconfig.js';
import {loadKubeconfig} from '../kube/kubeconfig.js';

export type KubeHttpResponse = Readonly<{status: number; body: Buffer; contentType?: string}>;

/** A request that got no (whole) HTTP answer: refused, DNS, TLS, `timeout`, or `capped` (larger than its cap). */
export class KubeHttpError extends Error {
  constructor(message: string, readonly timeout = false, readonly capped = false) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

export interface KubeHttp {
  /** e.g. `https://10.0.0.1:6443` */
  readonly server: string;
  /** GET an absolute API path (with query); the body is capped (`limit`, default the proxy-scrape cap). */
  get(path: string, options: Readonly<{timeoutMs: number; limit?: LimitName; accept?: string}>): Promise<KubeHttpResponse>;
  /** Headers and agent carrying this kubeconfig's credentials, for another HTTP client (axios). */
  auth(): Promise<Readonly<{headers: Record<string, string | string[]>; agent?: http.Agent}>>;
}

/** Exec credential plugins are bounded by `requestTimeoutMs` (`--request-timeout`; default 30 s). */
export type KubeHttpOptions = ClusterAccess & Readonly<{
  env?: NodeJS.ProcessEnv;
  /** Aborts every request in flight and every exec credential plugin running (the TUI quitting). */
  signal?: AbortSignal;
}>;

class NodeKubeHttp implements KubeHttp {
  /** For messages: userinfo redacted. */
  private readonly display: string;

  constructor(private readonly kubeConfig: KubeConfig, readonly server: string, private readonly signal?: AbortSignal) {
    this.display = redactUserinfo(server);
  }

  async auth(): Promise<{headers: Record<string, string | string[]>; agent?: http.Agent}> {
    const options: https.RequestOptions = {headers: {}};
    try {
      await this.kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw new KubeHttpError(`cannot authenticate to ${this.display}: ${(error as Error).message}`);
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (typeof v === 'string') headers[k] = k.toLowerCase() === 'authorization' ? v.trim() : v;
      // Impersonate-Group: one header line per group.
      else if (Array.isArray(v)) headers[k] = v.map(String);
    }
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    return {headers, ...(options.agent instanceof http.Agent ? {agent: options.agent} : {})};
  }

  async get(path: string, options: Readonly<{timeoutMs: number; limit?: LimitName; accept?: string}>): Promise<KubeHttpResponse> {
    const {headers, agent} = await this.auth();
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const lib = url.protocol === 'https:' ? https : http;
    const limit = options.limit ?? 'proxyScrape';
    const max = LIMITS[limit];
    return new Promise<KubeHttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, value?: KubeHttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          request.destroy();
          reject(err);
        } else resolve(value!);
      };
      const request = lib.request(url, {method: 'GET', headers: {Accept: options.accept ?? '*/*', 'User-Agent': 'meshdoctor', ...headers}, ...(url.protocol === 'https:' && agent ? {agent} : {}), ...(this.signal ? {signal: this.signal} : {})}, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) return finish(new KubeHttpError(capMessage(`the answer of ${path.replace(/\?.*$/, '')}`, limit), false, true));
          chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, {status: res.statusCode ?? 0, body: Buffer.concat(chunks), contentType: res.headers['content-type']}));
        res.on('error', (e) => finish(new KubeHttpError(`${url.host}: ${e.message}`)));
      });
      const timer = setTimeout(() => finish(new KubeHttpError(`${this.display} did not answer within ${options.timeoutMs / 1000}s`, true)), options.timeoutMs);
      request.on('error', (e: NodeJS.ErrnoException) => {
        const reason = e.code === 'ECONNREFUSED' ? `connection to ${this.display} refused` : e.code === 'ENOTFOUND' ? `cannot resolve ${url.hostname}` : `${this.display}: ${e.message}`;
        finish(new KubeHttpError(reason));
      });
      request.end();
    });
  }
}

export async function createKubeHttp(options: KubeHttpOptions = {}): Promise<KubeHttp> {
  const loaded = await loadKubeconfig(options);
  return new NodeKubeHttp(loaded.kubeConfig, loaded.server, options.signal);
}

/** `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy` */
export function serviceProxyPath(namespace: string, name: string, port: number | string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}:${encodeURIComponent(String(port))}/proxy`;
}

/** `/api/v1/namespaces/<ns>/pods/<name>:<port>/proxy<path>` */
export function podProxyPath(namespace: string, pod: string, port: number, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy${path}`;
}
