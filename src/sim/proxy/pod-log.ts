/**
 * The `pods/log` subresource of the fixture API server, as the kubelet answers it through the API
 * server (what `kubectl logs` and meshdoctor's log reader call): `container` (required when the pod
 * has several; kubectl picks the default itself), `tailLines`, `sinceSeconds`/`sinceTime`,
 * `timestamps` (RFC 3339 with nanoseconds before each line), `limitBytes`, `previous` (no container
 * here ever restarted: 400 as upstream says it), and `follow` (the response stays open and new lines
 * arrive each second until the client goes). Errors are Status objects with upstream's messages.
 */
import type {ServerResponse} from 'node:http';
import type {Pod} from '../../core/kube-types/index.js';
import type {FixtureApiServer, SubresourceCall} from '../api-server/index.js';
import type {LogLine, PodLogSource} from './logs.js';
import {containerLog, containerLogBetween} from './logs.js';

function status(res: ServerResponse, code: number, message: string, reason = 'BadRequest'): void {
  const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code});
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)}).end(body);
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export type LogResolver = (pod: Pod) => PodLogSource | undefined;

export function registerPodLogs(api: FixtureApiServer, resolve: LogResolver, now: () => number = Date.now): void {
  api.registerSubresource('pods', 'log', (call: SubresourceCall) => {
    if (call.kind !== 'http') return;
    const pod = call.object as Pod;
    const q = call.query;
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = q.get('container') ?? (names.length === 1 ? names[0] : undefined);
    if (!container) return status(call.res, 400, `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
    if (!names.includes(container) && !(pod.spec?.initContainers ?? []).some((c) => c.name === container)) return status(call.res, 400, `container ${container} is not valid for pod ${pod.metadata.name}`);
    if (q.get('previous') === 'true') return status(call.res, 400, `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    if (pod.status?.phase !== 'Running') return status(call.res, 400, `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    const src = resolve(pod);
    const to = now();
    const tail = q.has('tailLines') ? Number(q.get('tailLines')) : undefined;
    const sinceSeconds = q.has('sinceSeconds') ? Number(q.get('sinceSeconds')) : undefined;
    const sinceTime = q.has('sinceTime') ? Date.parse(q.get('sinceTime')!) : undefined;
    if ((tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) || (sinceSeconds !== undefined && !(sinceSeconds > 0)) || (sinceTime !== undefined && Number.isNaN(sinceTime))) {
      return status(call.res, 400, 'invalid log options: tailLines must be ≥ 0, sinceSeconds > 0, sinceTime RFC 3339');
    }
    const since = sinceSeconds !== undefined ? to - sinceSeconds * 1000 : sinceTime;
    const timestamps = q.get('timestamps') === 'true';
    let budget = q.has('limitBytes') ? Math.max(0, Number(q.get('limitBytes'))) : Infinity;
    const format = (lines: readonly LogLine[]) => {
      let text = lines.map((l) => `${timestamps ? `${nanoTime(l.t)} ` : ''}${l.text}\n`).join('');
      if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString('utf8');
      budget -= Buffer.byteLength(text);
      return text;
    };
    const first = src ? containerLog(src, container, {toMs: to, ...(since !== undefined ? {sinceMs: since} : {}), ...(tail !== undefined ? {tailLines: tail} : {})}) : [];
    const follow = q.get('follow') === 'true';
    if (!follow) {
      const body = format(first);
      call.res.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body)}).end(body);
      return;
    }
    call.res.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'});
    call.res.write(format(first));
    let last = to;
    const timer = setInterval(() => {
      if (call.res.destroyed || call.res.writableEnded) return clearInterval(timer);
      const t = now();
      const text = src ? format(containerLogBetween(src, container, last, t)) : '';
      last = t;
      if (text) call.res.write(text);
      if (budget <= 0) {
        clearInterval(timer);
        call.res.end();
      }
    }, 1000);
    timer.unref();
    call.res.on('close', () => clearInterval(timer));
  });
}
