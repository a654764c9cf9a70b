/**
 * Consul and OSM at basic depth: a healthy install of each (with a small app) yields no warning or
 * error finding across the whole catalog, and each injected fault yields exactly its expected
 * (check id, severity, subject). Clusters: test/fixtures/clusters/_base/{consul-healthy,osm-bookstore}.yaml.
 */
import {describe, expect, test} from 'vitest';
import type {Fault} from '../helpers/catalog.js';
import {add, clusterText, crashes, dropDocument, editDocuments, findingKeys, loudFindings, POD, runCatalog, swap} from '../helpers/catalog.js';

const CONSUL = clusterText('_base/consul-healthy.yaml');
const OSM = clusterText('_base/osm-bookstore.yaml');

const CONSUL_FAULTS: readonly Fault[] = [
  {
    name: 'two of three servers down: Raft quorum lost',
    apply: (t) => swap(t, 'status: {replicas: 3, readyReplicas: 3, currentReplicas: 3, availableReplicas: 3}', 'status: {replicas: 3, readyReplicas: 1, currentReplicas: 3, availableReplicas: 1}'),
    expect: ['MD2301 error StatefulSet consul/consul-server'],
  },
  {
    name: 'webhook-cert-manager unavailable',
    apply: (t) => editDocuments(t, ['kind: Deployment', 'name: consul-webhook-cert-manager,'], (d) => d.replace('readyReplicas: 1, availableReplicas: 1', 'readyReplicas: 0, availableReplicas: 0')),
    expect: ['MD2302 warning Deployment consul/consul-webhook-cert-manager'],
  },
  {
    name: 'api runs as the default ServiceAccount',
    apply: (t) => editDocuments(t, [POD, 'name: api-8d6f7c5b4'], (d) => d.replace('serviceAccountName: api', 'serviceAccountName: default')),
    expect: ['MD3302 error Deployment shop/api'],
  },
  {
    name: 'a second Service selects the api pods',
    apply: (t) => add(t, 'apiVersion: v1\nkind: Service\nmetadata: {name: api-admin, namespace: shop}\nspec: {clusterIP: 10.96.41.9, selector: {app: api}, ports: [{name: admin, port: 19000, targetPort: 19000}]}'),
    expect: ['MD3301 error Deployment shop/api'],
  },
  {
    name: 'intention source misspelt',
    apply: (t) => swap(t, 'sources: [{name: web, action: allow}, {name: "*", action: deny}]', 'sources: [{name: wbe, action: allow}, {name: "*", action: deny}]'),
    expect: ['MD5302 warning ServiceIntentions shop/api'],
  },
  {
    name: 'router sends canaries to a subset the resolver does not define',
    apply: (t) => swap(t, 'destination: {serviceSubset: v2}', 'destination: {serviceSubset: v3}'),
    expect: ['MD5303 error ServiceRouter shop/api'],
  },
  {
    name: 'ServiceDefaults rejected by Consul',
    apply: (t) => editDocuments(t, ['kind: ServiceDefaults', 'name: web,'], (d) => d.replace('{type: Synced, status: "True", lastTransitionTime: "2026-02-01T08:01:02Z"}', '{type: Synced, status: "False", reason: ConsulAgentError, message: "permission denied", lastTransitionTime: "2026-02-01T08:01:02Z"}')),
    expect: ['MD5301 error ServiceDefaults shop/web'],
  },
  {
    name: 'splitter sends half the traffic to a Service with no ready endpoint',
    apply: (t) => add(t, `apiVersion: v1
kind: Service
metadata: {name: api-next, namespace: shop}
spec: {clusterIP: 10.96.41.8, selector: {app: api-next}, ports: [{name: http, port: 9090, targetPort: 9090}]}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: web, namespace: shop, creationTimestamp: "2026-02-01T08:01:00Z"}
spec: {splits: [{weight: 50}, {weight: 50, service: api-next}]}
status:
  conditions: [{type: Synced, status: "True"}]`),
    expect: ['MD5001 error ServiceSplitter shop/web', 'MD5303 error ServiceSplitter shop/web'],
  },
];

const OSM_FAULTS: readonly Fault[] = [
  {
    name: 'osm-injector unavailable',
    apply: (t) => editDocuments(t, ['kind: Deployment', 'name: osm-injector,'], (d) => d.replace('readyReplicas: 1, availableReplicas: 1', 'readyReplicas: 0, availableReplicas: 0')),
    expect: ['MD2401 error Deployment osm-system/osm-injector'],
  },
  {
    name: 'a namespace asks for injection without being monitored',
    apply: (t) => add(t, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: orders, labels: {openservicemesh.io/monitored-by: osm-prod}, annotations: {openservicemesh.io/sidecar-injection: enabled}}'),
    expect: ['MD3401 warning Namespace orders'],
  },
  {
    name: 'metrics disabled for bookbuyer',
    apply: (t) => swap(t, 'name: bookbuyer\n  labels: {openservicemesh.io/monitored-by: osm, kubernetes.io/metadata.name: bookbuyer}\n  annotations: {openservicemesh.io/sidecar-injection: enabled, openservicemesh.io/metrics: enabled}',
      'name: bookbuyer\n  labels: {openservicemesh.io/monitored-by: osm, kubernetes.io/metadata.name: bookbuyer}\n  annotations: {openservicemesh.io/sidecar-injection: enabled}'),
    expect: ['MD1401 info Namespace bookbuyer'],
  },
  {
    name: 'TrafficTarget deleted while permissive mode is off',
    apply: (t) => dropDocument(t, 'kind: TrafficTarget\nmetadata: {name: bookstore'),
    expect: ['MD4401 warning Service bookstore/bookstore', 'MD4401 warning Service bookstore/bookstore-v1'],
  },
  {
    name: 'TrafficTarget names a match the HTTPRouteGroup lacks',
    apply: (t) => swap(t, 'matches: [buy-a-book, books-bought]', 'matches: [buy-a-book, books-sold]'),
    expect: ['MD5401 error TrafficTarget bookstore/bookstore'],
  },
  {
    name: 'TrafficSplit shifts traffic to a backend that does not exist',
    apply: (t) => swap(t, 'backends: [{service: bookstore-v1, weight: 100}]', 'backends: [{service: bookstore-v1, weight: 50}, {service: bookstore-v2, weight: 50}]'),
    expect: ['MD5002 error TrafficSplit bookstore/bookstore-split'],
  },
];

describe.each([
  ['Consul', CONSUL, CONSUL_FAULTS, ['MD2301', 'MD2302', 'MD3301', 'MD3302', 'MD5001', 'MD5301', 'MD5302', 'MD5303']],
  ['OSM', OSM, OSM_FAULTS, ['MD1401', 'MD2401', 'MD3401', 'MD4401', 'MD5001', 'MD5002', 'MD5401']],
] as const)('%s', (_mesh, base, faults, ran) => {
  test('the healthy cluster yields no warning or error finding across the whole catalog, and no check crashes', async () => {
    const results = await runCatalog(base);
    expect(crashes(results)).toEqual([]);
    expect(loudFindings(results)).toEqual([]);
    const passed = new Set(results.filter((r) => r.outcome === 'pass').map((r) => r.check.id));
    for (const id of ran) expect(passed, id).toContain(id);
  });

  describe('each injected fault yields exactly its finding', async () => {
    const baseline = new Set(findingKeys(await runCatalog(base)));
    test.each(faults.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
      const results = await runCatalog(fault.apply(base));
      expect(crashes(results)).toEqual([]);
      expect(findingKeys(results).filter((k) => !baseline.has(k)).sort()).toEqual([...fault.expect].sort());
    });
  });
});
