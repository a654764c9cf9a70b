/**
 * `meshdoctor logs POD [-c CONTAINER]`: a container's log through the API server (`GET pods/log`),
 * as `kubectl logs` reads it — by default the application container (the
 * `kubectl.kubernetes.io/default-container` annotation, else the first container that is not the
 * mesh proxy), `-c` for another (`-c proxy` names the pod's mesh proxy whatever it is called).
 * `--tail N`, `--since DURATION`, `-f` to follow. `-o json`: one document with the lines and their
 * times (with `-f`, one JSON object per line as they arrive). Exit 2 for a bad argument, an unknown
 * pod or container; 3 when the cluster cannot be reached.
 */
import type {Pod} from '../../core/kube-types/index.js';
import {sanitizeLine, sanitizeStrings, toSafeJson} from '../../core/sanitize.js';
import {appContainer} from '../../runbooks/finding-context.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {choiceFlag, durationFlag, usage} from '../options.js';
import {oneContext} from '../contexts.js';
import {DEFAULT_REQUEST_TIMEOUT_SECONDS, loadSettings} from '../settings.js';
import type {PodTarget} from './pod-target.js';
import {resolvePod} from './pod-target.js';

export type LogsFlags = GlobalFlags & {container?: string; tail?: string; since?: string; follow?: boolean; output?: string};

/** The container `-c` names, or the default one; a usage error names the pod's containers. */
export function chooseContainer(target: Pick<PodTarget, 'pod' | 'proxyContainer' | 'namespace' | 'name'>, requested: string | undefined): string {
  const pod: Pod = target.pod;
  const names = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].map((c) => c.name);
  if (requested === 'proxy') {
    if (target.proxyContainer) return target.proxyContainer;
    usage(`pod ${target.namespace}/${target.name} has no mesh proxy (containers: ${names.join(', ')})`);
  }
  if (requested) {
    if (!names.includes(requested)) usage(`pod ${target.namespace}/${target.name} has no container "${requested}" (containers: ${names.join(', ')})`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  return appContainer(pod)?.name ?? names[0];
}

/** `2026-03-02T10:00:01.123456789Z text` → its time and text (kubelet timestamps). */
export function splitTimestamp(line: string): {time?: string; text: string} {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/.exec(line);
  return m ? {time: m[1], text: m[2]} : {text: line};
}

export async function runLogsCommand(podArg: string, flags: LogsFlags): Promise<number> {
  const output = choiceFlag('-o', flags.output ?? 'text', ['text', 'json'] as const);
  const tail = flags.tail === undefined ? undefined : Number(flags.tail);
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) usage(`--tail: "${flags.tail}" must be a whole number ≥ 0`);
  const since = durationFlag('--since', flags.since);
  const {cluster} = await loadSettings(flags);
  oneContext(cluster, 'logs');
  const timeoutMs = cluster.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
  const target = await resolvePod(podArg, flags.namespace, cluster);
  const container = chooseContainer(target, flags.container);
  const [{createKubeHttp}, {followLogs, readLogs, PodLogError}] = await Promise.all([import('../../sources/metrics/kube-http.js'), import('../../sources/kube/pod-logs.js')]);
  const kube = await createKubeHttp(cluster);
  const req = {namespace: target.namespace, pod: target.name, container, timestamps: output === 'json', ...(tail !== undefined ? {tailLines: tail} : {}), ...(since !== undefined ? {sinceSeconds: Math.ceil(since)} : {})};
  const fail = (error: unknown): never => {
    if (error instanceof PodLogError && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403) throw new ExitError(ExitCode.usage, error.message);
    throw new ExitError(ExitCode.unavailable, `cannot read the logs of ${target.namespace}/${target.name}: ${(error as Error).message}`);
  };
  const emit = (text: string, stream: boolean) => {
    const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    if (output === 'text') return void process.stdout.write(lines.map((l) => `${sanitizeLine(l)}\n`).join(''));
    const items = sanitizeStrings(lines.map((l) => ({...splitTimestamp(l), container})));
    if (stream) process.stdout.write(items.map((x) => toSafeJson(x, 0)).join(''));
    return items;
  };
  if (!flags.follow) {
    const text = await readLogs(kube, req, timeoutMs).catch(fail);
    if (output === 'text') emit(text, false);
    else process.stdout.write(toSafeJson(sanitizeStrings({schemaVersion: 1, context: target.context, namespace: target.namespace, pod: target.name, container, lines: emit(text, false)})));
    return ExitCode.ok;
  }
  // Follow until the stream ends or the user interrupts.
  return await new Promise<number>((resolve, reject) => {
    const handle = followLogs(kube, req, (text) => emit(text, true), (error) => {
      process.off('SIGINT', onSignal);
      if (!error) return resolve(ExitCode.ok);
      try {
        fail(error);
      } catch (e) {
        reject(e);
      }
    });
    const onSignal = () => {
      handle.stop();
      process.off('SIGINT', onSignal);
      resolve(ExitCode.ok);
    };
    process.on('SIGINT', onSignal);
  });
}
