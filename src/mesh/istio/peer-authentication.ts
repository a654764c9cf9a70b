/**
 * Effective PeerAuthentication for a workload port (Istio security docs, "PeerAuthentication"):
 * a workload policy (selector matching the pod, in its namespace) beats the namespace policy
 * (no selector, pod namespace), which beats the mesh policy (no selector, root namespace).
 * `portLevelMtls` applies only on a workload policy and overrides its mode for that container port.
 * UNSET inherits from the next level; with nothing set the mode is PERMISSIVE. When several
 * policies compete at one level, Istio uses the oldest.
 */
import type {ObjectReader} from '../../core/check.js';
import type {PeerAuthentication, Pod} from '../../core/kube-types/index.js';
import {matchesLabels} from '../../core/selectors.js';

export type PeerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export type EffectivePeerMode = Readonly<{
  mode: PeerMode;
  /** `ns/name` of the policy that decided, or `default` when none did. */
  source: string;
  level: 'port' | 'workload' | 'namespace' | 'mesh' | 'default';
}>;

function normalise(mode: string | undefined): PeerMode | undefined {
  const m = (mode ?? '').toUpperCase();
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
}

function oldest(list: readonly PeerAuthentication[]): PeerAuthentication | undefined {
  return [...list].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name))[0];
}

function hasSelector(pa: PeerAuthentication): boolean {
  return Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0;
}

const key = (pa: PeerAuthentication) => `${pa.metadata.namespace}/${pa.metadata.name}`;

export class PeerAuthentications {
  private readonly byNamespace = new Map<string, PeerAuthentication[]>();

  constructor(objects: ObjectReader, private readonly rootNamespace: string) {
    for (const pa of objects.list('peerauthentications.security.istio.io')) {
      const ns = pa.metadata.namespace ?? 'default';
      let l = this.byNamespace.get(ns);
      if (!l) this.byNamespace.set(ns, (l = []));
      l.push(pa);
    }
  }

  /** The workload, namespace and mesh policies in effect for a pod. */
  policiesFor(pod: Pod): Readonly<{workload?: PeerAuthentication; namespace?: PeerAuthentication; mesh?: PeerAuthentication}> {
    const ns = pod.metadata.namespace ?? 'default';
    const local = this.byNamespace.get(ns) ?? [];
    const workload = oldest(local.filter((pa) => hasSelector(pa) && matchesLabels(pod.metadata.labels, pa.spec.selector?.matchLabels)));
    const namespace = oldest(local.filter((pa) => !hasSelector(pa)));
    const mesh = ns === this.rootNamespace ? namespace : oldest((this.byNamespace.get(this.rootNamespace) ?? []).filter((pa) => !hasSelector(pa)));
    return {workload, namespace, mesh};
  }

  /** Effective mode for traffic arriving on `containerPort` (undefined = the workload-wide mode). */
  modeFor(pod: Pod, containerPort?: number): EffectivePeerMode {
    const {workload, namespace, mesh} = this.policiesFor(pod);
    if (workload && containerPort !== undefined) {
      const port = normalise(workload.spec.portLevelMtls?.[String(containerPort)]?.mode);
      if (port) return {mode: port, source: key(workload), level: 'port'};
    }
    for (const [level, pa] of [['workload', workload], ['namespace', namespace], ['mesh', mesh]] as const) {
      const mode = pa ? normalise(pa.spec.mtls?.mode) : undefined;
      if (pa && mode) return {mode, source: key(pa), level};
    }
    return {mode: 'PERMISSIVE', source: 'default', level: 'default'};
  }

  /** Container ports with a port-level override on the pod's workload policy. */
  portOverrides(pod: Pod): number[] {
    const {workload} = this.policiesFor(pod);
    return Object.keys(workload?.spec.portLevelMtls ?? {}).filter((p) => /^\d+$/.test(p)).map(Number);
  }
}
