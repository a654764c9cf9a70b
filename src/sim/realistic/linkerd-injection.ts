/**
 * What Linkerd's proxy injector adds to a pod, field for field. Shape from upstream's injection
 * golden file linkerd/linkerd2 cli/cmd/testdata/inject_emojivoto_deployment.golden.yml at
 * 009a25fa3288b1b89e4adbbedbb0910010a939bc: linkerd-init (iptables), then linkerd-proxy as a native
 * sidecar (`proxy.nativeSidecar: true`, the chart default in charts/linkerd-control-plane/values.yaml)
 * with ~50 environment variables, the trust anchors PEM among them, and the identity volumes. The
 * injector (not the CLI) writes `linkerd.io/created-by: linkerd/proxy-injector <version>`.
 */
import type {Injection} from './istio-injection.js';

type Json = Record<string, unknown>;

export type LinkerdInjectionInput = Readonly<{
  namespace: string;
  /** `linkerd.io/proxy-deployment` and friends: the owner's kind (lowercase) and name. */
  ownerKind: string;
  ownerName: string;
  containers: readonly Json[];
  version: string;
  /** The trust anchors, as linkerd-identity-trust-roots holds them (the pod gets a copy). */
  trustAnchorsPem: string;
  trustRootSha256: string;
}>;

const NETWORKS = '10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,192.168.0.0/16,fd00::/8';

function fieldRef(name: string, fieldPath: string): Json {
  return {name, valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath}}};
}

function proxyContainer(input: LinkerdInjectionInput): Json {
  const inboundPorts = input.containers.flatMap((c) => (Array.isArray(c.ports) ? c.ports : []) as Json[]).map((p) => p.containerPort).join(',');
  const value = (name: string, v: string): Json => ({name, value: v});
  return {
    name: 'linkerd-proxy',
    image: `cr.l5d.io/linkerd/proxy:${input.version}`,
    env: [
      fieldRef('_pod_name', 'metadata.name'),
      fieldRef('_pod_ns', 'metadata.namespace'),
      fieldRef('_pod_uid', 'metadata.uid'),
      fieldRef('_pod_ip', 'status.podIP'),
      fieldRef('_pod_nodeName', 'spec.nodeName'),
      value('_pod_containerName', 'linkerd-proxy'),
      value('LINKERD2_PROXY_CORES', '1'),
      value('LINKERD2_PROXY_CORES_MIN', '1'),
      value('LINKERD2_PROXY_SHUTDOWN_ENDPOINT_ENABLED', 'false'),
      value('LINKERD2_PROXY_LOG', 'warn,linkerd=info,hickory=error,[{headers}]=off,[{request}]=off'),
      value('LINKERD2_PROXY_LOG_FORMAT', 'plain'),
      value('LINKERD2_PROXY_DESTINATION_SVC_ADDR', 'linkerd-dst-headless.linkerd.svc.cluster.local.:8086'),
      value('LINKERD2_PROXY_DESTINATION_PROFILE_NETWORKS', NETWORKS),
      value('LINKERD2_PROXY_POLICY_SVC_ADDR', 'linkerd-policy.linkerd.svc.cluster.local.:8090'),
      value('LINKERD2_PROXY_POLICY_WORKLOAD', '{"ns":"$(_pod_ns)", "pod":"$(_pod_name)"}\n'),
      value('LINKERD2_PROXY_INBOUND_DEFAULT_POLICY', 'all-unauthenticated'),
      value('LINKERD2_PROXY_POLICY_CLUSTER_NETWORKS', NETWORKS),
      value('LINKERD2_PROXY_CONTROL_STREAM_INITIAL_TIMEOUT', '3s'),
      value('LINKERD2_PROXY_CONTROL_STREAM_IDLE_TIMEOUT', '5m'),
      value('LINKERD2_PROXY_CONTROL_STREAM_LIFETIME', '1h'),
      value('LINKERD2_PROXY_INBOUND_CONNECT_TIMEOUT', '100ms'),
      value('LINKERD2_PROXY_OUTBOUND_CONNECT_TIMEOUT', '1000ms'),
      value('LINKERD2_PROXY_OUTBOUND_DISCOVERY_IDLE_TIMEOUT', '5s'),
      value('LINKERD2_PROXY_INBOUND_DISCOVERY_IDLE_TIMEOUT', '90s'),
      value('LINKERD2_PROXY_CONTROL_LISTEN_ADDR', '0.0.0.0:4190'),
      value('LINKERD2_PROXY_ADMIN_LISTEN_ADDR', '0.0.0.0:4191'),
      value('LINKERD2_PROXY_OUTBOUND_LISTEN_ADDR', '127.0.0.1:4140'),
      value('LINKERD2_PROXY_OUTBOUND_LISTEN_ADDRS', '127.0.0.1:4140'),
      value('LINKERD2_PROXY_INBOUND_LISTEN_ADDR', '0.0.0.0:4143'),
      fieldRef('LINKERD2_PROXY_INBOUND_IPS', 'status.podIPs'),
      value('LINKERD2_PROXY_INBOUND_PORTS', inboundPorts),
      value('LINKERD2_PROXY_DESTINATION_PROFILE_SUFFIXES', 'svc.cluster.local.'),
      value('LINKERD2_PROXY_INBOUND_ACCEPT_KEEPALIVE', '10000ms'),
      value('LINKERD2_PROXY_OUTBOUND_CONNECT_KEEPALIVE', '10000ms'),
      value('LINKERD2_PROXY_INBOUND_ACCEPT_USER_TIMEOUT', '30s'),
      value('LINKERD2_PROXY_OUTBOUND_CONNECT_USER_TIMEOUT', '30s'),
      value('LINKERD2_PROXY_OUTBOUND_METRICS_HOSTNAME_LABELS', 'false'),
      value('LINKERD2_PROXY_INBOUND_SERVER_HTTP2_KEEP_ALIVE_INTERVAL', '10s'),
      value('LINKERD2_PROXY_INBOUND_SERVER_HTTP2_KEEP_ALIVE_TIMEOUT', '3s'),
      value('LINKERD2_PROXY_OUTBOUND_SERVER_HTTP2_KEEP_ALIVE_INTERVAL', '10s'),
      value('LINKERD2_PROXY_OUTBOUND_SERVER_HTTP2_KEEP_ALIVE_TIMEOUT', '3s'),
      value('LINKERD2_PROXY_INBOUND_PORTS_DISABLE_PROTOCOL_DETECTION', '25,587,3306,4444,5432,6379,9300,11211'),
      value('LINKERD2_PROXY_DESTINATION_CONTEXT', '{"ns":"$(_pod_ns)", "nodeName":"$(_pod_nodeName)", "pod":"$(_pod_name)"}\n'),
      fieldRef('_pod_sa', 'spec.serviceAccountName'),
      value('_l5d_ns', 'linkerd'),
      value('_l5d_trustdomain', 'cluster.local'),
      value('LINKERD2_PROXY_IDENTITY_DIR', '/var/run/linkerd/identity/end-entity'),
      value('LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS', input.trustAnchorsPem),
      value('LINKERD2_PROXY_IDENTITY_TOKEN_FILE', '/var/run/secrets/tokens/linkerd-identity-token'),
      value('LINKERD2_PROXY_IDENTITY_SVC_ADDR', 'linkerd-identity-headless.linkerd.svc.cluster.local.:8080'),
      value('LINKERD2_PROXY_IDENTITY_LOCAL_NAME', '$(_pod_sa).$(_pod_ns).serviceaccount.identity.linkerd.cluster.local'),
      value('LINKERD2_PROXY_IDENTITY_SVC_NAME', 'linkerd-identity.linkerd.serviceaccount.identity.linkerd.cluster.local'),
      value('LINKERD2_PROXY_DESTINATION_SVC_NAME', 'linkerd-destination.linkerd.serviceaccount.identity.linkerd.cluster.local'),
      value('LINKERD2_PROXY_POLICY_SVC_NAME', 'linkerd-destination.linkerd.serviceaccount.identity.linkerd.cluster.local'),
    ],
    livenessProbe: {httpGet: {path: '/live', port: 4191}, initialDelaySeconds: 10, timeoutSeconds: 1},
    ports: [{containerPort: 4143, name: 'linkerd-proxy'}, {containerPort: 4191, name: 'linkerd-admin'}],
    readinessProbe: {httpGet: {path: '/ready', port: 4191}, initialDelaySeconds: 2, timeoutSeconds: 1},
    restartPolicy: 'Always',
    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 2102, seccompProfile: {type: 'RuntimeDefault'}},
    startupProbe: {failureThreshold: 120, httpGet: {path: '/ready', port: 4191}, periodSeconds: 1},
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [
      {mountPath: '/var/run/linkerd/identity/end-entity', name: 'linkerd-identity-end-entity'},
      {mountPath: '/var/run/secrets/tokens', name: 'linkerd-identity-token'},
    ],
  };
}

function initContainer(version: string): Json {
  return {
    name: 'linkerd-init',
    image: `cr.l5d.io/linkerd/proxy:${version}`,
    args: ['--firewall-bin-path', 'iptables-nft', '--firewall-save-bin-path', 'iptables-nft-save', '--ipv6=false', '--incoming-proxy-port', '4143',
      '--outgoing-proxy-port', '4140', '--proxy-uid', '2102', '--inbound-ports-to-ignore', '4190,4191,4567,4568', '--outbound-ports-to-ignore', '4567,4568'],
    command: ['/usr/lib/linkerd/linkerd2-proxy-init'],
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: {add: ['NET_ADMIN', 'NET_RAW']}, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: {type: 'RuntimeDefault'},
    },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [{mountPath: '/run', name: 'linkerd-proxy-init-xtables-lock'}],
  };
}

const VOLUMES: readonly Json[] = [
  {name: 'linkerd-proxy-init-xtables-lock', emptyDir: {}},
  {name: 'linkerd-identity-end-entity', emptyDir: {medium: 'Memory'}},
  {name: 'linkerd-identity-token', projected: {defaultMode: 420, sources: [{serviceAccountToken: {audience: 'identity.l5d.io', expirationSeconds: 86400, path: 'linkerd-identity-token'}}]}},
];

export function linkerdInjection(input: LinkerdInjectionInput): Injection {
  return {
    labels: {
      'linkerd.io/control-plane-ns': 'linkerd',
      [`linkerd.io/proxy-${input.ownerKind}`]: input.ownerName,
      'linkerd.io/workload-ns': input.namespace,
    },
    annotations: {
      'linkerd.io/created-by': `linkerd/proxy-injector ${input.version}`,
      'linkerd.io/inject': 'enabled',
      'linkerd.io/proxy-version': input.version,
      'linkerd.io/trust-root-sha256': input.trustRootSha256,
    },
    containers: input.containers,
    initContainers: [initContainer(input.version), proxyContainer(input)],
    volumes: VOLUMES,
  };
}
