/**
 * What Istio's sidecar injector adds to a pod, field for field. Shape from upstream's injection
 * golden files: istio/istio pkg/kube/inject/testdata/inject/hello.yaml.injected (native sidecar:
 * istio-proxy is an init container with `restartPolicy: Always`, Istio's "auto" mode on Kubernetes
 * that supports it) and hello-probes.yaml.injected (application probes rewritten to the agent on
 * 15020 under /app-health/<container>/, the originals kept in ISTIO_KUBE_APP_PROBERS), both at
 * f818da38b6281426fc2370074aefa10bb476ff12. The classic layout (istio-proxy a regular container)
 * is what ENABLE_NATIVE_SIDECARS=false gives: the same container in `containers`.
 */

type Json = Record<string, unknown>;

export type IstioInjectionInput = Readonly<{
  namespace: string;
  /** The owning workload (ISTIO_META_WORKLOAD_NAME) and its API path for ISTIO_META_OWNER. */
  workload: string;
  ownerPath: string;
  canonicalName: string;
  canonicalRevision: string;
  /** The application containers as the owner wrote them (ports and probes are read). */
  containers: readonly Json[];
  layout: 'native' | 'classic';
  /** `docker.io/istio/proxyv2:<tag>`. */
  proxyImage: string;
  revision: string;
}>;

export type Injection = Readonly<{
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  containers: readonly Json[];
  initContainers: readonly Json[];
  volumes: readonly Json[];
}>;

const VOLUMES = ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert', 'istio-ca-crl'];

const RESOURCES = {limits: {cpu: '2', memory: '1Gi'}, requests: {cpu: '100m', memory: '128Mi'}};

function fieldRef(name: string, fieldPath: string): Json {
  return {name, valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath}}};
}

function resourceRef(name: string, resource: string): Json {
  return {name, valueFrom: {resourceFieldRef: {divisor: '0', resource}}};
}

function initContainer(proxyImage: string): Json {
  return {
    name: 'istio-init',
    image: proxyImage,
    args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
    resources: RESOURCES,
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: {add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL']},
      privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
    },
  };
}

/** The app's probes, rewritten to the agent; the originals as ISTIO_KUBE_APP_PROBERS wants them. */
function rewriteProbes(containers: readonly Json[]): {containers: Json[]; probers: Record<string, Json>} {
  const probers: Record<string, Json> = {};
  const rewritten = containers.map((c) => {
    const out: Json = {...c};
    for (const [field, suffix] of [['readinessProbe', 'readyz'], ['livenessProbe', 'livez'], ['startupProbe', 'startupz']] as const) {
      const probe = c[field] as Json | undefined;
      const httpGet = probe?.httpGet as Json | undefined;
      if (!probe || !httpGet) continue;
      const path = `/app-health/${String(c.name)}/${suffix}`;
      probers[path] = {httpGet: {path: httpGet.path, port: httpGet.port}, timeoutSeconds: probe.timeoutSeconds ?? 1};
      out[field] = {...probe, httpGet: {path, port: 15020, scheme: 'HTTP'}};
    }
    return out;
  });
  return {containers: rewritten, probers};
}

function proxyContainer(input: IstioInjectionInput, probers: Record<string, Json>): Json {
  const podPorts = input.containers.flatMap((c) => (Array.isArray(c.ports) ? c.ports : []) as Json[]).map((p) => JSON.stringify({name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP'}));
  const env: Json[] = [
    {name: 'PILOT_CERT_PROVIDER', value: 'istiod'},
    {name: 'CA_ADDR', value: 'istiod.istio-system.svc:15012'},
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    fieldRef('HOST_IP', 'status.hostIP'),
    resourceRef('ISTIO_CPU_LIMIT', 'limits.cpu'),
    {name: 'PROXY_CONFIG', value: '{}\n'},
    {name: 'ISTIO_META_POD_PORTS', value: `[\n${podPorts.map((p) => `    ${p}`).join('\n,')}\n]`},
    {name: 'ISTIO_META_APP_CONTAINERS', value: input.containers.map((c) => c.name).join(',')},
    resourceRef('GOMEMLIMIT', 'limits.memory'),
    resourceRef('GOMAXPROCS', 'limits.cpu'),
    {name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes'},
    fieldRef('ISTIO_META_NODE_NAME', 'spec.nodeName'),
    {name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT'},
    {name: 'ISTIO_META_WORKLOAD_NAME', value: input.workload},
    {name: 'ISTIO_META_OWNER', value: `kubernetes://apis/${input.ownerPath}`},
    {name: 'ISTIO_META_MESH_ID', value: 'cluster.local'},
    {name: 'TRUST_DOMAIN', value: 'cluster.local'},
    ...(Object.keys(probers).length > 0 ? [{name: 'ISTIO_KUBE_APP_PROBERS', value: JSON.stringify(probers)}] : []),
  ];
  return {
    name: 'istio-proxy',
    image: input.proxyImage,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    env,
    lifecycle: {preStop: {exec: {command: ['pilot-agent', 'request', '--debug-port=15020', 'POST', 'drain']}}},
    ports: [{containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP'}],
    readinessProbe: {failureThreshold: 4, httpGet: {path: '/healthz/ready', port: 15021}, periodSeconds: 15, timeoutSeconds: 3},
    resources: RESOURCES,
    ...(input.layout === 'native' ? {restartPolicy: 'Always'} : {}),
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337,
    },
    startupProbe: {failureThreshold: 600, httpGet: {path: '/healthz/ready', port: 15021}, periodSeconds: 1, timeoutSeconds: 3},
    volumeMounts: [
      {mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket'},
      {mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket'},
      {mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs'},
      {mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert'},
      {mountPath: '/var/run/secrets/istio/crl', name: 'istio-ca-crl'},
      {mountPath: '/var/lib/istio/data', name: 'istio-data'},
      {mountPath: '/etc/istio/proxy', name: 'istio-envoy'},
      {mountPath: '/var/run/secrets/tokens', name: 'istio-token'},
      {mountPath: '/etc/istio/pod', name: 'istio-podinfo'},
    ],
  };
}

const INJECTED_VOLUMES: readonly Json[] = [
  {name: 'workload-socket', emptyDir: {}},
  {name: 'credential-socket', emptyDir: {}},
  {name: 'workload-certs', emptyDir: {}},
  {name: 'istio-envoy', emptyDir: {medium: 'Memory'}},
  {name: 'istio-data', emptyDir: {}},
  {name: 'istio-podinfo', downwardAPI: {defaultMode: 420, items: [
    {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.labels'}, path: 'labels'},
    {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.annotations'}, path: 'annotations'},
  ]}},
  {name: 'istio-token', projected: {defaultMode: 420, sources: [{serviceAccountToken: {audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token'}}]}},
  {name: 'istiod-ca-cert', configMap: {defaultMode: 420, name: 'istio-ca-root-cert'}},
  {name: 'istio-ca-crl', configMap: {defaultMode: 420, name: 'istio-ca-crl', optional: true}},
];

export function istioInjection(input: IstioInjectionInput): Injection {
  const {containers, probers} = rewriteProbes(input.containers);
  const proxy = proxyContainer(input, probers);
  const native = input.layout === 'native';
  const status = {
    initContainers: native ? ['istio-init', 'istio-proxy'] : ['istio-init'],
    containers: native ? null : ['istio-proxy'],
    volumes: VOLUMES,
    imagePullSecrets: null,
    revision: input.revision,
  };
  const first = String(input.containers[0]?.name ?? '');
  return {
    labels: {
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': input.canonicalName,
      'service.istio.io/canonical-revision': input.canonicalRevision,
    },
    annotations: {
      'istio.io/rev': input.revision,
      'kubectl.kubernetes.io/default-container': first,
      'kubectl.kubernetes.io/default-logs-container': first,
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'sidecar.istio.io/status': JSON.stringify(status),
    },
    containers: native ? containers : [...containers, proxy],
    initContainers: native ? [initContainer(input.proxyImage), proxy] : [initContainer(input.proxyImage)],
    volumes: INJECTED_VOLUMES,
  };
}
