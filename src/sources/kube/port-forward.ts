/**
 * HTTP GET to a pod's port through the Kubernetes port-forward subresource (WebSocket, client-node's
 * PortForward), without opening a local listening port: Node's HTTP client talks over an in-memory
 * stream pair whose far side is the port-forward data channel. Requests arrive in the pod over
 * loopback, which is what istiod's unauthenticated debug endpoints require.
 * Reusable by any source that needs a pod port (istiod syncz; proxy scraping as a fallback).
 */
import http from 'node:http';
import {redactUserinfo} from '../../core/sanitize.js';
import {Duplex, PassThrough, Writable} from 'node:stream';
import type {KubeConfig} from '@kubernetes/client-node';
import {capMessage, LIMITS} from '../limits.js';
import type {LimitName} from '../limits.js';
import type {ClusterAccess} from './kubeconfig.js';
import {loadKubeconfig} from './kubeconfig.js';

export type PodPort = Readonly<{namespace: string; pod: string; port: number}>;
export type PodHttpResponse = Readonly<{status: number; body: Buffer}>;

/** Why a pod port could not be reached. */
export type PortForwardFailure = 'refused' | 'forbidden' | 'unauthorized' | 'not-found' | 'timeout' | 'error';

export class PortForwardError extends Error {
  constructor(readonly failure: PortForwardFailure, message: string, readonly status?: number) {
    super(message);
    this.name = 'PortForwardError';
  }
}

/** The transport seam: a GET on a pod's port. Tests and `--istiod-url` substitute their own. */
export interface PodHttpClient {
  /** The body is capped (`limit`, default the proxy-scrape cap): beyond it the GET fails naming the cap. */
  get(target: PodPort, path: string, timeoutMs: number, limit?: LimitName): Promise<PodHttpResponse>;
}

function tooLarge(what: string, limit: LimitName): PortForwardError {
  return new PortForwardError('error', capMessage(what, limit));
}

function classifyUpgrade(error: unknown): PortForwardError {
  const text = error instanceof Error ? error.message : String((error as {message?: string})?.message ?? error);
  const status = Number(/Unexpected server response: (\d+)/.exec(text)?.[1]);
  if (status === 401) return new PortForwardError('unauthorized', 'port-forward refused: unauthorised (401)', status);
  if (status === 403) return new PortForwardError('forbidden', 'port-forward forbidden (403): RBAC must allow pods/portforward', status);
  if (status === 404) return new PortForwardError('not-found', 'port-forward: pod not found (404)', status);
  if (/ECONNREFUSED/.test(text)) return new PortForwardError('error', `cannot reach the API server for port-forward: ${text}`);
  return new PortForwardError('error', `port-forward failed: ${text}`, Number.isFinite(status) ? status : undefined);
}

/** A Duplex whose writes go to `out` and whose reads come from `inp`. */
function joined(out: PassThrough, inp: PassThrough): Duplex {
  const duplex = new Duplex({
    read() {
      // data is pushed from `inp` below
    },
    write(chunk, _enc, done) {
      out.write(chunk, done);
    },
    final(done) {
      out.end();
      done();
    },
    destroy(err, done) {
      out.destroy();
      inp.destroy();
      done(err);
    },
  });
  inp.on('data', (chunk: Buffer) => duplex.push(chunk));
  inp.on('end', () => duplex.push(null));
  return duplex;
}

export class PortForwardHttpClient implements PodHttpClient {
  constructor(private readonly kubeConfig: KubeConfig, private readonly signal?: AbortSignal) {}

  async get(target: PodPort, path: string, timeoutMs: number, limit: LimitName = 'proxyScrape'): Promise<PodHttpResponse> {
    // Stopped (quit, or :ctx to another cluster): open nothing — a reader falling back to us after an aborted request would reach the old cluster again.
    if (this.signal?.aborted) throw new PortForwardError('error', 'aborted: meshdoctor is exiting');
    const {PortForward} = await import('./client-node.js');
    const toPod = new PassThrough();
    const fromPod = new PassThrough();
    let errorText = '';
    const errors = new Writable({
      write(chunk: Buffer, _enc, done) {
        errorText += chunk.toString('utf8');
        done();
      },
    });
    const forward = new PortForward(this.kubeConfig, false);
    let socket: {close(): void; on?: (event: string, fn: () => void) => void} | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new PortForwardError('timeout', `no answer from ${target.namespace}/${target.pod}:${target.port} within ${timeoutMs / 1000}s`)), timeoutMs);
      timer.unref();
      onAbort = () => reject(new PortForwardError('error', 'aborted: meshdoctor is exiting'));
      if (this.signal?.aborted) onAbort();
      else this.signal?.addEventListener('abort', onAbort, {once: true});
    });
    const exchange = (async () => {
      try {
        socket = (await forward.portForward(target.namespace, target.pod, [target.port], fromPod, errors, toPod)) as typeof socket;
      } catch (error) {
        throw classifyUpgrade(error);
      }
      // The kubelet closes the WebSocket when the pod side closes; end our read side with it.
      socket?.on?.('close', () => fromPod.end());
      return new Promise<PodHttpResponse>((resolve, reject) => {
        const req = http.request({
          method: 'GET',
          path,
          host: '127.0.0.1',
          port: target.port,
          headers: {Host: `127.0.0.1:${target.port}`, Accept: 'application/json', Connection: 'close', 'User-Agent': 'meshdoctor'},
          createConnection: () => joined(toPod, fromPod) as unknown as import('node:net').Socket,
        }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if ((size += c.length) > LIMITS[limit]) {
              res.destroy();
              return reject(tooLarge(`the answer of ${target.namespace}/${target.pod}:${target.port}`, limit));
            }
            chunks.push(c);
          });
          res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks)}));
          res.on('error', reject);
        });
        req.on('error', (err) => {
          if (errorText) reject(new PortForwardError(/refused/i.test(errorText) ? 'refused' : 'error', errorText.trim()));
          else reject(new PortForwardError('error', `request through port-forward failed: ${err.message}`));
        });
        req.end();
      });
    })();
    try {
      return await Promise.race([exchange, deadline]);
    } catch (error) {
      if (error instanceof PortForwardError && error.failure === 'error' && /refused/i.test(errorText)) throw new PortForwardError('refused', errorText.trim());
      throw error;
    } finally {
      if (onAbort) this.signal?.removeEventListener('abort', onAbort);
      socket?.close();
      toPod.destroy();
      fromPod.destroy();
    }
  }
}

export type PortForwardOptions = ClusterAccess & Readonly<{
  /** Aborts every exchange in flight and every exec credential plugin running (the TUI quitting). */
  signal?: AbortSignal;
}>;

/** A port-forward client for the cluster a command reads (exec credential plugins bounded by `requestTimeoutMs`). */
export async function createPortForwardClient(options: PortForwardOptions = {}): Promise<PodHttpClient> {
  const loaded = await loadKubeconfig(options);
  return new PortForwardHttpClient(loaded.kubeConfig, options.signal);
}

/** The `--istiod-url` path: plain HTTP(S) GET, no port-forward (the target ignores pod and port). */
export class DirectHttpClient implements PodHttpClient {
  constructor(private readonly baseUrl: string, private readonly signal?: AbortSignal) {}

  async get(_target: PodPort, path: string, timeoutMs: number, limit: LimitName = 'proxyScrape'): Promise<PodHttpResponse> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const shown = redactUserinfo(url.origin);
    try {
      const deadline = AbortSignal.timeout(timeoutMs);
      const res = await fetch(url, {signal: this.signal ? AbortSignal.any([deadline, this.signal]) : deadline, headers: {Accept: 'application/json'}});
      // Read as it arrives, so that an endless answer stops at the cap rather than filling memory.
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body ?? []) {
        if ((size += chunk.length) > LIMITS[limit]) {
          await res.body?.cancel().catch(() => undefined);
          throw tooLarge(`the answer of ${shown}`, limit);
        }
        chunks.push(Buffer.from(chunk));
      }
      return {status: res.status, body: Buffer.concat(chunks)};
    } catch (error) {
      if (error instanceof PortForwardError) throw error;
      const e = error as {name?: string; cause?: {code?: string}; message?: string};
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new PortForwardError('timeout', `${shown} did not answer within ${timeoutMs / 1000}s`);
      if (e.cause?.code === 'ECONNREFUSED') throw new PortForwardError('refused', `connection to ${shown} refused`);
      throw new PortForwardError('error', `${shown}: ${e.cause?.code ?? e.message ?? String(error)}`);
    }
  }
}
