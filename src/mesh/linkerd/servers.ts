/**
 * Which Linkerd Server governs which pod port, as the policy controller decides it
 * (policy-controller/k8s/index/src/inbound/index.rs in linkerd/linkerd2, `reindex_servers`): a
 * Server selects pods by `podSelector` and one port — a number, or a container port name that may
 * stand for several numbers; when several Servers select the same pod port, the one created first
 * (then the first by name) wins and the others are skipped for that port. Tolerant of malformed
 * objects: a Server without a usable selector or port governs nothing.
 */
import type {ObjectReader} from '../../core/check.js';
import type {LabelSelector, LinkerdServer, Pod} from '../../core/kube-types/index.js';
import {podActive} from '../pods.js';

export type PortClaim = Readonly<{server: LinkerdServer; port: number}>;

/** The pod's container ports (regular and init containers) as declared, tolerating junk. */
function containerPorts(pod: Pod): {name?: string; containerPort: number}[] {
  const spec = pod.spec as Partial<Pod['spec']> | undefined;
  const containers = [...(Array.isArray(spec?.containers) ? spec.containers : []), ...(Array.isArray(spec?.initContainers) ? spec.initContainers : [])];
  const out: {name?: string; containerPort: number}[] = [];
  for (const c of containers) {
    for (const p of Array.isArray(c?.ports) ? c.ports : []) {
      if (p && typeof p.containerPort === 'number') out.push({name: typeof p.name === 'string' ? p.name : undefined, containerPort: p.containerPort});
    }
  }
  return out;
}

/** The port numbers a Server's `spec.port` means on this pod (a name may match several containers). */
export function serverPortNumbers(server: LinkerdServer, pod: Pod): number[] {
  const port = server.spec?.port;
  if (typeof port === 'number') return Number.isInteger(port) && port > 0 && port < 65536 ? [port] : [];
  if (typeof port !== 'string' || port === '') return [];
  if (/^\d+$/.test(port)) return [Number(port)];
  return [...new Set(containerPorts(pod).filter((p) => p.name === port).map((p) => p.containerPort))];
}

/** A usable podSelector, or undefined (absent, or not an object). */
export function serverPodSelector(server: LinkerdServer): LabelSelector | undefined {
  const selector = server.spec?.podSelector;
  return selector !== null && typeof selector === 'object' && !Array.isArray(selector) ? selector : undefined;
}

function createdMs(server: LinkerdServer): number {
  const t = typeof server.metadata.creationTimestamp === 'string' ? Date.parse(server.metadata.creationTimestamp) : NaN;
  // No timestamp sorts first, as an absent creation time does in the policy controller's ordering.
  return Number.isNaN(t) ? -Infinity : t;
}

/** Precedence among Servers claiming one pod port: created first, then first by name. */
export function serverPrecedence(a: LinkerdServer, b: LinkerdServer): number {
  const ta = createdMs(a);
  const tb = createdMs(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export type PodServers = Readonly<{pod: Pod; claims: readonly PortClaim[]}>;

/**
 * Every active pod selected by at least one Server, with the (Server, port number) claims on it,
 * in Server precedence order. Cost: one label-indexed selection per Server.
 */
export function podServerClaims(objects: ObjectReader): PodServers[] {
  const servers = objects.list('servers.policy.linkerd.io').filter((s) => serverPodSelector(s) !== undefined).sort(serverPrecedence);
  const byPod = new Map<Pod, PortClaim[]>();
  for (const server of servers) {
    const ns = server.metadata.namespace ?? 'default';
    for (const pod of objects.select('pods', ns, serverPodSelector(server)!)) {
      if (!podActive(pod)) continue;
      let claims = byPod.get(pod);
      if (!claims) byPod.set(pod, (claims = []));
      for (const port of serverPortNumbers(server, pod)) claims.push({server, port});
    }
  }
  return [...byPod].map(([pod, claims]) => ({pod, claims}));
}

/** The claim that governs each port of a pod (the first in precedence order). */
export function governingClaims(claims: readonly PortClaim[]): Map<number, PortClaim> {
  const governing = new Map<number, PortClaim>();
  for (const claim of claims) if (!governing.has(claim.port)) governing.set(claim.port, claim);
  return governing;
}
