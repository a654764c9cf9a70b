/**
 * How consul-k8s registers pods as Consul services (hashicorp/consul-k8s charts/consul): an injected
 * pod is registered under `consul.hashicorp.com/connect-service` (comma-separated for multi-port
 * pods), else under the name of the one Kubernetes Service that selects it
 * (`consul.hashicorp.com/kubernetes-service` picks one when several do; Services labelled
 * `consul.hashicorp.com/service-ignore: "true"` are not considered).
 */
import type {ObjectReader} from '../../core/check.js';
import type {Deployment, Pod, Service} from '../../core/kube-types/index.js';
import {matchesLabels} from '../../core/selectors.js';
import {proxyContainer} from '../markers.js';

export const CONNECT_INJECT = 'consul.hashicorp.com/connect-inject';
export const CONNECT_INJECT_STATUS = 'consul.hashicorp.com/connect-inject-status';
export const CONNECT_SERVICE = 'consul.hashicorp.com/connect-service';
export const KUBERNETES_SERVICE = 'consul.hashicorp.com/kubernetes-service';
export const SERVICE_IGNORE = 'consul.hashicorp.com/service-ignore';

/** Injected (or asking to be): status annotation, the opt-in annotation, or a Consul proxy container. */
export function consulInjected(pod: Pod): boolean {
  const a = pod.metadata.annotations ?? {};
  return a[CONNECT_INJECT_STATUS] === 'injected' || a[CONNECT_INJECT] === 'true' || proxyContainer(pod, 'consul') !== undefined;
}

export function multiPort(pod: Pod): boolean {
  return (pod.metadata.annotations?.[CONNECT_SERVICE] ?? '').includes(',');
}

/** Services in the pod's namespace whose selector matches it (ignored and selector-less Services excluded). */
export function selectingServices(objects: ObjectReader, pod: Pod): Service[] {
  return objects.list('services', pod.metadata.namespace).filter((s) => {
    if (s.spec.type === 'ExternalName') return false;
    if (s.metadata.labels?.[SERVICE_IGNORE] === 'true') return false;
    const sel = s.spec.selector;
    return sel !== undefined && Object.keys(sel).length > 0 && matchesLabels(pod.metadata.labels, sel);
  });
}

/** The Service the pod is registered from: the annotated one when several select it, else the only one. */
export function registeringService(objects: ObjectReader, pod: Pod): Service | undefined {
  const services = selectingServices(objects, pod);
  const chosen = pod.metadata.annotations?.[KUBERNETES_SERVICE];
  if (chosen) return services.find((s) => s.metadata.name === chosen);
  return services.length === 1 ? services[0] : undefined;
}

/** Consul service names a pod registers (empty when registration cannot be decided). */
export function consulServiceNames(objects: ObjectReader, pod: Pod): string[] {
  const annotated = pod.metadata.annotations?.[CONNECT_SERVICE];
  if (annotated) return annotated.split(',').map((s) => s.trim()).filter(Boolean);
  const svc = registeringService(objects, pod);
  return svc ? [svc.metadata.name] : [];
}

/**
 * Every Consul service name injected pods register in the snapshot. A pod whose Service cannot be
 * decided (several select it: MD3301) contributes every candidate, so one root cause does not
 * cascade into "unknown service" findings on the entries that name it.
 */
export function knownConsulServices(objects: ObjectReader): Set<string> {
  const known = new Set<string>();
  for (const pod of objects.list('pods')) {
    if (!consulInjected(pod)) continue;
    const names = consulServiceNames(objects, pod);
    for (const name of names.length > 0 ? names : selectingServices(objects, pod).map((s) => s.metadata.name)) known.add(name);
  }
  return known;
}

/** ACLs are on when the connect-injector is started with `-acl-auth-method=` (args or shell command). */
export function aclsEnabled(injector: Deployment): boolean {
  return injector.spec.template.spec.containers.some((c) => [...(c.args ?? []), ...(c.command ?? [])].some((a) => a.includes('-acl-auth-method=')));
}

export function isConnectInjector(d: Deployment): boolean {
  return d.metadata.labels?.app === 'consul' && d.metadata.labels?.component === 'connect-injector';
}

/**
 * The Kubernetes Service a Consul service name stands for (docs/rules.md §7, decision 5): same name in the
 * referring object's namespace first, else the only Service of that name among all namespaces;
 * undefined when absent or ambiguous (Consul Enterprise namespaces/partitions are not modelled).
 */
export function kubernetesServiceFor(objects: ObjectReader, consulName: string, preferNamespace: string): Service | undefined {
  const local = objects.get('services', preferNamespace, consulName);
  if (local) return local;
  const all = objects.list('services').filter((s) => s.metadata.name === consulName);
  return all.length === 1 ? all[0] : undefined;
}

/** Consul config-entry kinds (consul.hashicorp.com/v1alpha1), each with a `Synced` condition. */
export const CONFIG_ENTRY_KINDS = [
  'servicedefaults.consul.hashicorp.com', 'serviceintentions.consul.hashicorp.com', 'servicerouters.consul.hashicorp.com',
  'servicesplitters.consul.hashicorp.com', 'serviceresolvers.consul.hashicorp.com', 'proxydefaults.consul.hashicorp.com',
  'meshes.consul.hashicorp.com', 'exportedservices.consul.hashicorp.com', 'ingressgateways.consul.hashicorp.com',
  'terminatinggateways.consul.hashicorp.com', 'samenessgroups.consul.hashicorp.com', 'jwtproviders.consul.hashicorp.com',
] as const;

/** Names a terminating gateway registers for external services (valid intention and routing targets). */
export function terminatingGatewayServices(objects: ObjectReader): Set<string> {
  const names = new Set<string>();
  for (const tg of objects.list('terminatinggateways.consul.hashicorp.com')) for (const s of tg.spec?.services ?? []) if (s.name) names.add(s.name);
  return names;
}
