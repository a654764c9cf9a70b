/**
 * The shape of every kind meshdoctor reads, field for field as the types beside this file declare
 * them (a field the types mark non-optional is `req`). `normalizeObject` fits an object to its
 * kind's shape when it enters the snapshot, so checks can trust the types; see `../shape.ts` for the
 * rules. Keep a shape in step with its type: a field added to a type and not here is read unguarded.
 *
 * One pure function per kind, so a later per-kind projection (dropping fields no check reads) can be
 * composed with it.
 */
import type {Field, Shape, ShapeProblem} from '../shape.js';
import {any, bool, fitShape, INVALID, intOrString, list, map, num, obj, projectShape, req, str} from '../shape.js';
import type {KubeObject} from './meta.js';

// ── meta ────────────────────────────────────────────────────────────────────────────────────────
const labels = map(str);
const ownerReference = obj({apiVersion: req(str), kind: req(str), name: req(str), uid: str, controller: bool});
const objectMeta = obj({
  name: req(str),
  generateName: str,
  namespace: str,
  uid: str,
  labels,
  annotations: labels,
  ownerReferences: list(ownerReference),
  creationTimestamp: str,
  generation: num,
  resourceVersion: str,
  deletionTimestamp: str,
});
const condition = obj({type: req(str), status: req(str), reason: str, message: str, lastTransitionTime: str, observedGeneration: num});
const conditions = list(condition);
const labelSelector = obj({
  matchLabels: labels,
  matchExpressions: list(obj({key: req(str), operator: req(str), values: list(str)})),
});
const matchLabelsOnly = obj({matchLabels: labels});
const labelsOnly = obj({labels});

function kind(fields: Readonly<Record<string, Shape | Field>> = {}): Shape {
  return obj({apiVersion: req(str), kind: req(str), metadata: req(objectMeta), ...fields});
}

// ── core ────────────────────────────────────────────────────────────────────────────────────────
/**
 * The environment variables meshdoctor reads, by name: an injected proxy carries dozens (an Istio
 * sidecar's are ~2 KB of a pod) and checks read four. A projection keeps these, and any element it
 * cannot judge (not an object, a name that is not a string, a value that is not a string — so MD1006
 * reports what it would on the whole pod). Read another one? Add its name here.
 */
const ENV_READ = new Set([
  'ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY', // checks/traffic-config/istio-policy-selector-ineffective.ts
  'PILOT_SCOPE_GATEWAY_TO_NAMESPACE', // src/mesh/istio/gateways.ts
  'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS', // src/mesh/linkerd/identity.ts
  'LINKERD2_PROXY_INBOUND_DEFAULT_POLICY', // src/mesh/linkerd/policy.ts
]);
function envRead(item: unknown): boolean {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return true;
  const {name, value} = item as {name?: unknown; value?: unknown};
  if (typeof name !== 'string' || (value !== undefined && value !== null && typeof value !== 'string')) return true;
  return ENV_READ.has(name);
}
const probe = obj({httpGet: obj({path: str, port: intOrString, scheme: str, httpHeaders: list(obj({name: req(str), value: req(str)}))})});
const securityContext = obj({runAsUser: num});
const container = obj({
  name: req(str),
  image: str,
  args: list(str),
  command: list(str),
  env: list(obj({name: req(str), value: str, valueFrom: any}), envRead),
  ports: list(obj({name: str, containerPort: req(num), protocol: str})),
  restartPolicy: str,
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  securityContext,
});
const containerState = obj({
  running: obj({startedAt: str}),
  waiting: obj({reason: str, message: str}),
  terminated: obj({exitCode: num, reason: str, message: str, startedAt: str, finishedAt: str}),
});
const containerStatus = obj({name: req(str), ready: req(bool), restartCount: num, image: str, started: bool, state: containerState, lastState: containerState});
const podSpec = obj({containers: req(list(container)), initContainers: list(container), serviceAccountName: str, hostNetwork: bool, nodeName: str, securityContext});
const podTemplate = obj({metadata: obj({labels, annotations: labels}), spec: req(podSpec)});
const pod = kind({
  spec: req(podSpec),
  status: obj({
    phase: str,
    podIP: str,
    podIPs: list(obj({ip: req(str)})),
    startTime: str,
    conditions,
    containerStatuses: list(containerStatus),
    initContainerStatuses: list(containerStatus),
    reason: str,
  }),
});
const service = kind({
  spec: req(obj({
    type: str,
    selector: labels,
    ports: list(obj({name: str, port: req(num), targetPort: intOrString, protocol: str, appProtocol: str})),
    clusterIP: str,
    clusterIPs: list(str),
    externalName: str,
  })),
});
const workloadStatus = obj({replicas: num, readyReplicas: num, availableReplicas: num, updatedReplicas: num, conditions, observedGeneration: num});
const addressList = list(obj({ip: req(str)}));
const endpointPorts = list(obj({name: str, port: num, protocol: str}));
const clientConfig = obj({
  url: str,
  caBundle: str,
  service: obj({namespace: req(str), name: req(str), path: str, port: num}),
});
const webhooks = list(obj({name: req(str), clientConfig: req(clientConfig), failurePolicy: str, namespaceSelector: labelSelector, objectSelector: labelSelector}));

// ── Istio ───────────────────────────────────────────────────────────────────────────────────────
const portSelector = obj({number: num, name: str});
const destination = obj({host: req(str), subset: str, port: portSelector});
const routeDestination = obj({destination: req(destination), weight: num});
const stringMatch = obj({exact: str, prefix: str, regex: str});
const httpRoute = obj({
  name: str,
  match: list(obj({name: str, uri: stringMatch, method: stringMatch, headers: map(stringMatch), port: num, gateways: list(str), sourceLabels: labels})),
  route: list(routeDestination),
  mirror: destination,
  mirrors: list(obj({destination: req(destination)})),
  fault: any,
  timeout: str,
  delegate: obj({name: req(str), namespace: str}),
});
const l4Route = obj({match: list(obj({gateways: list(str), port: num, sniHosts: list(str)})), route: list(routeDestination)});
const clientTls = obj({mode: str, caCertificates: str, credentialName: str, insecureSkipVerify: bool, subjectAltNames: list(str), sni: str});
const trafficPolicy = obj({tls: clientTls, portLevelSettings: list(obj({port: portSelector, tls: clientTls})), connectionPool: any, outlierDetection: any});
const policyTargetRef = obj({group: str, kind: req(str), name: req(str), namespace: str});
const policyTargeting = {selector: matchLabelsOnly, targetRef: policyTargetRef, targetRefs: list(policyTargetRef)};

// ── Gateway API ─────────────────────────────────────────────────────────────────────────────────
const parentRef = obj({group: str, kind: str, namespace: str, name: req(str), sectionName: str, port: num});
const backendRefFields = {group: str, kind: str, name: req(str), namespace: str, port: num, weight: num};
const routeFilter = obj({type: req(str), requestMirror: obj({backendRef: req(obj(backendRefFields))})});
const backendRef = obj({...backendRefFields, filters: list(routeFilter)});
const route = kind({
  spec: req(obj({
    parentRefs: list(parentRef),
    hostnames: list(str),
    rules: list(obj({backendRefs: list(backendRef), filters: list(routeFilter), matches: list(any), timeouts: obj({request: str, backendRequest: str})})),
  })),
  status: obj({parents: list(obj({parentRef: req(parentRef), controllerName: str, conditions}))}),
});

// ── Linkerd, SMI ────────────────────────────────────────────────────────────────────────────────
const linkerdTargetRef = obj({group: str, kind: req(str), name: req(str), namespace: str});
const smiRef = obj({kind: req(str), name: req(str), namespace: str});

// ── Consul ──────────────────────────────────────────────────────────────────────────────────────
const consulTargetFields = {service: str, serviceSubset: str, namespace: str, partition: str, peer: str, samenessGroup: str, datacenter: str};
const consulStatus = obj({conditions, lastSyncedTime: str});
function consul(spec: Shape = obj({})): Shape {
  return kind({spec, status: consulStatus});
}

/** Shapes by resource key. A key without an entry gets the shape every object shares. */
const SHAPES: Readonly<Record<string, Shape>> = {
  namespaces: kind({status: obj({phase: str})}),
  pods: pod,
  services: service,
  nodes: kind({spec: obj({podCIDR: str, podCIDRs: list(str)})}),
  configmaps: kind({data: map(str)}),
  secrets: kind({type: str, data: map(str)}),
  serviceaccounts: kind(),
  endpoints: kind({subsets: list(obj({addresses: addressList, notReadyAddresses: addressList, ports: endpointPorts}))}),
  events: kind({
    type: str,
    reason: str,
    message: str,
    count: num,
    firstTimestamp: str,
    lastTimestamp: str,
    eventTime: str,
    involvedObject: obj({kind: str, name: str, namespace: str, apiVersion: str}),
  }),
  'deployments.apps': kind({spec: req(obj({replicas: num, selector: labelSelector, template: req(podTemplate)})), status: workloadStatus}),
  'replicasets.apps': kind({spec: req(obj({replicas: num, selector: labelSelector, template: podTemplate})), status: workloadStatus}),
  'statefulsets.apps': kind({spec: req(obj({replicas: num, selector: labelSelector, template: req(podTemplate), serviceName: str})), status: workloadStatus}),
  'daemonsets.apps': kind({
    spec: req(obj({selector: labelSelector, template: req(podTemplate)})),
    status: obj({desiredNumberScheduled: num, numberReady: num, numberAvailable: num, numberUnavailable: num, currentNumberScheduled: num}),
  }),
  'jobs.batch': kind({spec: req(obj({template: req(podTemplate)}))}),
  'cronjobs.batch': kind({spec: req(obj({jobTemplate: req(obj({spec: req(obj({template: req(podTemplate)}))}))}))}),
  'endpointslices.discovery.k8s.io': kind({
    addressType: str,
    endpoints: list(obj({
      addresses: req(list(str)),
      conditions: obj({ready: bool, serving: bool, terminating: bool}),
      targetRef: obj({kind: str, name: str, namespace: str}),
      nodeName: str,
    })),
    ports: endpointPorts,
  }),
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': kind({webhooks}),
  'validatingwebhookconfigurations.admissionregistration.k8s.io': kind({webhooks}),
  'customresourcedefinitions.apiextensions.k8s.io': kind({
    spec: req(obj({
      group: req(str),
      names: req(obj({kind: req(str), plural: req(str), singular: str, shortNames: list(str)})),
      scope: req(str),
      versions: req(list(obj({name: req(str), served: req(bool), storage: req(bool)}))),
    })),
  }),
  'apiservices.apiregistration.k8s.io': kind({
    spec: obj({group: str, version: str, caBundle: str, service: obj({namespace: str, name: str, port: num})}),
    status: obj({conditions}),
  }),
  'virtualservices.networking.istio.io': kind({
    spec: req(obj({hosts: list(str), gateways: list(str), http: list(httpRoute), tls: list(l4Route), tcp: list(l4Route), exportTo: list(str)})),
  }),
  'destinationrules.networking.istio.io': kind({
    spec: req(obj({
      host: req(str),
      trafficPolicy,
      subsets: list(obj({name: req(str), labels, trafficPolicy})),
      exportTo: list(str),
      workloadSelector: matchLabelsOnly,
    })),
  }),
  'gateways.networking.istio.io': kind({
    spec: req(obj({
      selector: labels,
      servers: list(obj({
        port: req(obj({number: req(num), name: str, protocol: str, targetPort: num})),
        hosts: req(list(str)),
        tls: obj({mode: str, credentialName: str, serverCertificate: str, privateKey: str}),
        name: str,
      })),
    })),
  }),
  'serviceentries.networking.istio.io': kind({
    spec: req(obj({
      hosts: list(str),
      addresses: list(str),
      ports: list(obj({number: req(num), name: str, protocol: str, targetPort: num})),
      location: str,
      resolution: str,
      exportTo: list(str),
      workloadSelector: labelsOnly,
    })),
    status: obj({addresses: list(obj({value: str, host: str}))}),
  }),
  'sidecars.networking.istio.io': kind({spec: req(obj({workloadSelector: labelsOnly, egress: list(any), outboundTrafficPolicy: obj({mode: str})}))}),
  'envoyfilters.networking.istio.io': kind({
    spec: req(obj({
      workloadSelector: labelsOnly,
      targetRefs: list(policyTargetRef),
      priority: num,
      configPatches: list(obj({applyTo: str, match: obj({proxy: obj({proxyVersion: str})}), patch: obj({operation: str, value: any})})),
    })),
  }),
  'workloadentries.networking.istio.io': kind({spec: req(obj({address: str, labels, serviceAccount: str}))}),
  'workloadgroups.networking.istio.io': kind({spec: req(obj({metadata: labelsOnly, template: obj({serviceAccount: str})}))}),
  'peerauthentications.security.istio.io': kind({spec: req(obj({selector: matchLabelsOnly, mtls: obj({mode: str}), portLevelMtls: map(obj({mode: str}))}))}),
  'authorizationpolicies.security.istio.io': kind({spec: req(obj({...policyTargeting, action: str, rules: list(any)}))}),
  'requestauthentications.security.istio.io': kind({spec: req(obj(policyTargeting))}),
  'telemetries.telemetry.istio.io': kind({spec: req(obj(policyTargeting))}),
  'wasmplugins.extensions.istio.io': kind({spec: req(obj(policyTargeting))}),
  'gateways.gateway.networking.k8s.io': kind({
    spec: req(obj({
      gatewayClassName: req(str),
      listeners: list(obj({
        name: req(str),
        hostname: str,
        port: req(num),
        protocol: req(str),
        tls: obj({mode: str, certificateRefs: list(obj({kind: str, name: req(str), namespace: str, group: str}))}),
        allowedRoutes: any,
      })),
      addresses: list(any),
    })),
    status: obj({conditions, listeners: list(obj({name: req(str), conditions, attachedRoutes: num}))}),
  }),
  'gatewayclasses.gateway.networking.k8s.io': kind({spec: req(obj({controllerName: req(str)})), status: obj({conditions})}),
  'httproutes.gateway.networking.k8s.io': route,
  'grpcroutes.gateway.networking.k8s.io': route,
  'tcproutes.gateway.networking.k8s.io': route,
  'tlsroutes.gateway.networking.k8s.io': route,
  'referencegrants.gateway.networking.k8s.io': kind({
    spec: req(obj({
      from: req(list(obj({group: req(str), kind: req(str), namespace: req(str)}))),
      to: req(list(obj({group: req(str), kind: req(str), name: str}))),
    })),
  }),
  'serviceprofiles.linkerd.io': kind({spec: req(obj({routes: list(any), dstOverrides: list(obj({authority: req(str), weight: req(intOrString)}))}))}),
  'servers.policy.linkerd.io': kind({
    spec: req(obj({podSelector: labelSelector, externalWorkloadSelector: labelSelector, port: req(intOrString), proxyProtocol: str, accessPolicy: str})),
  }),
  'serverauthorizations.policy.linkerd.io': kind({spec: req(obj({server: req(obj({name: str, selector: labelSelector})), client: any}))}),
  'authorizationpolicies.policy.linkerd.io': kind({spec: req(obj({targetRef: req(linkerdTargetRef), requiredAuthenticationRefs: list(linkerdTargetRef)}))}),
  'meshtlsauthentications.policy.linkerd.io': kind({spec: req(obj({identities: list(str), identityRefs: list(linkerdTargetRef)}))}),
  'networkauthentications.policy.linkerd.io': kind({spec: req(obj({networks: list(obj({cidr: req(str), except: list(str)}))}))}),
  'httproutes.policy.linkerd.io': route,
  'egressnetworks.policy.linkerd.io': kind({spec: req(obj({trafficPolicy: str, networks: list(any)}))}),
  'externalworkloads.workload.linkerd.io': kind({spec: req(obj({ports: list(obj({port: req(num), name: str})), workloadIPs: list(obj({ip: req(str)}))}))}),
  'links.multicluster.linkerd.io': kind({
    spec: req(obj({
      targetClusterName: str,
      targetClusterDomain: str,
      targetClusterLinkerdNamespace: str,
      clusterCredentialsSecret: str,
      gatewayAddress: str,
      gatewayPort: str,
      gatewayIdentity: str,
      probeSpec: obj({path: str, port: str, period: str}),
      selector: labelSelector,
      remoteDiscoverySelector: labelSelector,
      federatedServiceSelector: labelSelector,
    })),
  }),
  'trafficsplits.split.smi-spec.io': kind({spec: req(obj({service: req(str), backends: list(obj({service: req(str), weight: req(intOrString)}))}))}),
  'traffictargets.access.smi-spec.io': kind({
    spec: req(obj({destination: req(smiRef), sources: list(smiRef), rules: list(obj({kind: req(str), name: req(str), matches: list(str)}))})),
  }),
  'httproutegroups.specs.smi-spec.io': kind({spec: req(obj({matches: list(obj({name: req(str)}))}))}),
  'tcproutes.specs.smi-spec.io': kind({spec: req(obj({matches: obj({ports: list(num)})}))}),
  'servicedefaults.consul.hashicorp.com': consul(),
  'serviceintentions.consul.hashicorp.com': consul(obj({
    destination: obj({name: str, namespace: str}),
    sources: list(obj({name: str, namespace: str, partition: str, peer: str, samenessGroup: str, action: str, permissions: list(any)})),
  })),
  'servicerouters.consul.hashicorp.com': consul(obj({routes: list(obj({match: any, destination: obj(consulTargetFields)}))})),
  'servicesplitters.consul.hashicorp.com': consul(obj({splits: list(obj({...consulTargetFields, weight: intOrString}))})),
  'serviceresolvers.consul.hashicorp.com': consul(obj({
    defaultSubset: str,
    subsets: map(obj({filter: str, onlyPassing: bool})),
    redirect: obj(consulTargetFields),
    failover: map(obj({service: str, serviceSubset: str, namespace: str, datacenters: list(str), targets: list(obj(consulTargetFields)), samenessGroup: str})),
  })),
  'proxydefaults.consul.hashicorp.com': consul(),
  'meshes.consul.hashicorp.com': consul(),
  'exportedservices.consul.hashicorp.com': consul(),
  'ingressgateways.consul.hashicorp.com': consul(),
  'terminatinggateways.consul.hashicorp.com': consul(obj({services: list(obj({name: str, namespace: str}))})),
  'samenessgroups.consul.hashicorp.com': consul(),
  'jwtproviders.consul.hashicorp.com': consul(),
  'meshconfigs.config.openservicemesh.io': kind({spec: req(obj({traffic: obj({enablePermissiveTrafficPolicyMode: bool})}))}),
  'certificates.cert-manager.io': kind({spec: req(obj({secretName: req(str)})), status: obj({conditions, notAfter: str})}),
};

const ANY_OBJECT = kind();

export function shapeOf(key: string): Shape {
  return SHAPES[key] ?? ANY_OBJECT;
}

/** Keys with a shape of their own (tests iterate them). */
export function shapedKeys(): string[] {
  return Object.keys(SHAPES);
}

export type Normalized = Readonly<{
  /** The object as checks see it; undefined when it cannot stand for an object of its kind. */
  object?: KubeObject;
  problems: readonly ShapeProblem[];
}>;

/** Fit an object of resource `key` to its kind's shape (pure; the same reference when it already fits). */
export function normalizeObject(key: string, value: unknown): Normalized {
  const problems: ShapeProblem[] = [];
  if (value === null || value === undefined) return {problems: [{path: '', problem: 'empty object'}]};
  const fitted = fitShape(value, shapeOf(key), '', problems);
  return fitted === INVALID ? {problems} : {object: fitted as KubeObject, problems};
}

/**
 * The object of resource `key` reduced to what its kind's shape declares — the fields checks read
 * (issue 20): a 11 KB injected Pod keeps its containers' names, images, args, env, ports and probes,
 * its labels, annotations, owners and status, and loses volumes, resources, security contexts of
 * the injected containers and the rest. Kinds without a shape of their own are kept whole. Pure;
 * the result fits (`normalizeObject`) with the same problems as the whole object.
 */
export function projectObject(key: string, value: unknown): unknown {
  const shape = SHAPES[key];
  return shape ? projectShape(value, shape) : value;
}
