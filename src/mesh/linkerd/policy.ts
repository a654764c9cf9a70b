/**
 * Linkerd policy resources (policy.linkerd.io): how Servers select pods and ports, what an
 * AuthorizationPolicy targets, and the shape of mesh TLS identities. A Server's `accessPolicy`
 * defaults to `deny` (v1beta3); older versions have no field and deny whatever is not authorised.
 */
import type {KubeObject, LinkerdServer, LinkerdTargetRef, ParentReference, Pod, Route} from '../../core/kube-types/index.js';
import {matchesSelector} from '../../core/selectors.js';

export const POLICY_GROUP = 'policy.linkerd.io';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const PROXY_ADMIN_PORT = 4191;
export const PROXY_ADMIN_PORT_NAME = 'linkerd-admin';
export const PROXY_INBOUND_PORT = 4143;
export const PROXY_INBOUND_PORT_NAME = 'linkerd-proxy';
export const DEFAULT_INBOUND_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';
export const DEFAULT_INBOUND_POLICY_ENV = 'LINKERD2_PROXY_INBOUND_DEFAULT_POLICY';

/** `core` and the empty string both name the core API group. */
export function normGroup(group: string | undefined): string {
  return !group || group === 'core' ? '' : group;
}

export function serverAccessPolicy(server: LinkerdServer): string {
  const policy = server.spec?.accessPolicy;
  return typeof policy === 'string' ? policy : 'deny';
}

/** Access policies that admit every client (audit only logs what it would deny): nothing to enforce. */
const OPEN_ACCESS_POLICIES = new Set(['all-unauthenticated', 'audit']);

export function serverAllowsEveryone(server: LinkerdServer): boolean {
  return OPEN_ACCESS_POLICIES.has(serverAccessPolicy(server));
}

/** The container port a Server port (number or name) means on this pod, if the pod declares it. */
export function podHasPort(pod: Pod, port: number | string): boolean {
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  return containers.some((c) => (c.ports ?? []).some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port)));
}

/** The proxy's own ports, present on every meshed pod (and injected into pod templates at admission). */
export function isProxyPort(port: number | string): boolean {
  return port === PROXY_ADMIN_PORT || port === PROXY_ADMIN_PORT_NAME || port === PROXY_INBOUND_PORT || port === PROXY_INBOUND_PORT_NAME;
}

export function serverSelectsPod(server: LinkerdServer, pod: Pod): boolean {
  return server.spec.podSelector !== undefined && matchesSelector(pod.metadata.labels, server.spec.podSelector);
}

/** Whether an AuthorizationPolicy/route reference names this object (kind, group, name, namespace). */
export function refNames(ref: LinkerdTargetRef | ParentReference, obj: KubeObject, group: string, fromNamespace: string): boolean {
  const kind = ref.kind ?? '';
  return (
    kind === obj.kind &&
    normGroup(ref.group) === normGroup(group) &&
    ref.name === obj.metadata.name &&
    (ref.namespace ?? fromNamespace) === (obj.metadata.namespace ?? fromNamespace)
  );
}

/** Routes (HTTPRoute of either group, GRPCRoute) attached to a Server through parentRefs. */
export function routeAttachedToServer(route: Route, server: LinkerdServer): boolean {
  const ns = route.metadata.namespace ?? 'default';
  return (route.spec.parentRefs ?? []).some((p) => p.kind === 'Server' && normGroup(p.group) === POLICY_GROUP && p.name === server.metadata.name && (p.namespace ?? ns) === server.metadata.namespace);
}

/** The mesh TLS identity of a ServiceAccount: `<sa>.<ns>.serviceaccount.identity.<linkerd-ns>.<trust-domain>`. */
export function identityOf(serviceAccount: string, namespace: string, linkerdNamespace: string, trustDomain: string): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${linkerdNamespace}.${trustDomain}`;
}

/** Parse a local-trust-domain identity back into its ServiceAccount; undefined for other shapes. */
export function parseIdentity(identity: string, linkerdNamespace: string, trustDomain: string): {serviceAccount: string; namespace: string} | undefined {
  const suffix = `.serviceaccount.identity.${linkerdNamespace}.${trustDomain}`;
  if (!identity.endsWith(suffix)) return undefined;
  const head = identity.slice(0, -suffix.length).split('.');
  if (head.length !== 2 || !head[0] || !head[1]) return undefined;
  return {serviceAccount: head[0], namespace: head[1]};
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `*`, `*.<suffix>` or a dotted DNS-style name; anything else is malformed. */
export function identityWellFormed(identity: string): boolean {
  if (identity === '*') return true;
  const name = identity.startsWith('*.') ? identity.slice(2) : identity;
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => DNS_LABEL.test(l));
}

/**
 * The default inbound policy in force for a pod: the proxy's env (what the injector decided), else
 * the pod's annotation, else its namespace's. Undefined = the cluster default.
 */
export function defaultInboundPolicy(pod: Pod, namespace: KubeObject | undefined): string | undefined {
  const proxy = pod.spec.containers.find((c) => c.name === 'linkerd-proxy') ?? pod.spec.initContainers?.find((c) => c.name === 'linkerd-proxy');
  const env = proxy?.env?.find((e) => e.name === DEFAULT_INBOUND_POLICY_ENV)?.value;
  return env ?? pod.metadata.annotations?.[DEFAULT_INBOUND_POLICY_ANNOTATION] ?? namespace?.metadata.annotations?.[DEFAULT_INBOUND_POLICY_ANNOTATION];
}
