/**
 * The application side of a realistic cluster: per namespace a mesh-enrolled Namespace with its
 * ServiceAccount and the mesh's root-certificate ConfigMap; per service a Deployment (applied with
 * kubectl: last-applied annotation, defaulted template), its current ReplicaSet and the old ones the
 * Deployment keeps (revisionHistoryLimit), Running injected pods (the mesh injector's fields, the
 * API server's defaults and admission additions, the kubelet's status, managedFields), a Service,
 * its EndpointSlice and Endpoints, and the mesh configuration for it. Objects are as large as real
 * ones (an injected pod is 8–10 KB of JSON before managedFields); identical parts (one workload's
 * containers) are shared between replicas so a 50k-pod cluster fits in a server's memory.
 * Pure and deterministic for a seed.
 */
import type {KubeObject} from '../../core/kube-types/index.js';
import {istioInjection, type Injection} from './istio-injection.js';
import {defaultedContainer, DEFAULT_TOLERATIONS, kubeApiAccessVolume, podSpecDefaults, runningPodStatus, serviceAccountMount} from './kube-defaults.js';
import {linkerdInjection} from './linkerd-injection.js';
import {fieldsOf, managedEntry} from './managed-fields.js';
import {type Random, seededRandom} from './random.js';

type Json = Record<string, any>;

export type RealisticMesh = 'istio' | 'linkerd';

export type WorkloadOptions = Readonly<{
  pods: number;
  mesh: RealisticMesh;
  /** Default 5. */
  podsPerService?: number;
  /** Default 20. */
  servicesPerNamespace?: number;
  /** Old ReplicaSets (scaled to 0) each Deployment keeps; default 2. */
  oldReplicaSets?: number;
  /** Pods per node; default 30. */
  podsPerNode?: number;
  /** Share of services with a planted configuration fault (0..1); default 0. */
  faultShare?: number;
  seed?: number;
  now?: Date;
  /** Proxy version (Istio tag or Linkerd version). */
  meshVersion: string;
  /** Istio: the mesh root each namespace's istio-ca-root-cert holds. */
  rootCertPem?: string;
  /** Linkerd: the trust anchors each proxy gets, and their SHA-256 (hex). */
  trustAnchorsPem?: string;
  trustRootSha256?: string;
}>;

const DAY = 86_400_000;

const ENV_POOL: readonly ((app: string, ns: string) => Json)[] = [
  () => ({name: 'LOG_LEVEL', value: 'info'}),
  () => ({name: 'LOG_FORMAT', value: 'json'}),
  (app) => ({name: 'OTEL_SERVICE_NAME', value: app}),
  () => ({name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc.cluster.local:4317'}),
  () => ({name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio'}),
  () => ({name: 'OTEL_TRACES_SAMPLER_ARG', value: '0.05'}),
  (app, ns) => ({name: 'DATABASE_HOST', value: `${app}-db.${ns}.svc.cluster.local`}),
  () => ({name: 'DATABASE_PORT', value: '5432'}),
  (app) => ({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: `${app}-db`, key: 'password'}}}),
  (app) => ({name: 'FEATURE_FLAGS', valueFrom: {configMapKeyRef: {name: `${app}-config`, key: 'flags'}}}),
  () => ({name: 'HTTP_PORT', value: '8080'}),
  () => ({name: 'GRPC_PORT', value: '9090'}),
  () => ({name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -Djava.security.egd=file:/dev/./urandom'}),
  (_app, ns) => ({name: 'CACHE_URL', value: `redis://redis.${ns}.svc.cluster.local:6379/0`}),
  () => ({name: 'REQUEST_TIMEOUT', value: '5s'}),
  () => ({name: 'SHUTDOWN_GRACE_PERIOD', value: '20s'}),
  () => ({name: 'GOMAXPROCS', valueFrom: {resourceFieldRef: {divisor: '0', resource: 'limits.cpu'}}}),
  () => ({name: 'POD_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.name'}}}),
];

const NODE_IMAGES = ['registry.k8s.io/kube-proxy:v1.30.4', 'docker.io/istio/proxyv2', 'cr.l5d.io/linkerd/proxy', 'registry.k8s.io/pause:3.9',
  'docker.io/calico/node:v3.28.1', 'docker.io/calico/cni:v3.28.1', 'registry.k8s.io/coredns/coredns:v1.11.1', 'quay.io/prometheus/node-exporter:v1.8.2',
  'docker.io/fluent/fluent-bit:3.1.6', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', 'registry.k8s.io/csi-secrets-store/driver:v1.4.4',
  'docker.io/grafana/promtail:3.1.1'];

type Ctx = {
  r: Random;
  o: WorkloadOptions;
  now: number;
  out: KubeObject[];
  digests: Map<string, string>;
  nodes: {name: string; ip: string; podCidr: number; used: number}[];
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function digest(ctx: Ctx, image: string): string {
  let d = ctx.digests.get(image);
  if (!d) ctx.digests.set(image, (d = ctx.r.hex(64)));
  return d;
}

function lastApplied(obj: Json): string {
  return `${JSON.stringify(obj)}\n`;
}

/** The application container as its team wrote it. */
function appContainer(r: Random, app: string, ns: string, image: string, grpc: boolean): Json {
  const envCount = r.int(6, 14);
  const start = r.int(0, ENV_POOL.length - 1);
  const env = Array.from({length: envCount}, (_, i) => ENV_POOL[(start + i) % ENV_POOL.length](app, ns));
  return {
    name: app,
    image,
    env,
    ports: [{name: 'http', containerPort: 8080}, ...(grpc ? [{name: 'grpc', containerPort: 9090}] : [])],
    resources: {limits: {cpu: '1', memory: '512Mi'}, requests: {cpu: '250m', memory: '256Mi'}},
    readinessProbe: {httpGet: {path: '/ready', port: 8080}, periodSeconds: 5},
    livenessProbe: {httpGet: {path: '/healthz', port: 8080}, initialDelaySeconds: 10, periodSeconds: 10},
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001},
    volumeMounts: [{name: 'config', mountPath: '/etc/app', readOnly: true}, {name: 'tmp', mountPath: '/tmp'}],
  };
}

function appVolumes(app: string): Json[] {
  return [{name: 'config', configMap: {defaultMode: 420, name: `${app}-config`}}, {name: 'tmp', emptyDir: {}}];
}

/** A pod template as the API server stores it in a Deployment or ReplicaSet (defaults filled, nothing injected). */
function storedTemplate(labels: Json, app: string, container: Json): Json {
  return {
    metadata: {creationTimestamp: null, labels},
    spec: {...podSpecDefaults(), containers: [defaultedContainer(container)], serviceAccount: app, serviceAccountName: app, volumes: appVolumes(app)},
  };
}

function node(ctx: Ctx, index: number): KubeObject {
  const {r} = ctx;
  const name = `ip-10-0-${index >> 8}-${index & 255}.ec2.internal`;
  const zone = `eu-west-1${'abc'[index % 3]}`;
  const created = iso(ctx.now - 20 * DAY);
  const labels = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/instance-type': 'm6i.2xlarge', 'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': 'eu-west-1', 'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'm6i.2xlarge', 'topology.kubernetes.io/region': 'eu-west-1', 'topology.kubernetes.io/zone': zone,
  };
  const cond = (type: string, status: string, reason: string, message: string) => ({type, status, reason, message, lastHeartbeatTime: iso(ctx.now - 30_000), lastTransitionTime: created});
  const obj: Json = {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name, uid: r.uid(), creationTimestamp: created, labels,
      annotations: {'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', 'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-0${r.hex(16)}"}`},
    },
    spec: {podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`], providerID: `aws:///${zone}/i-0${r.hex(16)}`},
    status: {
      addresses: [{type: 'InternalIP', address: ctx.nodes[index].ip}, {type: 'InternalDNS', address: name}, {type: 'Hostname', address: name}],
      allocatable: {cpu: '7910m', 'ephemeral-storage': '95491281146', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '31526012Ki', pods: '110'},
      capacity: {cpu: '8', 'ephemeral-storage': '104845292Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '32475260Ki', pods: '110'},
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
      images: NODE_IMAGES.map((image) => ({names: [`${image}@sha256:${digest(ctx, image)}`, image], sizeBytes: r.int(5_000_000, 150_000_000)})),
      nodeInfo: {
        architecture: 'amd64', bootID: r.uid(), containerRuntimeVersion: 'containerd://1.7.20', kernelVersion: '6.1.102-111.182.amzn2023.x86_64',
        kubeProxyVersion: 'v1.30.4', kubeletVersion: 'v1.30.4', machineID: r.hex(32), operatingSystem: 'linux', osImage: 'Amazon Linux 2023.5.20240819', systemUUID: r.uid(),
      },
    },
  };
  obj.metadata.managedFields = [
    managedEntry('kubelet', 'v1', created, {'f:metadata': fieldsOf({annotations: obj.metadata.annotations, labels})}),
    managedEntry('kubelet', 'v1', iso(ctx.now - 30_000), {'f:status': fieldsOf({conditions: obj.status.conditions, images: [], nodeInfo: obj.status.nodeInfo})}, 'status'),
  ];
  return obj as KubeObject;
}

function placePod(ctx: Ctx): {nodeName: string; hostIP: string; podIP: string} {
  const perNode = ctx.o.podsPerNode ?? 30;
  let n = ctx.nodes[ctx.nodes.length - 1];
  if (!n || n.used >= perNode) {
    const index = ctx.nodes.length;
    n = {name: `ip-10-0-${index >> 8}-${index & 255}.ec2.internal`, ip: `10.0.${index >> 8}.${index & 255}`, podCidr: index, used: 0};
    ctx.nodes.push(n);
  }
  n.used++;
  return {nodeName: n.name, hostIP: n.ip, podIP: `10.${244 + (n.podCidr >> 8)}.${n.podCidr & 255}.${n.used + 1}`};
}

/** The injector's additions, with the API server's container defaults applied to what it added. */
function injectionFor(ctx: Ctx, ns: string, deployment: string, app: string, version: string, containers: Json[], layout: 'native' | 'classic'): Injection {
  const injection = injected(ctx, ns, deployment, app, version, containers, layout);
  // Defaulting is idempotent: the application containers (already defaulted) come out the same.
  const defaults = (c: Json) => defaultedContainer(c);
  return {...injection, containers: injection.containers.map(defaults), initContainers: injection.initContainers.map(defaults)};
}

function injected(ctx: Ctx, ns: string, deployment: string, app: string, version: string, containers: Json[], layout: 'native' | 'classic'): Injection {
  const o = ctx.o;
  if (o.mesh === 'istio') {
    return istioInjection({
      namespace: ns, workload: deployment, ownerPath: `apps/v1/namespaces/${ns}/deployments/${deployment}`, canonicalName: app, canonicalRevision: version,
      containers, layout, proxyImage: `docker.io/istio/proxyv2:${o.meshVersion}`, revision: 'default',
    });
  }
  return linkerdInjection({
    namespace: ns, ownerKind: 'deployment', ownerName: deployment, containers, version: o.meshVersion,
    trustAnchorsPem: o.trustAnchorsPem ?? '', trustRootSha256: o.trustRootSha256 ?? '',
  });
}

type Workload = {
  ns: string; app: string; labels: Json; deployment: Json; rs: Json; injection: Injection; appContainers: Json[]; template: Json;
  /** The managedFields sets shared by the workload's pods (see podManagedFields). */
  fields?: {metadata: Json; spec: Json; volumes: Json; tokenVolume: unknown; status: Json};
};

/**
 * A pod's two managedFields entries. Replicas of one workload differ only in their token volume's
 * name and their IPs, so the field sets are computed once per workload and patched per pod (the
 * generator would otherwise spend most of its time here, and the server hold a copy per pod).
 */
function podManagedFields(w: Workload, metadata: Json, spec: Json, status: Json, apiAccess: string, at: string): Json[] {
  const volumeKey = `k:${JSON.stringify({name: apiAccess})}`;
  if (!w.fields) {
    const specFields = fieldsOf(spec);
    const volumes = {...(specFields['f:volumes'] as Json)};
    delete volumes[volumeKey];
    w.fields = {
      metadata: fieldsOf({generateName: '', labels: metadata.labels, annotations: metadata.annotations, ownerReferences: metadata.ownerReferences}),
      spec: specFields,
      volumes,
      tokenVolume: (specFields['f:volumes'] as Json)[volumeKey],
      status: fieldsOf({...status, podIPs: []}),
    };
  }
  const f = w.fields;
  const podIP = `k:${JSON.stringify({ip: status.podIP})}`;
  return [
    managedEntry('kube-controller-manager', 'v1', at, {'f:metadata': f.metadata, 'f:spec': {...f.spec, 'f:volumes': {...f.volumes, [volumeKey]: f.tokenVolume}}}),
    managedEntry('kubelet', 'v1', at, {'f:status': {...f.status, 'f:podIPs': {'.': {}, [podIP]: {'.': {}, 'f:ip': {}}}}}, 'status'),
  ];
}

function pod(ctx: Ctx, w: Workload, startedAt: number): KubeObject {
  const {r} = ctx;
  const name = `${w.rs.metadata.name}-${r.podSuffix()}`;
  const apiAccess = `kube-api-access-${r.podSuffix()}`;
  const place = placePod(ctx);
  const started = iso(startedAt);
  const withToken = (c: Json): Json => ({...c, volumeMounts: [...((c.volumeMounts ?? []) as Json[]), serviceAccountMount(apiAccess)]});
  const containers = w.injection.containers.map(withToken);
  const initContainers = w.injection.initContainers.map(withToken);
  const labels = {...w.template.metadata.labels, 'pod-template-hash': w.rs.metadata.labels['pod-template-hash'], ...w.injection.labels};
  const spec: Json = {
    ...podSpecDefaults(),
    containers,
    initContainers,
    nodeName: place.nodeName,
    serviceAccount: w.app,
    serviceAccountName: w.app,
    tolerations: DEFAULT_TOLERATIONS,
    volumes: [...appVolumes(w.app), ...w.injection.volumes, kubeApiAccessVolume(apiAccess)],
  };
  const status = runningPodStatus(r, {
    startedAt: started, podIP: place.podIP, hostIP: place.hostIP, containers, initContainers,
    digests: new Map([...containers, ...initContainers].map((c) => [String(c.image), digest(ctx, String(c.image))])), qosClass: 'Burstable',
  });
  const metadata: Json = {
    name, generateName: `${w.rs.metadata.name}-`, namespace: w.ns, uid: r.uid(), creationTimestamp: started, labels, annotations: w.injection.annotations,
    ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: w.rs.metadata.name, uid: w.rs.metadata.uid, controller: true, blockOwnerDeletion: true}],
  };
  metadata.managedFields = podManagedFields(w, metadata, spec, status, apiAccess, started);
  return {apiVersion: 'v1', kind: 'Pod', metadata, spec, status} as KubeObject;
}

function namespaceObjects(ctx: Ctx, ns: string): void {
  const {r, o} = ctx;
  const created = iso(ctx.now - 200 * DAY);
  const labels: Json = {'kubernetes.io/metadata.name': ns, team: ns.replace(/-\d+$/, ''), ...(o.mesh === 'istio' ? {'istio-injection': 'enabled'} : {})};
  const annotations: Json = o.mesh === 'linkerd' ? {'linkerd.io/inject': 'enabled'} : {};
  ctx.out.push({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: {name: ns, uid: r.uid(), creationTimestamp: created, labels, annotations, managedFields: [managedEntry('kubectl-client-side-apply', 'v1', created, {'f:metadata': fieldsOf({annotations, labels})})]},
    spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'},
  } as KubeObject);
  ctx.out.push({apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'default', namespace: ns, uid: r.uid(), creationTimestamp: created}} as KubeObject);
  if (o.mesh === 'istio' && o.rootCertPem) {
    ctx.out.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'istio-ca-root-cert', namespace: ns, uid: r.uid(), creationTimestamp: created, labels: {'istio.io/config': 'true'}}, data: {'root-cert.pem': o.rootCertPem}} as KubeObject);
  }
}

function serviceObjects(ctx: Ctx, ns: string, s: number, replicas: number): void {
  const {r, o} = ctx;
  const app = `svc-${s}`;
  const version = 'v1';
  const grpc = s % 4 === 0;
  const faulty = r.next() < (o.faultShare ?? 0);
  const created = ctx.now - 90 * DAY;
  const rolled = ctx.now - 3 * DAY;
  const selector = {app};
  const labels = {app, version};
  const image = (n: number) => `registry.example.com/${ns}/${app}:1.${40 - n}.${s % 7}`;
  const appC = appContainer(r, app, ns, image(0), grpc);

  // Deployment, as applied with kubectl and defaulted by the API server.
  const applied = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: app, namespace: ns, labels: {app}},
    spec: {replicas, selector: {matchLabels: selector}, template: {metadata: {labels}, spec: {serviceAccountName: app, containers: [appC], volumes: appVolumes(app)}}},
  };
  const template = storedTemplate(labels, app, appC);
  const revision = 1 + (o.oldReplicaSets ?? 2);
  const hashes = Array.from({length: revision}, () => r.templateHash());
  const deployment: Json = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: app, namespace: ns, uid: r.uid(), generation: revision, creationTimestamp: iso(created), labels: {app},
      annotations: {'deployment.kubernetes.io/revision': String(revision), 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(applied)},
    },
    spec: {
      progressDeadlineSeconds: 600, replicas, revisionHistoryLimit: 10, selector: {matchLabels: selector},
      strategy: {rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}, type: 'RollingUpdate'}, template,
    },
    status: {
      availableReplicas: replicas, observedGeneration: revision, readyReplicas: replicas, replicas, updatedReplicas: replicas,
      conditions: [
        {type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: iso(rolled), lastUpdateTime: iso(rolled)},
        {type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${app}-${hashes[0]}" has successfully progressed.`, lastTransitionTime: iso(created), lastUpdateTime: iso(rolled)},
      ],
    },
  };
  deployment.metadata.managedFields = [
    managedEntry('kubectl-client-side-apply', 'apps/v1', iso(rolled), {'f:metadata': fieldsOf({annotations: {'kubectl.kubernetes.io/last-applied-configuration': ''}, labels: {app}}), 'f:spec': fieldsOf(deployment.spec)}),
    managedEntry('kube-controller-manager', 'apps/v1', iso(rolled), {'f:metadata': fieldsOf({annotations: {'deployment.kubernetes.io/revision': ''}}), 'f:status': fieldsOf(deployment.status)}, 'status'),
  ];
  ctx.out.push(deployment as KubeObject);
  ctx.out.push({apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: app, namespace: ns, uid: r.uid(), creationTimestamp: iso(created), labels: {app}}} as KubeObject);

  // ReplicaSets: the current one and the old ones kept for rollback (scaled to 0).
  let current: Json | undefined;
  for (let n = 0; n <= (o.oldReplicaSets ?? 2); n++) {
    const hash = hashes[n];
    const rsLabels = {...labels, 'pod-template-hash': hash};
    const rsTemplate = n === 0 ? template : storedTemplate(labels, app, {...appC, image: image(n)});
    const size = n === 0 ? replicas : 0;
    const at = iso(n === 0 ? rolled : created + (revision - 1 - n) * 20 * DAY);
    const rs: Json = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: `${app}-${hash}`, namespace: ns, uid: r.uid(), generation: n === 0 ? 1 : 2, creationTimestamp: at, labels: rsLabels,
        annotations: {'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)), 'deployment.kubernetes.io/revision': String(revision - n)},
        ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true}],
      },
      spec: {replicas: size, selector: {matchLabels: {...selector, 'pod-template-hash': hash}}, template: {...rsTemplate, metadata: {...rsTemplate.metadata, labels: rsLabels}}},
      status: size > 0 ? {availableReplicas: size, fullyLabeledReplicas: size, observedGeneration: 1, readyReplicas: size, replicas: size} : {observedGeneration: 2, replicas: 0},
    };
    rs.metadata.managedFields = [
      managedEntry('kube-controller-manager', 'apps/v1', at, {'f:metadata': fieldsOf({annotations: rs.metadata.annotations, labels: rsLabels, ownerReferences: rs.metadata.ownerReferences}), 'f:spec': fieldsOf(rs.spec)}),
      managedEntry('kube-controller-manager', 'apps/v1', at, {'f:status': fieldsOf(rs.status)}, 'status'),
    ];
    ctx.out.push(rs as KubeObject);
    if (n === 0) current = rs;
  }

  const layout = Number(ns.replace(/\D/g, '')) % 2 === 0 ? 'native' : 'classic';
  const appContainers = [defaultedContainer(appC)];
  const injection = injectionFor(ctx, ns, app, app, version, appContainers, layout);
  const w: Workload = {ns, app, labels, deployment, rs: current!, injection, appContainers, template};
  const pods: {name: string; ip: string; node: string; uid: string}[] = [];
  for (let p = 0; p < replicas; p++) {
    const po = pod(ctx, w, rolled + r.int(0, 120_000)) as Json;
    ctx.out.push(po as KubeObject);
    pods.push({name: po.metadata.name, ip: po.status.podIP, node: po.spec.nodeName, uid: po.metadata.uid});
  }

  // Service, EndpointSlice, Endpoints.
  const ports = [{name: 'http', port: 80, protocol: 'TCP', targetPort: 'http'}, ...(grpc ? [{name: 'grpc', port: 9090, protocol: 'TCP', targetPort: 'grpc'}] : [])];
  const svcApplied = {apiVersion: 'v1', kind: 'Service', metadata: {name: app, namespace: ns, labels: {app}}, spec: {selector, ports: ports.map(({protocol: _p, ...rest}) => rest)}};
  const clusterIP = `172.20.${(s >> 8) & 255}.${s & 255}`;
  const service: Json = {
    apiVersion: 'v1', kind: 'Service',
    metadata: {name: app, namespace: ns, uid: r.uid(), creationTimestamp: iso(created), labels: {app}, annotations: {'kubectl.kubernetes.io/last-applied-configuration': lastApplied(svcApplied)}},
    spec: {clusterIP, clusterIPs: [clusterIP], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports, selector, sessionAffinity: 'None', type: 'ClusterIP'},
    status: {loadBalancer: {}},
  };
  service.metadata.managedFields = [managedEntry('kubectl-client-side-apply', 'v1', iso(created), {'f:metadata': fieldsOf({annotations: {'kubectl.kubernetes.io/last-applied-configuration': ''}, labels: {app}}), 'f:spec': fieldsOf(service.spec)})];
  ctx.out.push(service as KubeObject);
  const epPorts = [{name: 'http', port: 8080, protocol: 'TCP'}, ...(grpc ? [{name: 'grpc', port: 9090, protocol: 'TCP'}] : [])];
  const sliceAt = iso(rolled + 130_000);
  const slice: Json = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: {
      name: `${app}-${r.podSuffix()}`, generateName: `${app}-`, namespace: ns, uid: r.uid(), generation: 1 + replicas, creationTimestamp: iso(created),
      labels: {app, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': app},
      annotations: {'endpoints.kubernetes.io/last-change-trigger-time': sliceAt},
      ownerReferences: [{apiVersion: 'v1', kind: 'Service', name: app, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true}],
    },
    endpoints: pods.map((p) => ({addresses: [p.ip], conditions: {ready: true, serving: true, terminating: false}, nodeName: p.node, targetRef: {kind: 'Pod', name: p.name, namespace: ns, uid: p.uid}, zone: `eu-west-1${'abc'[Number(p.node.split('-').pop()) % 3]}`})),
    ports: epPorts,
  };
  slice.metadata.managedFields = [managedEntry('kube-controller-manager', 'discovery.k8s.io/v1', sliceAt, {'f:addressType': {}, 'f:endpoints': {}, 'f:metadata': fieldsOf({annotations: slice.metadata.annotations, generateName: '', labels: slice.metadata.labels, ownerReferences: slice.metadata.ownerReferences}), 'f:ports': {}})];
  ctx.out.push(slice as KubeObject);
  ctx.out.push({
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: {name: app, namespace: ns, uid: r.uid(), creationTimestamp: iso(created), labels: {app}, annotations: {'endpoints.kubernetes.io/last-change-trigger-time': sliceAt}},
    subsets: [{addresses: pods.map((p) => ({ip: p.ip, nodeName: p.node, targetRef: {kind: 'Pod', name: p.name, namespace: ns, uid: p.uid}})), ports: epPorts}],
  } as KubeObject);

  // The mesh configuration for the service.
  const meta = (name: string) => ({name, namespace: ns, uid: r.uid(), generation: 1, creationTimestamp: iso(created), labels: {app}});
  if (o.mesh === 'istio') {
    const host = `${app}.${ns}.svc.cluster.local`;
    ctx.out.push({apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(app), spec: {
      host, trafficPolicy: {connectionPool: {http: {http1MaxPendingRequests: 1024, maxRequestsPerConnection: 100}, tcp: {maxConnections: 1024}}, outlierDetection: {baseEjectionTime: '30s', consecutive5xxErrors: 5, interval: '10s', maxEjectionPercent: 50}},
      subsets: [{name: version, labels: {version}}],
    }} as KubeObject);
    ctx.out.push({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(app), spec: {
      hosts: [host],
      http: [
        {name: 'primary', match: [{uri: {prefix: '/'}}], route: [{destination: {host, port: {number: 80}, subset: faulty ? 'v2' : version}}], timeout: '10s', retries: {attempts: 3, perTryTimeout: '3s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes'}},
      ],
    }} as KubeObject);
  } else {
    ctx.out.push({apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: meta(app), spec: {podSelector: {matchLabels: {app}}, port: 'http', proxyProtocol: 'HTTP/1'}} as KubeObject);
    ctx.out.push({apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'AuthorizationPolicy', metadata: meta(app), spec: {
      targetRef: {group: 'policy.linkerd.io', kind: 'Server', name: faulty ? `${app}-typo` : app},
      requiredAuthenticationRefs: [{group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: `${ns}-clients`}],
    }} as KubeObject);
  }
}

/** The application objects of a realistic cluster with exactly `pods` pods (control plane not included). */
export function realisticWorkloads(options: WorkloadOptions): KubeObject[] {
  const ctx: Ctx = {r: seededRandom(options.seed ?? 42), o: options, now: (options.now ?? new Date()).getTime(), out: [], digests: new Map(), nodes: []};
  const podsPerService = options.podsPerService ?? 5;
  const servicesPerNamespace = options.servicesPerNamespace ?? 20;
  const services = Math.ceil(options.pods / podsPerService);
  let podsLeft = options.pods;
  for (let s = 0; s < services; s++) {
    const ns = `team-${Math.floor(s / servicesPerNamespace)}`;
    if (s % servicesPerNamespace === 0) {
      namespaceObjects(ctx, ns);
      if (options.mesh === 'linkerd') {
        ctx.out.push({apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'MeshTLSAuthentication', metadata: {name: `${ns}-clients`, namespace: ns, uid: ctx.r.uid()}, spec: {identities: [`*.${ns}.serviceaccount.identity.linkerd.cluster.local`]}} as KubeObject);
      }
    }
    const replicas = Math.min(podsPerService, podsLeft);
    podsLeft -= replicas;
    serviceObjects(ctx, ns, s, replicas);
  }
  for (let i = 0; i < ctx.nodes.length; i++) ctx.out.push(node(ctx, i));
  return ctx.out;
}
