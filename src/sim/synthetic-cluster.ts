/**
 * Synthetic clusters at scale for benchmarks: Istio or Linkerd meshes with namespaces, Deployments,
 * ReplicaSets, Pods (with proxies), Services, EndpointSlices and mesh configuration in realistic
 * proportions (~5 pods per service, ~2 mesh config objects per service). Deterministic for a seed,
 * healthy by construction, with an optional small share of planted faults so checks do real work.
 */
import type {KubeObject} from '../core/kube-types/index.js';

export type SyntheticOptions = Readonly<{
  pods: number;
  podsPerService?: number;
  servicesPerNamespace?: number;
  mesh?: 'istio' | 'linkerd';
  /** Share of services with a planted configuration fault (0..1). */
  faultShare?: number;
  seed?: number;
  now?: Date;
}>;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

function istioControlPlane(): KubeObject[] {
  return [
    {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'istio-system'}},
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {name: 'istiod', namespace: 'istio-system', labels: {app: 'istiod', 'istio.io/rev': 'default'}},
      spec: {replicas: 2, selector: {matchLabels: {app: 'istiod'}}, template: {metadata: {labels: {app: 'istiod'}}, spec: {containers: [{name: 'discovery', image: 'docker.io/istio/pilot:1.27.1'}]}}},
      status: {replicas: 2, readyReplicas: 2, availableReplicas: 2},
    },
    {apiVersion: 'v1', kind: 'Service', metadata: {name: 'istiod', namespace: 'istio-system'}, spec: {selector: {app: 'istiod'}, ports: [{name: 'https-dns', port: 15012}, {name: 'https-webhook', port: 443}]}},
    {apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {name: 'istiod-1', namespace: 'istio-system', labels: {'kubernetes.io/service-name': 'istiod'}}, endpoints: [{addresses: ['10.0.0.2'], conditions: {ready: true}}]} as KubeObject,
  ];
}

function linkerdControlPlane(): KubeObject[] {
  const component = (name: string) => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {name: `linkerd-${name}`, namespace: 'linkerd', labels: {'linkerd.io/control-plane-component': name, 'linkerd.io/control-plane-ns': 'linkerd'}},
    spec: {replicas: 1, selector: {matchLabels: {'linkerd.io/control-plane-component': name}}, template: {metadata: {labels: {'linkerd.io/control-plane-component': name}}, spec: {containers: [{name, image: 'cr.l5d.io/linkerd/controller:edge-25.8.1'}]}}},
    status: {replicas: 1, readyReplicas: 1, availableReplicas: 1},
  });
  return [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'linkerd'}}, component('destination'), component('identity'), component('proxy-injector')];
}

/** Objects of a synthetic cluster; `pods` is met exactly. */
export function syntheticCluster(options: SyntheticOptions): KubeObject[] {
  const mesh = options.mesh ?? 'istio';
  const podsPerService = options.podsPerService ?? 5;
  const servicesPerNamespace = options.servicesPerNamespace ?? 20;
  const random = rng(options.seed ?? 42);
  const created = new Date((options.now ?? new Date()).getTime() - 3 * 86_400_000).toISOString();
  const objects: KubeObject[] = mesh === 'istio' ? istioControlPlane() : linkerdControlPlane();
  const services = Math.ceil(options.pods / podsPerService);
  let podsLeft = options.pods;
  let ip = 0;
  for (let s = 0; s < services; s++) {
    const nsIndex = Math.floor(s / servicesPerNamespace);
    const ns = `team-${nsIndex}`;
    if (s % servicesPerNamespace === 0) {
      objects.push({
        apiVersion: 'v1', kind: 'Namespace',
        metadata: mesh === 'istio' ? {name: ns, labels: {'istio-injection': 'enabled'}} : {name: ns, annotations: {'linkerd.io/inject': 'enabled'}},
      });
    }
    const app = `svc-${s}`;
    const hash = (s * 2654435761 >>> 0).toString(16).slice(0, 8).padStart(8, '0');
    const faulty = random() < (options.faultShare ?? 0);
    const replicas = Math.min(podsPerService, podsLeft);
    podsLeft -= replicas;
    const labels = {app, version: 'v1'};
    const proxy = mesh === 'istio' ? {name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1'} : {name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-25.8.1'};
    objects.push({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {name: app, namespace: ns, labels, creationTimestamp: created},
      spec: {replicas, selector: {matchLabels: labels}, template: {metadata: {labels}, spec: {containers: [{name: 'app', image: `example/${app}:1.0.0`, ports: [{containerPort: 8080}]}]}}},
      status: {replicas, readyReplicas: replicas, availableReplicas: replicas},
    });
    objects.push({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {name: `${app}-${hash}`, namespace: ns, labels: {...labels, 'pod-template-hash': hash}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: app, controller: true}], creationTimestamp: created},
      spec: {replicas}, status: {replicas, readyReplicas: replicas, availableReplicas: replicas},
    });
    const addresses: string[] = [];
    for (let p = 0; p < replicas; p++) {
      const podIp = `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
      ip++;
      addresses.push(podIp);
      objects.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: `${app}-${hash}-${p.toString(36).padStart(5, '0')}`, namespace: ns, labels: {...labels, 'pod-template-hash': hash},
          ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, controller: true}], creationTimestamp: created,
        },
        spec: {containers: [{name: 'app', image: `example/${app}:1.0.0`, ports: [{containerPort: 8080}]}, {...proxy, ports: [{containerPort: 15090, name: 'http-envoy-prom'}]}], serviceAccountName: app, nodeName: `node-${ip % 50}`},
        status: {
          phase: 'Running', podIP: podIp, startTime: created,
          conditions: [{type: 'Ready', status: 'True'}, {type: 'PodScheduled', status: 'True'}],
          containerStatuses: [{name: 'app', ready: true, restartCount: 0, state: {running: {startedAt: created}}}, {name: proxy.name, ready: true, restartCount: 0, image: proxy.image, state: {running: {startedAt: created}}}],
        },
      } as KubeObject);
    }
    objects.push({apiVersion: 'v1', kind: 'Service', metadata: {name: app, namespace: ns}, spec: {selector: {app}, ports: [{name: 'http', port: 80, targetPort: 8080}], clusterIP: `172.20.${(s >> 8) & 255}.${s & 255}`}});
    objects.push({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {name: `${app}-${hash.slice(0, 5)}`, namespace: ns, labels: {'kubernetes.io/service-name': app}},
      endpoints: addresses.map((a) => ({addresses: [a], conditions: {ready: true}})),
    } as KubeObject);
    if (mesh === 'istio') {
      objects.push({apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: app, namespace: ns}, spec: {host: app, subsets: [{name: 'v1', labels: {version: 'v1'}}]}});
      objects.push({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: app, namespace: ns}, spec: {hosts: [app], http: [{route: [{destination: {host: app, subset: faulty ? 'v2' : 'v1'}}]}]}});
    } else {
      objects.push({apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: {name: app, namespace: ns}, spec: {podSelector: {matchLabels: {app}}, port: 8080}});
      objects.push({apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy', metadata: {name: app, namespace: ns}, spec: {targetRef: {group: 'policy.linkerd.io', kind: 'Server', name: faulty ? `${app}-typo` : app}, requiredAuthenticationRefs: [{kind: 'ServiceAccount', name: 'default'}]}});
    }
  }
  return objects;
}
