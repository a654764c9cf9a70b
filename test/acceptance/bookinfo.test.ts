/**
 * Acceptance: Istio's Bookinfo sample, installed correctly (test/fixtures/clusters/_base/bookinfo.yaml),
 * yields no finding of severity warning or error across the whole catalog; with one fault injected at
 * a time it yields exactly the expected (check id, subject) findings at warning or error.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import type {IstioSyncz, KubeObject, Pod} from '../../src/core/index.js';
import {DEFAULT_OPTIONS, subjectKey} from '../../src/core/index.js';
import {runChecks} from '../../src/core/runner.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {XDS_TYPES} from '../../src/mesh/istio/syncz.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import {FIXTURE_ROOT, isoTimes} from '../helpers/fixtures.js';
import {rawOf} from '../helpers/snapshot-builder.js';

const BOOKINFO = readFileSync(join(FIXTURE_ROOT, '_base', 'bookinfo.yaml'), 'utf8');

type Fault = Readonly<{
  name: string;
  /** Extra manifests (certificate tags allowed), appended to Bookinfo. */
  add?: string;
  mutate?: (objects: KubeObject[]) => KubeObject[];
  syncz?: (syncz: IstioSyncz, now: Date) => IstioSyncz;
  expect: readonly string[];
}>;

/** Every sidecar and gateway proxy connected to the one istiod replica, fully synced. */
function healthySyncz(objects: readonly KubeObject[], now: Date): IstioSyncz {
  const sent = new Date(now.getTime() - 300_000).toISOString();
  const proxies = objects
    .filter((o): o is Pod => o.kind === 'Pod' && (o as Pod).spec.containers.some((c) => c.name === 'istio-proxy'))
    .map((p) => ({
      proxy: `${p.metadata.name}.${p.metadata.namespace}`,
      proxyType: p.metadata.labels?.istio === 'ingressgateway' ? 'router' : 'sidecar',
      istioVersion: '1.27.1',
      types: Object.fromEntries([XDS_TYPES.CDS, XDS_TYPES.LDS, XDS_TYPES.EDS, XDS_TYPES.RDS].map((t) => [t, {sent: 'n4', acked: 'n4', sentTime: sent}])),
    }));
  return {replicas: [{pod: 'istiod-6d8f9-x1', namespace: 'istio-system', revision: 'default', state: 'ok', port: 15014, form: 'http', proxies, fetchedAt: now.toISOString()}]};
}

async function run(fault?: Fault): Promise<{blocking: string[]; outcomes: Map<string, string>}> {
  const now = new Date();
  const text = fault?.add ? `${BOOKINFO}\n---\n${fault.add}` : BOOKINFO;
  let objects = (await renderManifestTemplate(text, now)).objects.map((o) => isoTimes(o, now) as KubeObject);
  if (fault?.mutate) objects = fault.mutate(objects);
  let syncz = healthySyncz(objects, now);
  if (fault?.syncz) syncz = fault.syncz(syncz, now);
  const snapshot = buildSnapshot(rawOf(objects, {takenAt: now.toISOString(), context: 'bookinfo', facts: {istioSyncz: {state: {state: 'ok'}, value: syncz}}}));
  const gen = runChecks(allChecks, snapshot, {now, options: DEFAULT_OPTIONS});
  let step = gen.next();
  while (!step.done) step = gen.next();
  const results = step.value;
  const blocking = results.flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.checkId} ${subjectKey(f.subject)}`)).sort();
  return {blocking, outcomes: new Map(results.map((r) => [r.check.id, r.outcome]))};
}

function edit<T extends KubeObject>(objects: KubeObject[], kind: string, namespace: string, name: string, change: (o: T) => T): KubeObject[] {
  let found = false;
  const out = objects.map((o) => {
    if (o.kind !== kind || o.metadata.namespace !== namespace || o.metadata.name !== name) return o;
    found = true;
    return change(structuredClone(o) as T);
  });
  if (!found) throw new Error(`no ${kind} ${namespace}/${name} in Bookinfo`);
  return out;
}

const FAULTS: readonly Fault[] = [
  {
    name: 'a VirtualService routes to a subset no DestinationRule defines',
    mutate: (o) => edit(o, 'VirtualService', 'bookinfo', 'reviews', (vs) => ({...vs, spec: {...vs.spec, http: [{route: [{destination: {host: 'reviews', subset: 'v4'}}]}]}})),
    expect: ['MD5103 VirtualService bookinfo/reviews'],
  },
  {
    name: 'a typo in the gateway reference',
    mutate: (o) => edit(o, 'VirtualService', 'bookinfo', 'bookinfo', (vs) => ({...vs, spec: {...vs.spec, gateways: ['bookinfo-gatway']}})),
    expect: ['MD5101 VirtualService bookinfo/bookinfo'],
  },
  {
    name: 'a pod without its sidecar in an injected namespace',
    mutate: (o) => edit<Pod>(o, 'Pod', 'bookinfo', 'ratings-v1-7b8c9-a1b2c', (p) => ({
      ...p,
      spec: {...p.spec, initContainers: [], containers: p.spec.containers.filter((c) => c.name !== 'istio-proxy')},
      status: {...p.status, initContainerStatuses: [], containerStatuses: (p.status?.containerStatuses ?? []).filter((c) => c.name !== 'istio-proxy')},
    })),
    expect: ['MD3002 Deployment bookinfo/ratings-v1'],
  },
  {
    name: 'a DestinationRule disables TLS towards STRICT servers',
    mutate: (o) => edit(o, 'DestinationRule', 'bookinfo', 'details', (dr) => ({...dr, spec: {...dr.spec, trafficPolicy: {tls: {mode: 'DISABLE'}}}})),
    expect: ['MD4101 DestinationRule bookinfo/details'],
  },
  {
    name: 'a proxy has not acknowledged a route push for two minutes',
    syncz: (s, now) => ({
      replicas: s.replicas.map((r) => ({
        ...r,
        proxies: r.proxies.map((p) => (p.proxy.startsWith('productpage-v1-')
          ? {...p, types: {...p.types, [XDS_TYPES.RDS]: {sent: 'n9', acked: 'n8', sentTime: new Date(now.getTime() - 120_000).toISOString()}}}
          : p)),
      })),
    }),
    expect: ['MD2102 Deployment bookinfo/productpage-v1'],
  },
  {
    name: 'a proxy rejected its clusters',
    syncz: (s) => ({replicas: s.replicas.map((r) => ({...r, proxies: r.proxies.map((p) => (p.proxy.startsWith('details-v1-') ? {...p, types: {...p.types, [XDS_TYPES.CDS]: {sent: 'n5', acked: 'n4', lastError: 'Proto constraint validation failed'}}} : p))}))}),
    expect: ['MD2103 Deployment bookinfo/details-v1'],
  },
  {
    name: 'a plug-in CA certificate expiring in 20 days',
    add: `apiVersion: v1
kind: Secret
metadata: {name: cacerts, namespace: istio-system}
data:
  ca-cert.pem: !cert {id: plug-ca, cn: Bookinfo plug-in CA, ca: true, issuer: bookinfo-root, notBefore: -345d, notAfter: +20d, format: base64}
  root-cert.pem: !cert {ref: bookinfo-root, format: base64}
  cert-chain.pem: !bundle {refs: [plug-ca, bookinfo-root], format: base64}`,
    expect: ['MD4102 Secret istio-system/cacerts'],
  },
  {
    name: 'a namespace holds a stale istio-ca-root-cert',
    add: `apiVersion: v1
kind: Secret
metadata: {name: unrelated-old-root, namespace: default}
data: {ca.crt: !cert {id: old-root, cn: Old root, ca: true, notBefore: -900d, notAfter: +1000d, format: base64}}`,
    mutate: (o) => {
      const old = o.find((x) => x.metadata.name === 'unrelated-old-root')!;
      const pem = Buffer.from((old as unknown as {data: {'ca.crt': string}}).data['ca.crt'], 'base64').toString('utf8');
      return edit(o.filter((x) => x !== old), 'ConfigMap', 'bookinfo', 'istio-ca-root-cert', (cm) => ({...cm, data: {'root-cert.pem': pem}}));
    },
    expect: ['MD4103 ConfigMap bookinfo/istio-ca-root-cert'],
  },
  {
    name: 'two Sidecars without workloadSelector in one namespace',
    add: `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: bookinfo}
spec: {egress: [{hosts: ["./*", "istio-system/*"]}]}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: lockdown, namespace: bookinfo}
spec: {egress: [{hosts: ["./*"]}]}`,
    expect: ['MD5114 Sidecar bookinfo/default', 'MD5114 Sidecar bookinfo/lockdown'],
  },
  {
    name: 'the injector Service loses its endpoints',
    mutate: (o) => edit(o, 'EndpointSlice', 'istio-system', 'istiod-x1', (s) => ({...s, endpoints: [{addresses: ['10.0.0.10'], conditions: {ready: false}}]})),
    expect: ['MD2002 MutatingWebhookConfiguration istio-sidecar-injector', 'MD2002 ValidatingWebhookConfiguration istio-validator-istio-system', 'MD2101 Deployment istio-system/istiod'],
  },
  {
    name: 'the Gateway selects no gateway pod',
    mutate: (o) => edit(o, 'Gateway', 'bookinfo', 'bookinfo-gateway', (g) => ({...g, spec: {...g.spec, selector: {istio: 'ingress'}}})),
    expect: ['MD5111 Gateway bookinfo/bookinfo-gateway'],
  },
  {
    name: 'reviews v3 rolled out with the wrong version label',
    mutate: (o) => edit<Pod>(o, 'Pod', 'bookinfo', 'reviews-v3-1e2f3-a1b2c', (p) => ({...p, metadata: {...p.metadata, labels: {...p.metadata.labels, version: 'v3.1'}}})),
    expect: ['MD5109 DestinationRule bookinfo/reviews'],
  },
];

describe('Bookinfo', () => {
  test('installed correctly: no warning or error finding across the catalog', async () => {
    const {blocking, outcomes} = await run();
    expect(blocking).toEqual([]);
    // The Istio checks really ran (not skipped or not applicable) on this cluster.
    for (const id of ['MD2101', 'MD2102', 'MD3002', 'MD4101', 'MD4103', 'MD5101', 'MD5103', 'MD5109', 'MD5111', 'MD5114']) expect(outcomes.get(id), id).toBe('pass');
  });

  test.each(FAULTS.map((f) => [f.name, f] as const))('fault: %s', async (_name, fault) => {
    const {blocking} = await run(fault);
    expect(blocking).toEqual([...fault.expect].sort());
  });
});
