/**
 * The pod drill-down's reads (the engine owns one): for each pod the screen shows (podWatches), its
 * containers' logs followed (`GET pods/log?follow=true`, the last 500 lines first; a stream that
 * ends is reopened after a pause while the pod is still on screen) and its proxy's own view read
 * every few seconds — Envoy's admin endpoint through a port-forward, else the pod proxy (read-only
 * paths, src/sources/proxy/envoy-view.ts), or a Linkerd proxy's metrics (admin port 4191). Pods that
 * leave the screen are stopped at once. Everything becomes actions; nothing here throws into the UI.
 */
import type {KubeHttp} from '../sources/metrics/kube-http.js';
import type {LinkerdProxyView} from '../mesh/linkerd/proxy-view.js';
import type {PodHttpClient} from '../sources/kube/port-forward.js';
import type {LogFollow} from '../sources/kube/pod-logs.js';
import type {EnvoyPart} from '../sources/proxy/envoy-view.js';
import type {PodWatch} from './state/pod.js';
import {podKey} from './state/pod.js';
import type {Action} from './state/types.js';

export const PROXY_EVERY_MS = 3000;
const LOG_TAIL = 500;
const RETRY_MS = 5000;
const LINKERD_ADMIN_PORT = 4191;

export type PodFeedOptions = Readonly<{
  kubeHttp: () => Promise<KubeHttp>;
  portForward: () => Promise<PodHttpClient>;
  dispatch: (action: Action) => void;
  now: () => number;
  timeoutMs: number;
}>;

type Running = {watch: PodWatch; json: string; follows: LogFollow[]; timers: Set<ReturnType<typeof setTimeout>>; stopped: boolean; linkerd?: LinkerdProxyView};

export class PodFeed {
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: PodFeedOptions) {}

  /** Read exactly these pods from now on. */
  watch(watches: readonly PodWatch[]): void {
    const next = new Map(watches.map((w) => [podKey(w.namespace, w.pod), w]));
    for (const [key, r] of this.running) {
      if (next.get(key) && JSON.stringify(next.get(key)) === r.json) continue;
      this.end(r);
      this.running.delete(key);
    }
    for (const [key, w] of next) {
      if (this.running.has(key)) continue;
      const r: Running = {watch: w, json: JSON.stringify(w), follows: [], timers: new Set(), stopped: false};
      this.running.set(key, r);
      for (const c of w.logs) this.follow(r, c);
      if (w.proxy) void this.readProxy(r);
    }
  }

  stop(): void {
    for (const r of this.running.values()) this.end(r);
    this.running.clear();
  }

  private end(r: Running): void {
    r.stopped = true;
    for (const f of r.follows) f.stop();
    for (const t of r.timers) clearTimeout(t);
  }

  private later(r: Running, ms: number, fn: () => void): void {
    if (r.stopped) return;
    const t = setTimeout(() => {
      r.timers.delete(t);
      if (!r.stopped) fn();
    }, ms);
    t.unref?.();
    r.timers.add(t);
  }

  private follow(r: Running, container: string): void {
    const {namespace, pod} = r.watch;
    const key = podKey(namespace, pod);
    void Promise.all([this.options.kubeHttp(), import('../sources/kube/pod-logs.js')]).then(([kube, {followLogs}]) => {
      if (r.stopped) return;
      let first = true;
      this.options.dispatch({type: 'pod-log-state', key, container, following: true});
      const handle = followLogs(kube, {namespace, pod, container, tailLines: LOG_TAIL}, (text) => {
        this.options.dispatch({type: 'pod-log', key, container, lines: text.replace(/\n$/, '').split('\n'), ...(first ? {reset: true} : {})});
        first = false;
      }, (error) => {
        this.options.dispatch({type: 'pod-log-state', key, container, following: false, ...(error ? {error: error.message} : {error: 'the log stream ended'})});
        this.later(r, RETRY_MS, () => this.follow(r, container));
      });
      r.follows.push(handle);
    }, (error: Error) => {
      this.options.dispatch({type: 'pod-log-state', key, container, following: false, error: error.message});
      this.later(r, RETRY_MS, () => this.follow(r, container));
    });
  }

  private async readProxy(r: Running): Promise<void> {
    const {namespace, pod, mesh} = r.watch;
    const key = podKey(namespace, pod);
    const at = this.options.now();
    try {
      if (mesh === 'linkerd') {
        const [kube, {parseExposition}, {podProxyPath}, {linkerdProxyView}] = await Promise.all([
          this.options.kubeHttp(), import('../sources/metrics/exposition.js'), import('../sources/metrics/kube-http.js'), import('../mesh/linkerd/proxy-view.js'),
        ]);
        const res = await kube.get(podProxyPath(namespace, pod, LINKERD_ADMIN_PORT, '/metrics'), {timeoutMs: this.options.timeoutMs});
        if (res.status !== 200) throw new Error(`HTTP ${res.status} from the pod proxy`);
        const view = linkerdProxyView(parseExposition(res.body.toString('utf8')), at, r.linkerd);
        r.linkerd = view;
        if (!r.stopped) this.options.dispatch({type: 'pod-proxy', key, at, linkerd: view});
      } else {
        const [{ENVOY_ADMIN_PORTS, readEnvoyView}, {getFromPod, podProxyReader, portForwardReader}] = await Promise.all([import('../sources/proxy/envoy-view.js'), import('../sources/proxy/pod-port.js')]);
        const port = ENVOY_ADMIN_PORTS[mesh ?? 'istio'] ?? 15000;
        const readers = [portForwardReader(this.options.portForward), podProxyReader(this.options.kubeHttp)];
        const parts: EnvoyPart[] = r.watch.logs.length > 0 ? ['clusters', 'endpoints', 'routes', 'listeners', 'stats'] : ['clusters', 'endpoints'];
        const view = await readEnvoyView((path) => getFromPod(readers, {namespace, pod, port}, path, this.options.timeoutMs), parts, {statsFor: r.watch.hosts});
        if (!r.stopped) this.options.dispatch({type: 'pod-proxy', key, at, envoy: view, ...(view.errors.length === parts.length ? {error: view.errors[0].reason} : {})});
      }
    } catch (error) {
      if (!r.stopped) this.options.dispatch({type: 'pod-proxy', key, at, error: (error as Error).message});
    }
    this.later(r, PROXY_EVERY_MS, () => void this.readProxy(r));
  }
}
