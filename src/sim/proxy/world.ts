/**
 * A demo world's proxies beyond their metrics: each pod's log source (src/sim/proxy/logs.ts) and,
 * for Istio sidecars of simulated workloads, the Envoy admin handler on port 15000 with the
 * configuration istiod would push to it (computed once per pod: the world's objects do not change).
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {World} from '../demo/world.js';
import type {AdminHandler} from './envoy-admin.js';
import {envoyAdminHandler, ENVOY_ADMIN_PORT} from './envoy-admin.js';
import type {SidecarConfig} from './istio-config.js';
import {sidecarConfig} from './istio-config.js';
import type {PodLogSource} from './logs.js';

export type WorldProxies = Readonly<{
  logSource(pod: Pod): PodLogSource;
  /** The admin handler of a pod's sidecar on `port`, or undefined (no sidecar, or another port). */
  admin(pod: Pod, port: number): AdminHandler | undefined;
}>;

export function worldProxies(world: World, now: () => number = Date.now): WorldProxies {
  const configs = new Map<string, SidecarConfig>();
  const handlers = new Map<string, AdminHandler>();
  const key = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;
  const configOf = (pod: Pod) => () => {
    let c = configs.get(key(pod));
    if (!c) configs.set(key(pod), (c = sidecarConfig(world.objects, pod)));
    return c;
  };
  return {
    logSource(pod) {
      const simPod = world.sim.pod(pod.metadata.namespace ?? '', pod.metadata.name);
      const started = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
      return {scenario: world.scenario.name, sim: world.sim, pod, ...(simPod ? {simPod} : {}), config: configOf(pod), startedMs: Number.isNaN(started) ? world.sim.startMs : started};
    },
    admin(pod, port) {
      if (port !== ENVOY_ADMIN_PORT) return undefined;
      const simPod = world.sim.pod(pod.metadata.namespace ?? '', pod.metadata.name);
      if (!simPod || simPod.workload.mesh !== 'istio' || !(pod.spec?.containers ?? []).some((c) => c.name === 'istio-proxy')) return undefined;
      let h = handlers.get(key(pod));
      if (!h) handlers.set(key(pod), (h = envoyAdminHandler({sim: world.sim, simPod, pod, config: configOf(pod), version: `${world.sim.graph.versions?.istio ?? '1.27.1'}/1.35.3/Clean/RELEASE/BoringSSL`, now})));
      return h;
    },
  };
}
