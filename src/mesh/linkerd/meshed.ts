/**
 * Whether a pod runs (or, in a manifest run, will run) Linkerd's proxy, and which inbound ports
 * its traffic redirection leaves alone. Facts from linkerd/linkerd2: the injector copies the
 * namespace's `config.linkerd.io/*` annotations onto the pod unless the pod sets its own
 * (AppendNamespaceAnnotations in pkg/inject/inject.go), `config.linkerd.io/skip-inbound-ports`
 * becomes proxy-init's `--inbound-ports-to-ignore` after the proxy's own control and admin ports
 * (charts/partials/templates/_proxy-init.tpl); the CNI plugin reads the same annotation.
 */
import type {KubeObject, Pod} from '../../core/kube-types/index.js';
import type {RunMode} from '../../core/types.js';
import {injectionTargets} from '../injection.js';
import {proxyContainer} from '../markers.js';
import type {PortSpec} from './opaque-ports.js';
import {parsePortSpec} from './opaque-ports.js';

export const SKIP_INBOUND_PORTS_ANNOTATION = 'config.linkerd.io/skip-inbound-ports';
const IGNORE_FLAG = '--inbound-ports-to-ignore';

/**
 * Meshed by Linkerd: the pod runs `linkerd-proxy`; in a manifest run (pod templates are never
 * injected yet) the pod or its namespace asks the injector for it.
 */
export function linkerdMeshed(pod: Pod, ns: KubeObject | undefined, mode: RunMode): boolean {
  if (proxyContainer(pod, 'linkerd')) return true;
  return mode !== 'live' && injectionTargets(pod, ns, ['linkerd']).length > 0;
}

function annotation(obj: KubeObject | undefined, key: string): string | undefined {
  const value = obj?.metadata?.annotations?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The value following `--inbound-ports-to-ignore` (or `=value`) in linkerd-init's args. */
function initIgnoreArg(pod: Pod): string | undefined {
  const init = Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers.find((c) => c?.name === 'linkerd-init') : undefined;
  const args = Array.isArray(init?.args) ? init.args : [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== 'string') continue;
    if (arg === IGNORE_FLAG && typeof args[i + 1] === 'string') return args[i + 1];
    if (arg.startsWith(`${IGNORE_FLAG}=`)) return arg.slice(IGNORE_FLAG.length + 1);
  }
  return undefined;
}

export type SkippedPorts = Readonly<{spec: PortSpec; source: string}>;

/**
 * Inbound ports whose traffic never reaches the proxy: what linkerd-init was told when it ran,
 * else the pod's annotation, else its namespace's (the injector would copy it).
 */
export function skippedInboundPorts(pod: Pod, ns: KubeObject | undefined): SkippedPorts | undefined {
  const fromInit = initIgnoreArg(pod);
  if (fromInit !== undefined) return {spec: parsePortSpec(fromInit), source: `linkerd-init ${IGNORE_FLAG} ${fromInit}`};
  const own = annotation(pod, SKIP_INBOUND_PORTS_ANNOTATION);
  if (own !== undefined) return {spec: parsePortSpec(own), source: `pod annotation ${SKIP_INBOUND_PORTS_ANNOTATION}: ${own}`};
  const inherited = annotation(ns, SKIP_INBOUND_PORTS_ANNOTATION);
  if (inherited !== undefined) return {spec: parsePortSpec(inherited), source: `namespace annotation ${SKIP_INBOUND_PORTS_ANNOTATION}: ${inherited}`};
  return undefined;
}
