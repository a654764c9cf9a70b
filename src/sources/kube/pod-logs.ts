/**
 * Container logs through the API server (`GET pods/<pod>/log`), read-only: once (`tailLines`,
 * `sinceSeconds`, `timestamps`, capped by `limitBytes`) or followed (`follow=true`: the response
 * stays open and each chunk of new lines is handed over until `stop()`). Credentials as every other
 * request (the kubeconfig, applied per request).
 */
import http from 'node:http';
import https from 'node:https';
import type {KubeHttp} from '../metrics/kube-http.js';

export type LogRequest = Readonly<{namespace: string; pod: string; container: string; tailLines?: number; sinceSeconds?: number; timestamps?: boolean; limitBytes?: number}>;

export class PodLogError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'PodLogError';
  }
}

export function logPath(req: LogRequest, follow = false): string {
  const q = new URLSearchParams({container: req.container});
  if (req.tailLines !== undefined) q.set('tailLines', String(req.tailLines));
  if (req.sinceSeconds !== undefined) q.set('sinceSeconds', String(req.sinceSeconds));
  if (req.timestamps) q.set('timestamps', 'true');
  if (req.limitBytes !== undefined) q.set('limitBytes', String(req.limitBytes));
  if (follow) q.set('follow', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log?${q}`;
}

const ERROR_BODY_CHARS = 64 * 1024;
const MAX_LINE_CHARS = 1024 * 1024;

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as {message?: string};
    if (typeof s.message === 'string') return s.message;
  } catch {
    // not a Status
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}

export async function readLogs(kube: KubeHttp, req: LogRequest, timeoutMs: number): Promise<string> {
  const res = await kube.get(logPath(req), {timeoutMs, limit: 'podLog', accept: 'text/plain'});
  const body = res.body.toString('utf8');
  if (res.status !== 200) throw new PodLogError(`logs of ${req.namespace}/${req.pod} (${req.container}): ${statusMessage(body)}`, res.status);
  return body;
}

export type LogFollow = Readonly<{stop(): void}>;

/** Follow a container's log: `onText` gets whole lines as they arrive; `onEnd` once, with the reason when it failed. */
export function followLogs(kube: KubeHttp, req: LogRequest, onText: (text: string) => void, onEnd: (error?: Error) => void): LogFollow {
  let stopped = false;
  let request: http.ClientRequest | undefined;
  let ended = false;
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    if (!stopped) onEnd(error);
  };
  void kube.auth().then(({headers, agent}) => {
    if (stopped) return;
    const url = new URL(kube.server.replace(/\/$/, '') + logPath(req, true));
    const lib = url.protocol === 'https:' ? https : http;
    request = lib.request(url, {method: 'GET', headers: {Accept: 'text/plain', 'User-Agent': 'meshdoctor', ...headers}, ...(url.protocol === 'https:' && agent ? {agent} : {})}, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        // Only the Status message is shown: the rest of an error body is not kept.
        res.on('data', (c: Buffer) => {
          if (body.length < ERROR_BODY_CHARS) body += c.toString('utf8');
        });
        res.on('end', () => end(new PodLogError(`logs of ${req.namespace}/${req.pod} (${req.container}): ${statusMessage(body)}`, res.statusCode)));
        return;
      }
      let partial = '';
      res.on('data', (c: Buffer) => {
        const text = partial + c.toString('utf8');
        const cut = text.lastIndexOf('\n');
        partial = cut === -1 ? text : text.slice(cut + 1);
        if (cut !== -1 && !stopped) onText(text.slice(0, cut + 1));
        // A line without end (a binary blob written to stdout) is passed on in pieces instead of growing.
        if (partial.length > MAX_LINE_CHARS) {
          if (!stopped) onText(`${partial}\n`);
          partial = '';
        }
      });
      res.on('end', () => {
        if (partial && !stopped) onText(`${partial}\n`);
        end();
      });
      res.on('error', (e) => end(e));
    });
    request.on('error', (e) => end(e));
    request.end();
  }, (e: Error) => end(e));
  return {
    stop() {
      stopped = true;
      request?.destroy();
    },
  };
}
