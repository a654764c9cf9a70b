/**
 * The syncz path end to end: client-node's PortForward speaks WebSocket to the fixture API server's
 * pods/portforward, which forwards to a fake istiod serving /debug/syncz; the collector turns every
 * replica's answer (or failure) into the istioSyncz fact, and the checks read it. GET only, always.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import type http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {allChecks} from '../../checks/index.js';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {DEFAULT_OPTIONS, subjectKey} from '../../src/core/index.js';
import {runCheck} from '../../src/core/runner.js';
import {resolveSettings} from '../../src/cli/settings.js';
import {controlPlaneProviderFor} from '../../src/cli/providers/control-plane.js';
import {defaultConfig} from '../../src/cli/config.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {PortForwardSimulator} from '../../src/sim/port-forward.js';
import {collectLive} from '../../src/snapshot/collect.js';
import {planFor} from '../../src/snapshot/plan.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import {collectIstioSyncz, istiodTargets} from '../../src/sources/control-plane/syncz.js';
import {createLiveKubeSource} from '../../src/sources/kube/live.js';
import {createPortForwardClient} from '../../src/sources/kube/port-forward.js';

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
const RDS = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function istiodPod(name: string, port?: number): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name, namespace: 'istio-system', labels: {app: 'istiod', 'istio.io/rev': 'default'}, ...(port ? {annotations: {'prometheus.io/port': String(port)}} : {})},
    spec: {containers: [{name: 'discovery', image: 'docker.io/istio/pilot:1.27.1'}]},
    status: {phase: 'Running'},
  };
}

function appPod(name: string, started: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name, namespace: 'shop', labels: {app: 'cart'}},
    spec: {containers: [{name: 'cart', image: 'cart:1'}, {name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1'}]},
    status: {phase: 'Running', containerStatuses: [{name: 'istio-proxy', ready: true, state: {running: {startedAt: started}}}]},
  };
}

/** What istiod's HTTP /debug/syncz returns (istio/istio pilot/pkg/xds/debug.go): SyncStatus with nonces and per-type resources. */
const SYNCZ_A = [
  {
    cluster_id: 'Kubernetes', proxy: 'cart-1.shop', proxy_type: 'sidecar', istio_version: '1.27.1',
    cluster_sent: 'n3', cluster_acked: 'n3', listener_sent: 'n3', listener_acked: 'n3', route_sent: 'n7', route_acked: 'n6', endpoint_sent: 'n2', endpoint_acked: 'n2',
    resources: {[RDS]: {sent: 'n7', acked: 'n6', sentTime: ago(120)}, [CDS]: {sent: 'n3', acked: 'n3', sentTime: ago(300)}},
  },
];

const OBJECTS: KubeObject[] = [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'istio-system'}},
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop', labels: {'istio-injection': 'enabled'}}},
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'istiod', namespace: 'istio-system', labels: {app: 'istiod'}},
    spec: {selector: {matchLabels: {app: 'istiod'}}, template: {metadata: {labels: {app: 'istiod'}}, spec: {containers: [{name: 'discovery', image: 'docker.io/istio/pilot:1.27.1'}]}}},
    status: {availableReplicas: 3},
  },
  istiodPod('istiod-a', 15014),
  istiodPod('istiod-b'),
  istiodPod('istiod-c', 15099),
  appPod('cart-1', ago(600)),
  appPod('cart-2', ago(600)),
];

/** istiod-a serves syncz; istiod-b has debug endpoints off (404); nothing listens on istiod-c's port. */
function resolver(pod: KubeObject, port: number): http.RequestListener | undefined {
  if (pod.metadata.name === 'istiod-a' && port === 15014) {
    return (req, res) => {
      if (req.url?.startsWith('/debug/syncz')) res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify(SYNCZ_A));
      else res.writeHead(404).end();
    };
  }
  if (pod.metadata.name === 'istiod-b' && port === 15014) return (_req, res) => res.writeHead(404, {'Content-Type': 'text/plain'}).end('404 page not found\n');
  return undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'meshdoctor-pf-'));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function serve(forbidPortForward = false): Promise<{server: FixtureApiServer; kubeconfig: string}> {
  const server = new FixtureApiServer({objects: OBJECTS, ...(forbidPortForward ? {forbid: [{resource: 'pods/portforward'}]} : {})});
  const sim = new PortForwardSimulator(resolver);
  sim.attach(server);
  await server.start();
  cleanups.push(async () => {
    await sim.close();
    await server.stop();
  });
  const kubeconfig = join(dir, `kubeconfig-${cleanups.length}`);
  server.writeKubeconfig(kubeconfig);
  return {server, kubeconfig};
}

describe('syncz through client-node port-forward', () => {
  it('reads each replica through pods/portforward and classifies the failures', async () => {
    const {server, kubeconfig} = await serve();
    const client = await createPortForwardClient({kubeconfig});
    const pods = OBJECTS.filter((o) => o.kind === 'Pod') as never[];
    const fact = await collectIstioSyncz({client, targets: istiodTargets(pods), timeoutMs: 5000});
    const byPod = Object.fromEntries((fact.value?.replicas ?? []).map((r) => [r.pod, r]));
    expect(fact.state.state).toBe('partial');
    expect(byPod['istiod-a']).toMatchObject({state: 'ok', form: 'http', port: 15014});
    expect(byPod['istiod-a'].proxies.map((p) => p.proxy)).toEqual(['cart-1.shop']);
    expect(byPod['istiod-a'].proxies[0].types[RDS]).toMatchObject({sent: 'n7', acked: 'n6'});
    expect(byPod['istiod-b']).toMatchObject({state: 'error', failure: 'disabled', status: 404, port: 15014});
    expect(byPod['istiod-c']).toMatchObject({state: 'error', failure: 'refused', port: 15099});
    const forwards = server.requests.filter((r) => r.path.includes('/portforward'));
    expect(forwards.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/istio-system/pods/istiod-a/portforward',
      '/api/v1/namespaces/istio-system/pods/istiod-b/portforward',
      '/api/v1/namespaces/istio-system/pods/istiod-c/portforward',
    ]);
    expect(server.nonGetRequests()).toEqual([]);
  });

  it('reports an RBAC denial of pods/portforward as forbidden', async () => {
    const {kubeconfig} = await serve(true);
    const client = await createPortForwardClient({kubeconfig});
    const fact = await collectIstioSyncz({client, targets: [{namespace: 'istio-system', pod: 'istiod-a', port: 15014}], timeoutMs: 5000});
    expect(fact.value?.replicas[0]).toMatchObject({state: 'error', failure: 'forbidden', status: 403});
  });

  it('feeds the checks through the control-plane provider of a live collection', async () => {
    const {server, kubeconfig} = await serve();
    const checks = allChecks.filter((c) => ['MD1101', 'MD2102', 'MD2104'].includes(c.id));
    const provider = controlPlaneProviderFor(resolveSettings({kubeconfig}, defaultConfig()));
    const source = await createLiveKubeSource({kubeconfig, requestTimeoutMs: 5000});
    const raw = await collectLive({source, plan: planFor(checks), scope: {mode: 'meshed'}, controlPlane: provider});
    const snapshot = buildSnapshot(raw);
    const findings = checks.map((c) => runCheck(c, snapshot, {now: new Date(), options: DEFAULT_OPTIONS}))
      .flatMap((r) => [`${r.check.id} ${r.outcome}`, ...r.findings.map((f) => `${f.checkId} ${subjectKey(f.subject)}`)]);
    expect(findings.sort()).toEqual([
      'MD1101 Pod istio-system/istiod-b',
      'MD1101 Pod istio-system/istiod-c',
      'MD1101 fail',
      'MD2102 Pod shop/cart-1',
      'MD2102 fail',
      'MD2104 skip',
    ]);
    expect(raw.sources.find((s) => s.source === 'control-plane')?.state).toBe('partial');
    expect(server.nonGetRequests()).toEqual([]);
  });
});
