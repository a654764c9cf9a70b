/**
 * Observed state: what a running cluster adds to an object (its `status`, or the object itself for
 * kinds only controllers create). Live objects always carry it; a `kubectl get -o yaml` dump does;
 * a manifest repository does not, and pod templates never do. Checks that judge state (`runtime`)
 * run on files only where the files hold it, and see only the objects that carry it.
 */
import type {ObjectReader, WorkloadIndex} from './check.js';
import type {KubeObject} from './kube-types/index.js';

/** Kinds whose `status` the API server or a controller fills in: their state is their status. */
const STATUS_KINDS: ReadonlySet<string> = new Set([
  'pods',
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'jobs.batch',
  'cronjobs.batch',
  'apiservices.apiregistration.k8s.io',
  'gateways.gateway.networking.k8s.io',
  'gatewayclasses.gateway.networking.k8s.io',
  'httproutes.gateway.networking.k8s.io',
  'grpcroutes.gateway.networking.k8s.io',
  'tcproutes.gateway.networking.k8s.io',
  'tlsroutes.gateway.networking.k8s.io',
  'servicedefaults.consul.hashicorp.com',
  'serviceintentions.consul.hashicorp.com',
  'servicerouters.consul.hashicorp.com',
  'servicesplitters.consul.hashicorp.com',
  'serviceresolvers.consul.hashicorp.com',
  'proxydefaults.consul.hashicorp.com',
  'meshes.consul.hashicorp.com',
  'exportedservices.consul.hashicorp.com',
  'ingressgateways.consul.hashicorp.com',
  'terminatinggateways.consul.hashicorp.com',
  'samenessgroups.consul.hashicorp.com',
  'jwtproviders.consul.hashicorp.com',
  'certificates.cert-manager.io',
]);

/** Kinds only a running cluster creates (endpoints controllers, the event recorder, the kubelet): existing is their state. */
const CLUSTER_MADE_KINDS: ReadonlySet<string> = new Set(['endpoints', 'endpointslices.discovery.k8s.io', 'events', 'nodes']);

/** Whether a kind has observed state to judge (objects of other kinds mean the same in files and in a cluster). */
export function hasStateKind(key: string): boolean {
  return STATUS_KINDS.has(key) || CLUSTER_MADE_KINDS.has(key);
}

/** Whether this object carries observed state: a non-empty `status`, or being of a cluster-made kind. */
export function carriesState(key: string, obj: KubeObject): boolean {
  if (CLUSTER_MADE_KINDS.has(key)) return true;
  if (!STATUS_KINDS.has(key)) return true;
  const status: unknown = obj.status;
  // `status: {}` is what `kubectl create --dry-run -o yaml` prints: no state at all.
  return typeof status === 'object' && status !== null && Object.keys(status).length > 0;
}

/**
 * The objects a state-judging check sees in a run from files: of kinds with observed state, only the
 * objects that carry it (a Deployment as written, a pod template, `status: {}` are left out). Lists
 * are filtered once per kind and namespace.
 */
export function observedOnly(inner: ObjectReader): ObjectReader {
  const lists = new Map<string, readonly KubeObject[]>();
  const keep = (key: string, list: readonly KubeObject[]) => (hasStateKind(key) ? list.filter((o) => carriesState(key, o)) : list);
  return {
    list: (kind, namespace) => {
      const id = `${kind}\u0000${namespace ?? ''}`;
      let out = lists.get(id);
      if (!out) lists.set(id, (out = keep(kind, inner.list(kind, namespace))));
      return out as never;
    },
    get: (kind, namespace, name) => {
      const obj = inner.get(kind, namespace, name);
      return (obj && carriesState(kind, obj) ? obj : undefined) as never;
    },
    select: (kind, namespace, selector) => keep(kind, inner.select(kind, namespace, selector)) as never,
    availability: (kind) => inner.availability(kind),
    malformed: () => inner.malformed(),
  };
}

export function observedWorkloads(inner: WorkloadIndex): WorkloadIndex {
  return {
    ownerOf: (pod) => inner.ownerOf(pod),
    podsOf: (workload) => inner.podsOf(workload).filter((p) => carriesState('pods', p)),
  };
}
