/**
 * Acceptance: a cluster running Linkerd (with viz) and the emojivoto sample, installed correctly,
 * yields no warning or error finding across the whole catalog; and each fault injected into it
 * produces exactly the expected (check id, severity, subject) findings — nothing else fires.
 * The cluster is test/fixtures/clusters/_base/{linkerd-healthy,emojivoto}.yaml; certificates are
 * generated at load time, so expiry is relative to now.
 */
import {describe, expect, test} from 'vitest';
import type {Fault} from '../helpers/catalog.js';
import {add, clusterText, crashes, dropDocument, editDocuments, findingKeys, loudFindings, POD, runCatalog, swap} from '../helpers/catalog.js';

const BASE = clusterText('_base/linkerd-healthy.yaml', '_base/emojivoto.yaml');

const FAULTS: readonly Fault[] = [
  {
    name: 'issuer (1 year) expires in 5 days',
    apply: (t) => swap(t, 'issuer: l5d-root, notBefore: -30d, notAfter: +335d', 'issuer: l5d-root, notBefore: -360d, notAfter: +5d'),
    expect: ['MD4202 error Secret linkerd/linkerd-identity-issuer'],
  },
  {
    name: 'trust anchor (1 year) expires in 30 days',
    apply: (t) => swap(t, 'ca: true, notBefore: -300d, notAfter: +3350d}', 'ca: true, notBefore: -335d, notAfter: +30d}'),
    expect: ['MD4202 warning ConfigMap linkerd/linkerd-identity-trust-roots'],
  },
  {
    name: 'issuer signed by a root the proxies do not trust',
    apply: (t) => add(swap(t, 'issuer: l5d-root, notBefore: -30d', 'issuer: rogue-root, notBefore: -30d'), 'certificates: [!cert {id: rogue-root, cn: root.linkerd.cluster.local, ca: true}]'),
    expect: ['MD4201 error Secret linkerd/linkerd-identity-issuer'],
  },
  {
    name: 'issuer scheme switched to kubernetes.io/tls without re-keying the Secret',
    apply: (t) => swap(t, 'issuer: {scheme: linkerd.io/tls,', 'issuer: {scheme: kubernetes.io/tls,'),
    expect: ['MD4201 error Secret linkerd/linkerd-identity-issuer'],
  },
  {
    name: 'proxy injector serving certificate for the wrong name',
    apply: (t) => swap(t, 'cn: linkerd-proxy-injector.linkerd.svc, dns: [linkerd-proxy-injector.linkerd.svc]', 'cn: linkerd-proxy-injector.default.svc, dns: [linkerd-proxy-injector.default.svc]'),
    expect: ['MD4203 error Secret linkerd/linkerd-proxy-injector-k8s-tls'],
  },
  {
    name: 'sp-validator caBundle holds a valid certificate that is not the served one',
    apply: (t) => add(swap(t, 'caBundle: !cert {ref: l5d-sp-validator-tls, format: base64}', 'caBundle: !cert {ref: stale-sp, format: base64}'),
      'certificates: [!cert {id: stale-sp, cn: linkerd-sp-validator.linkerd.svc, dns: [linkerd-sp-validator.linkerd.svc], notBefore: -400d, notAfter: +300d}]'),
    expect: ['MD4203 error Secret linkerd/linkerd-sp-validator-k8s-tls'],
  },
  {
    name: 'web pod predates a trust-anchor rotation',
    apply: (t) => {
      // The bundle now holds the old and the next root; every proxy was restarted since, except web's.
      const rotated = add(swap(t, 'ca-bundle.crt: !cert {ref: l5d-root}', 'ca-bundle.crt: !bundle {refs: [l5d-root, l5d-next-root]}'), 'certificates: [!cert {id: l5d-next-root, cn: root.linkerd.cluster.local, ca: true, notAfter: +3650d}]');
      return editDocuments(rotated, [POD, 'LINKERD2_PROXY_IDENTITY_TRUST_ANCHORS'], (d) =>
        d.includes('name: web-7b6c5d9f8-x7k2p') ? d : d.replace('value: !cert {ref: l5d-root}', 'value: !bundle {refs: [l5d-root, l5d-next-root]}'));
    },
    expect: ['MD4204 warning Deployment emojivoto/web'],
  },
  {
    name: 'destination pod crash-looping',
    apply: (t) => swap(t, '{name: policy, ready: true, started: true, restartCount: 0, state: {running: {startedAt: "2026-01-15T10:00:20Z"}}}', '{name: policy, ready: false, started: false, restartCount: 12, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {reason: Error, exitCode: 1, finishedAt: "2026-01-15T10:30:00Z"}}}'),
    expect: ['MD2201 error Deployment linkerd/linkerd-destination'],
  },
  {
    name: 'clusterNetworks misses the node pod CIDRs',
    apply: (t) => swap(t, 'clusterNetworks: "10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,192.168.0.0/16,fd00::/8"', 'clusterNetworks: "10.96.0.0/12"'),
    expect: ['MD2202 warning ConfigMap linkerd/linkerd-config', 'MD2202 warning ConfigMap linkerd/linkerd-config'],
  },
  {
    name: 'CNI mode configured but the plugin is not installed',
    apply: (t) => swap(t, 'cniEnabled: false', 'cniEnabled: true'),
    expect: ['MD2203 error ConfigMap linkerd/linkerd-config'],
  },
  {
    name: 'viz metrics-api unavailable',
    apply: (t) => editDocuments(t, ['kind: Deployment', 'name: metrics-api, namespace: linkerd-viz'], (d) => d.replace('readyReplicas: 1, availableReplicas: 1', 'readyReplicas: 0, availableReplicas: 0')),
    expect: ['MD2204 warning Deployment linkerd-viz/metrics-api'],
  },
  {
    name: 'default-inbound-policy deny on emojivoto (pods restarted) without a scrape policy',
    apply: (t) => editDocuments(
      swap(t, 'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto}, annotations: {linkerd.io/inject: enabled}}',
        'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto}, annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: deny}}'),
      [POD, 'namespace: emojivoto'], (d) => d.replace('{name: LINKERD2_PROXY_INBOUND_DEFAULT_POLICY, value: all-unauthenticated}', '{name: LINKERD2_PROXY_INBOUND_DEFAULT_POLICY, value: deny}')),
    expect: ['MD1201 warning Namespace emojivoto'],
  },
  {
    name: 'opaque-ports written as a pod template label',
    apply: (t) => swap(t, 'template:\n    metadata: {labels: {app: voting-svc, version: v11}', 'template:\n    metadata: {labels: {app: voting-svc, version: v11, config.linkerd.io/opaque-ports: "8080"}')
      .replace('labels: {app: voting-svc, version: v11, pod-template-hash: "6c9d8b7f5", linkerd.io/control-plane-ns', 'labels: {app: voting-svc, version: v11, config.linkerd.io/opaque-ports: "8080", pod-template-hash: "6c9d8b7f5", linkerd.io/control-plane-ns'),
    expect: ['MD3201 warning Deployment emojivoto/voting'],
  },
  {
    name: 'voting pods opaque on their gRPC port, Service not',
    apply: (t) => swap(t, 'annotations: {linkerd.io/inject: enabled, linkerd.io/proxy-version: edge-25.8.1, linkerd.io/identity-mode: default, linkerd.io/created-by: "linkerd/proxy-injector edge-25.8.1"}\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: voting-6c9d8b7f5',
      'annotations: {linkerd.io/inject: enabled, config.linkerd.io/opaque-ports: "8080", linkerd.io/proxy-version: edge-25.8.1, linkerd.io/identity-mode: default, linkerd.io/created-by: "linkerd/proxy-injector edge-25.8.1"}\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: voting-6c9d8b7f5'),
    expect: ['MD5207 warning Service emojivoto/voting-svc'],
  },
  {
    name: 'Server selector typo',
    apply: (t) => swap(t, 'spec: {podSelector: {matchLabels: {app: emoji-svc}}, port: grpc, proxyProtocol: gRPC}', 'spec: {podSelector: {matchLabels: {app: emoji}}, port: grpc, proxyProtocol: gRPC}'),
    expect: ['MD5201 warning Server emojivoto/emoji-grpc'],
  },
  {
    name: 'voting AuthorizationPolicy deleted',
    apply: (t) => dropDocument(t, 'metadata: {name: voting-grpc, namespace: emojivoto}\nspec:\n  targetRef'),
    expect: ['MD5202 warning Server emojivoto/voting-grpc'],
  },
  {
    name: 'AuthorizationPolicy requires a MeshTLSAuthentication that does not exist',
    apply: (t) => swap(t, 'targetRef: {group: policy.linkerd.io, kind: Server, name: emoji-grpc}\n  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web-apps}]',
      'targetRef: {group: policy.linkerd.io, kind: Server, name: emoji-grpc}\n  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web-ids}]'),
    expect: ['MD5203 error AuthorizationPolicy emojivoto/emoji-grpc'],
  },
  {
    name: 'MeshTLSAuthentication names a ServiceAccount that does not exist',
    apply: (t) => swap(t, 'spec: {identityRefs: [{kind: ServiceAccount, name: web}]}', 'spec: {identityRefs: [{kind: ServiceAccount, name: webb}]}'),
    expect: ['MD5204 warning MeshTLSAuthentication emojivoto/web-apps'],
  },
  {
    name: 'ServiceProfile with a short name',
    apply: (t) => add(t, 'apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata: {name: web-svc.emojivoto, namespace: emojivoto}\nspec: {routes: [{name: GET /api/list, condition: {method: GET, pathRegex: /api/list}}]}'),
    expect: ['MD5205 warning ServiceProfile emojivoto/web-svc.emojivoto'],
  },
  {
    name: 'HTTPRoute on web-svc shadowed by its ServiceProfile',
    apply: (t) => add(t, `apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: web-svc.emojivoto.svc.cluster.local, namespace: emojivoto}
spec: {routes: [{name: GET /api/list, condition: {method: GET, pathRegex: /api/list}}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web-timeouts, namespace: emojivoto, creationTimestamp: "2026-01-15T10:05:00Z", generation: 1}
spec:
  parentRefs: [{group: core, kind: Service, name: web-svc, port: 80}]
  rules: [{backendRefs: [{name: web-svc, port: 80}], timeouts: {request: 5s}}]
status:
  parents:
    - parentRef: {group: core, kind: Service, name: web-svc, port: 80}
      controllerName: linkerd.io/policy-controller
      conditions: [{type: Accepted, status: "True", observedGeneration: 1}, {type: ResolvedRefs, status: "True", observedGeneration: 1}]`),
    expect: ['MD5206 warning HTTPRoute emojivoto/web-timeouts'],
  },
  {
    name: 'canary HTTPRoute to a Service that does not exist',
    apply: (t) => add(t, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: voting-canary, namespace: emojivoto, creationTimestamp: "2026-01-15T10:05:00Z", generation: 1}
spec:
  parentRefs: [{group: core, kind: Service, name: voting-svc, port: 8080}]
  rules: [{backendRefs: [{name: voting-svc, port: 8080, weight: 90}, {name: voting-v2-svc, port: 8080, weight: 10}]}]
status:
  parents:
    - parentRef: {group: core, kind: Service, name: voting-svc, port: 8080}
      controllerName: linkerd.io/policy-controller
      conditions: [{type: Accepted, status: "True", observedGeneration: 1}, {type: ResolvedRefs, status: "False", reason: BackendNotFound, observedGeneration: 1}]`),
    expect: ['MD5501 error HTTPRoute emojivoto/voting-canary'],
  },
  {
    name: 'HTTPRoute attached to the headless destination Service',
    apply: (t) => add(t, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: dst-retries, namespace: linkerd, creationTimestamp: "2026-01-15T10:05:00Z"}
spec:
  parentRefs: [{group: core, kind: Service, name: linkerd-dst-headless, port: 8086}]
  rules: [{backendRefs: [{name: linkerd-dst, port: 8086}]}]`),
    expect: ['MD5502 error HTTPRoute linkerd/dst-retries'],
  },
  {
    name: 'a later, broader Server on the web pods\' port 8080',
    apply: (t) => add(t, 'apiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata: {name: web-all-ports, namespace: emojivoto, creationTimestamp: "2026-02-01T08:00:00Z"}\nspec: {podSelector: {matchLabels: {version: v11}}, port: 8080}'),
    // voting and emoji listen on 8080 too, where their own Servers (created first) win as well;
    // and nothing authorises the new Server
    expect: ['MD5210 warning Server emojivoto/web-all-ports', 'MD5202 warning Server emojivoto/web-all-ports'],
  },
  {
    name: 'voting pods skip their gRPC port in the traffic redirection',
    apply: (t) => editDocuments(t, [POD, 'name: voting-6c9d8b7f5-x7k2p'], (d) => d
      .replace('linkerd.io/inject: enabled, linkerd.io/proxy-version', 'linkerd.io/inject: enabled, config.linkerd.io/skip-inbound-ports: "8080", linkerd.io/proxy-version')
      .replace('initContainers: [{name: linkerd-init, image: cr.l5d.io/linkerd/proxy-init:v2.4.3}]', 'initContainers: [{name: linkerd-init, image: cr.l5d.io/linkerd/proxy-init:v2.4.3, args: [--inbound-ports-to-ignore, "4190,4191,8080"]}]')),
    expect: ['MD4206 error Server emojivoto/voting-grpc'],
  },
  {
    name: 'emoji pod started while the injector was down (no proxy)',
    apply: (t) => editDocuments(t, [POD, 'name: emoji-5d8f7c6b9-x7k2p'], (d) => d
      .replace(/\n    - name: linkerd-proxy\n[\s\S]*?ports: \[\{name: linkerd-proxy, containerPort: 4143\}, \{name: linkerd-admin, containerPort: 4191\}\]/, '')
      .replace(', {name: linkerd-proxy, ready: true, started: true, restartCount: 0, state: {running: {startedAt: "2026-01-15T10:00:20Z"}}}', '')),
    expect: ['MD3002 warning Deployment emojivoto/emoji', 'MD4207 error Server emojivoto/emoji-grpc'],
  },
  {
    name: 'per-route policy on web without a route for its readiness probe',
    apply: (t) => add(editDocuments(t, [POD, 'name: web-7b6c5d9f8-x7k2p'], (d) => d.replace('      ports: [{name: http, containerPort: 8080}]\n', '      ports: [{name: http, containerPort: 8080}]\n      readinessProbe: {httpGet: {path: /healthz, port: 8080}}\n')),
    `apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: web-api, namespace: emojivoto, creationTimestamp: "2026-01-15T10:05:00Z", generation: 1}
spec:
  parentRefs: [{name: web-http, kind: Server, group: policy.linkerd.io}]
  rules: [{matches: [{path: {value: /api}}, {path: {type: Exact, value: /}}]}]
status:
  parents:
    - parentRef: {name: web-http, kind: Server, group: policy.linkerd.io}
      controllerName: linkerd.io/policy-controller
      conditions: [{type: Accepted, status: "True", observedGeneration: 1}]`),
    expect: ['MD5211 error Server emojivoto/web-http'],
  },
  {
    name: 'ServerAuthorization (old API) naming a Server that does not exist',
    apply: (t) => add(t, 'apiVersion: policy.linkerd.io/v1beta1\nkind: ServerAuthorization\nmetadata: {name: web-bot, namespace: emojivoto}\nspec:\n  server: {name: web-htttp}\n  client: {meshTLS: {serviceAccounts: [{name: default}]}}'),
    expect: ['MD5212 warning ServerAuthorization emojivoto/web-bot'],
  },
  {
    name: 'emojivoto labelled like the linkerd namespace (admission webhooks disabled)',
    apply: (t) => swap(t, 'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto}', 'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto, config.linkerd.io/admission-webhooks: disabled}'),
    // the running pods were injected before the label; the next rollout's will not be
    expect: ['MD3203 warning Namespace emojivoto'],
  },
  {
    name: 'a leftover namespace still labelled as the viz extension',
    apply: (t) => add(t, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: linkerd-viz-old, labels: {linkerd.io/extension: viz}}'),
    expect: ['MD2207 warning Namespace linkerd-viz-old'],
  },
  {
    name: 'a vote-bot run as a Job that finished an hour ago, kept alive by its proxy',
    apply: (t) => add(t, `apiVersion: batch/v1
kind: Job
metadata: {name: vote-once, namespace: emojivoto}
spec: {template: {spec: {restartPolicy: Never, containers: [{name: vote-bot}]}}}
status: {active: 1}
---
apiVersion: v1
kind: Pod
metadata:
  name: vote-once-x8k2p
  namespace: emojivoto
  labels: {linkerd.io/control-plane-ns: linkerd, linkerd.io/workload-ns: emojivoto}
  annotations: {linkerd.io/inject: enabled}
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: vote-once, controller: true}]
spec:
  restartPolicy: Never
  serviceAccountName: default
  containers: [{name: vote-bot, image: docker.l5d.io/buoyantio/emojivoto-web:v11}, {name: linkerd-proxy, image: cr.l5d.io/linkerd/proxy:edge-25.8.1}]
status:
  phase: Running
  startTime: !time -70m
  containerStatuses:
    - {name: vote-bot, ready: false, state: {terminated: {exitCode: 0, reason: Completed, finishedAt: !time -60m}}}
    - {name: linkerd-proxy, ready: true, state: {running: {startedAt: !time -70m}}}`),
    expect: ['MD3202 warning Job emojivoto/vote-once'],
  },
];

describe('emojivoto on Linkerd', () => {
  test('the healthy cluster yields no warning or error finding across the whole catalog, and no check crashes', async () => {
    const results = await runCatalog(BASE);
    expect(crashes(results)).toEqual([]);
    expect(loudFindings(results)).toEqual([]);
    // The Linkerd checks actually ran (a blanket not-applicable would also be silent).
    const ran = new Set(results.filter((r) => r.outcome === 'pass').map((r) => r.check.id));
    for (const id of ['MD1201', 'MD2201', 'MD2202', 'MD2204', 'MD2207', 'MD3201', 'MD3202', 'MD3203', 'MD4201', 'MD4202', 'MD4203', 'MD4204', 'MD4206', 'MD4207', 'MD5001', 'MD5201', 'MD5202', 'MD5203', 'MD5204', 'MD5205', 'MD5207', 'MD5210', 'MD5211', 'MD5212']) expect(ran, id).toContain(id);
  });

  test('the same install as a manifest repo (no pods, ReplicaSets, EndpointSlices, Nodes or status) yields no finding', async () => {
    const runtime = /\nkind: (Pod|ReplicaSet|EndpointSlice|Node)\n/;
    const repo = BASE.split(/\n---\n/).filter((d) => !runtime.test(`\n${d}`)).map((d) => d.replace(/\nstatus:[\s\S]*$/, '')).join('\n---\n');
    const results = await runCatalog(`# mode: manifests\n${repo}`);
    expect(crashes(results)).toEqual([]);
    expect(results.flatMap((r) => r.findings.map((f) => `${f.checkId} ${f.severity} ${f.message}`))).toEqual([]);
    const ran = new Set(results.filter((r) => r.outcome === 'pass').map((r) => r.check.id));
    for (const id of ['MD1201', 'MD3201', 'MD3203', 'MD4206', 'MD4207', 'MD5201', 'MD5202', 'MD5203', 'MD5204', 'MD5207', 'MD5210', 'MD5211']) expect(ran, id).toContain(id);
  });

  // Other correct ways upstream documents to run the same thing: none may raise a finding.
  const ALLOW_SCRAPES = `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: proxy-admin, namespace: emojivoto, labels: {linkerd.io/extension: viz}, annotations: {linkerd-io/created-by: linkerd/cli edge-25.8.1}}
spec:
  podSelector: {matchExpressions: [{key: linkerd.io/control-plane-ns, operator: Exists}]}
  port: linkerd-admin
  proxyProtocol: HTTP/1
---
apiVersion: policy.linkerd.io/v1alpha1
kind: HTTPRoute
metadata: {name: proxy-metrics, namespace: emojivoto, generation: 1, labels: {linkerd.io/extension: viz}}
spec:
  parentRefs: [{name: proxy-admin, kind: Server, group: policy.linkerd.io}]
  rules: [{matches: [{path: {value: /metrics}}]}]
status:
  parents:
    - parentRef: {name: proxy-admin, kind: Server, group: policy.linkerd.io}
      controllerName: linkerd.io/policy-controller
      conditions: [{type: Accepted, status: "True", observedGeneration: 1}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: HTTPRoute
metadata: {name: proxy-probes, namespace: emojivoto, generation: 1, labels: {linkerd.io/extension: viz}}
spec:
  parentRefs: [{name: proxy-admin, kind: Server, group: policy.linkerd.io}]
  rules: [{matches: [{path: {value: /live}}, {path: {value: /ready}}]}]
status:
  parents:
    - parentRef: {name: proxy-admin, kind: Server, group: policy.linkerd.io}
      controllerName: linkerd.io/policy-controller
      conditions: [{type: Accepted, status: "True", observedGeneration: 1}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: prometheus-scrape, namespace: emojivoto, labels: {linkerd.io/extension: viz}}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: proxy-metrics}
  requiredAuthenticationRefs: [{kind: ServiceAccount, name: prometheus, namespace: linkerd-viz}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: proxy-probes, namespace: emojivoto, labels: {linkerd.io/extension: viz}}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: proxy-probes}
  requiredAuthenticationRefs: [{kind: NetworkAuthentication, group: policy.linkerd.io, name: kubelet, namespace: linkerd-viz}]`;
  const PROXY_PROBES = '      livenessProbe: {httpGet: {path: /live, port: 4191}, initialDelaySeconds: 10}\n      readinessProbe: {httpGet: {path: /ready, port: 4191}, initialDelaySeconds: 2}\n';
  const VARIANTS: readonly Readonly<{name: string; apply: (t: string) => string}>[] = [
    {
      // Helm does not create the namespaces (the charts' namespace templates are CLI-only):
      // `helm install --create-namespace` makes them bare; viz's post-install namespace-metadata Job
      // then adds its linkerd.io/extension label (viz/charts/linkerd-viz/templates/namespace-metadata.yaml).
      name: 'installed with Helm (bare linkerd and linkerd-viz namespaces)',
      apply: (t) => swap(swap(t,
        'metadata:\n  name: linkerd\n  labels: {linkerd.io/is-control-plane: "true", config.linkerd.io/admission-webhooks: disabled, linkerd.io/control-plane-ns: linkerd, pod-security.kubernetes.io/enforce: privileged, kubernetes.io/metadata.name: linkerd}\n  annotations: {linkerd.io/inject: disabled}',
        'metadata:\n  name: linkerd\n  labels: {kubernetes.io/metadata.name: linkerd}'),
        'metadata:\n  name: linkerd-viz\n  labels: {linkerd.io/extension: viz, pod-security.kubernetes.io/enforce: privileged, kubernetes.io/metadata.name: linkerd-viz}',
        'metadata:\n  name: linkerd-viz\n  labels: {linkerd.io/extension: viz, kubernetes.io/metadata.name: linkerd-viz}'),
    },
    {
      // linkerd.io "restricting access": default-deny namespace, `linkerd viz allow-scrapes`, proxies probed on 4191
      name: 'emojivoto default-deny with `linkerd viz allow-scrapes` and the proxies\' own probes',
      apply: (t) => add(editDocuments(
        swap(t, 'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto}, annotations: {linkerd.io/inject: enabled}}',
          'metadata: {name: emojivoto, labels: {kubernetes.io/metadata.name: emojivoto}, annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: deny}}'),
        [POD, 'namespace: emojivoto'], (d) => d
          .replace('{name: LINKERD2_PROXY_INBOUND_DEFAULT_POLICY, value: all-unauthenticated}', '{name: LINKERD2_PROXY_INBOUND_DEFAULT_POLICY, value: deny}')
          .replace('      ports: [{name: linkerd-proxy, containerPort: 4143}, {name: linkerd-admin, containerPort: 4191}]\n', `      ports: [{name: linkerd-proxy, containerPort: 4143}, {name: linkerd-admin, containerPort: 4191}]\n${PROXY_PROBES}`)),
      ALLOW_SCRAPES),
    },
    {
      // `linkerd install --linkerd-cni-enabled` after `linkerd install-cni`: the plugin's DaemonSet
      // ready on both nodes, every injected pod validated by linkerd-network-validator instead of
      // running linkerd-init (charts/linkerd2-cni/templates/cni-plugin.yaml, charts/partials/templates/_network-validator.tpl)
      name: 'CNI mode (linkerd-cni DaemonSet, linkerd-network-validator instead of linkerd-init)',
      apply: (t) => add(swap(t, 'cniEnabled: false', 'cniEnabled: true')
        .replaceAll('initContainers: [{name: linkerd-init, image: cr.l5d.io/linkerd/proxy-init:v2.4.3}]', 'initContainers: [{name: linkerd-network-validator, image: "cr.l5d.io/linkerd/proxy:edge-25.8.1", command: [/usr/lib/linkerd/linkerd2-network-validator]}]')
        .replaceAll('initContainerStatuses: [{name: linkerd-init, ready: true, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}]', 'initContainerStatuses: [{name: linkerd-network-validator, ready: true, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}]'),
      `apiVersion: v1
kind: Namespace
metadata: {name: linkerd-cni, labels: {linkerd.io/cni-resource: "true", config.linkerd.io/admission-webhooks: disabled, kubernetes.io/metadata.name: linkerd-cni}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: linkerd-cni, namespace: linkerd-cni, labels: {linkerd.io/cni-resource: "true"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-cni-config, namespace: linkerd-cni, labels: {linkerd.io/cni-resource: "true"}}
data: {dest_cni_net_dir: /etc/cni/net.d, dest_cni_bin_dir: /opt/cni/bin}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: linkerd-cni, namespace: linkerd-cni, generation: 1, labels: {k8s-app: linkerd-cni, linkerd.io/cni-resource: "true"}}
spec:
  selector: {matchLabels: {k8s-app: linkerd-cni}}
  template:
    metadata: {labels: {k8s-app: linkerd-cni, linkerd.io/cni-resource: "true"}, annotations: {linkerd.io/inject: disabled}}
    spec: {serviceAccountName: linkerd-cni, containers: [{name: install-cni, image: "cr.l5d.io/linkerd/cni-plugin:v1.6.3"}]}
status: {desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, observedGeneration: 1}
---
apiVersion: v1
kind: Pod
metadata:
  name: linkerd-cni-4k2xp
  namespace: linkerd-cni
  labels: {k8s-app: linkerd-cni, linkerd.io/cni-resource: "true"}
  annotations: {linkerd.io/inject: disabled}
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: linkerd-cni, controller: true}]
spec: {nodeName: node-a, serviceAccountName: linkerd-cni, containers: [{name: install-cni, image: "cr.l5d.io/linkerd/cni-plugin:v1.6.3"}]}
status: {phase: Running, podIP: 10.244.0.5, conditions: [{type: Ready, status: "True"}], containerStatuses: [{name: install-cni, ready: true, restartCount: 0, state: {running: {startedAt: "2026-01-15T09:58:00Z"}}}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: linkerd-cni-9m7qz
  namespace: linkerd-cni
  labels: {k8s-app: linkerd-cni, linkerd.io/cni-resource: "true"}
  annotations: {linkerd.io/inject: disabled}
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: linkerd-cni, controller: true}]
spec: {nodeName: node-b, serviceAccountName: linkerd-cni, containers: [{name: install-cni, image: "cr.l5d.io/linkerd/cni-plugin:v1.6.3"}]}
status: {phase: Running, podIP: 10.244.1.5, conditions: [{type: Ready, status: "True"}], containerStatuses: [{name: install-cni, ready: true, restartCount: 0, state: {running: {startedAt: "2026-01-15T09:58:00Z"}}}]}`),
    },
  ];

  test.each(VARIANTS.map((v) => [v.name, v] as const))('upstream variant stays silent: %s', async (_name, variant) => {
    const results = await runCatalog(variant.apply(BASE));
    expect(crashes(results)).toEqual([]);
    expect(loudFindings(results)).toEqual([]);
  });

  describe('each injected fault yields exactly its finding', async () => {
    const baseline = new Set(findingKeys(await runCatalog(BASE)));
    test.each(FAULTS.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
      const results = await runCatalog(fault.apply(BASE));
      expect(crashes(results)).toEqual([]);
      expect(findingKeys(results).filter((k) => !baseline.has(k)).sort()).toEqual([...fault.expect].sort());
    });
  });
});
