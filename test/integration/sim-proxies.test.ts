/**
 * The demo's simulated proxies beyond their metrics, read the way meshdoctor and kubectl read them:
 * a sidecar's Envoy admin through the real port-forward client (the API server's pod proxy cannot
 * reach it: Istio binds it to the pod's loopback), telling the same story as its metrics (the
 * requests its `istio_requests_total` counts as UF,URX are the ones its Envoy gave up retrying), the
 * canary's endpoint ejected by outlier detection; and containers' logs through `pods/log` — once,
 * followed, and with upstream's errors — for client code and for kubectl. Nothing but GETs.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Pod} from '../../src/core/kube-types/index.js';
import {loadScenario} from '../../src/sim/demo/scenario.js';
import {serveWorld, type ServedWorld} from '../../src/sim/demo/serve.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {createPortForwardClient} from '../../src/sources/kube/port-forward.js';
import {followLogs, readLogs} from '../../src/sources/kube/pod-logs.js';
import {createKubeHttp, podProxyPath, type KubeHttp} from '../../src/sources/metrics/kube-http.js';
import {parseExposition} from '../../src/sources/metrics/exposition.js';
import {getFromPod, podProxyReader, portForwardReader} from '../../src/sources/proxy/pod-port.js';
import {readEnvoyView} from '../../src/sources/proxy/envoy-view.js';

let served: ServedWorld;
let kube: KubeHttp;
let frontend: Pod;
let canary: Pod;

beforeAll(async () => {
  served = await serveWorld(await buildWorld(loadScenario('istio-shop')));
  kube = await createKubeHttp({kubeconfig: served.kubeconfig});
  const pods = served.world.objects.filter((o) => o.kind === 'Pod') as Pod[];
  frontend = pods.find((p) => p.metadata.labels?.app === 'frontend')!;
  canary = pods.find((p) => p.metadata.labels?.app === 'checkout' && p.metadata.labels?.version === 'v2')!;
});
afterAll(async () => served?.stop());

const target = () => ({namespace: 'shop', pod: frontend.metadata.name, port: 15000});

describe('a sidecar\'s Envoy admin, read-only', () => {
  test('through port-forward: the caller sees the canary\'s one endpoint ejected, and gave up on exactly the requests its metrics count as UF,URX', async () => {
    const readers = [portForwardReader(() => createPortForwardClient({kubeconfig: served.kubeconfig}))];
    const metricsText = (await kube.get(podProxyPath('shop', frontend.metadata.name, 15020, '/stats/prometheus'), {timeoutMs: 10_000})).body.toString('utf8');
    const view = await readEnvoyView((p) => getFromPod(readers, target(), p, 10_000), ['endpoints', 'clusters', 'stats'], {statsFor: ['checkout-canary.shop.svc.cluster.local']});
    expect(view.errors).toEqual([]);
    const canaryHosts = view.endpoints!.filter((h) => h.cluster === 'outbound|80||checkout-canary.shop.svc.cluster.local');
    expect(canaryHosts).toEqual([expect.objectContaining({address: canary.status!.podIP, port: 8080, health: {eds: 'HEALTHY', outlier: true, activeCheck: false}})]);
    expect(view.clusters!.find((c) => c.name === 'outbound|80||checkout-canary.shop.svc.cluster.local')).toMatchObject({destinationRule: 'checkout-canary.shop', outlier: {consecutiveGatewayFailure: 5}, panicThreshold: 50});
    const stat = (name: string) => view.stats!.get(`cluster.outbound|80||checkout-canary.shop.svc.cluster.local.${name}`);
    expect(stat('membership_healthy')).toBe(0);
    expect(stat('outlier_detection.ejections_active')).toBe(1);
    expect(stat('upstream_rq_lb_healthy_panic')).toBeGreaterThan(0);
    const flagged = parseExposition(metricsText)
      .filter((s) => s.name === 'istio_requests_total' && s.labels.reporter === 'source' && s.labels.destination_service_name === 'checkout-canary' && s.labels.response_flags === 'UF,URX')
      .reduce((a, s) => a + s.value, 0);
    expect(flagged).toBeGreaterThan(0);
    // Read a moment apart: the counter may have grown by the requests of that moment, never shrunk.
    expect(stat('upstream_rq_retry_limit_exceeded')! - flagged).toBeGreaterThanOrEqual(0);
    expect(stat('upstream_rq_retry_limit_exceeded')! - flagged).toBeLessThan(30);
    expect(stat('upstream_cx_connect_fail')!).toBeGreaterThan(3 * flagged);
    // Other upstreams are healthy.
    expect(view.endpoints!.filter((h) => h.cluster.includes('checkout-stable')).every((h) => !h.health.outlier)).toBe(true);
    expect(served.api.nonGetRequests()).toEqual([]);
  });

  test('the pod proxy cannot reach the admin port (it listens on the pod\'s loopback); a state-changing path answers 405', async () => {
    const proxied = await kube.get(podProxyPath('shop', frontend.metadata.name, 15000, '/clusters'), {timeoutMs: 10_000});
    expect(proxied.status).toBe(503);
    await expect(getFromPod([podProxyReader(async () => kube)], target(), '/clusters?format=json', 10_000)).rejects.toThrow(/pod proxy: HTTP 503/);
    const client = await createPortForwardClient({kubeconfig: served.kubeconfig});
    expect((await client.get(target(), '/quitquitquit', 10_000)).status).toBe(405);
    expect((await client.get(target(), '/healthcheck/fail', 10_000)).status).toBe(405);
    expect(served.api.nonGetRequests()).toEqual([]);
  });
});

describe('container logs through pods/log', () => {
  test('the tail of the caller\'s proxy log holds its failing requests to the canary, in Istio\'s access log format', async () => {
    const text = await readLogs(kube, {namespace: 'shop', pod: frontend.metadata.name, container: 'istio-proxy', tailLines: 400}, 10_000);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(400);
    expect(lines.some((l) => /^\[\S+\] "POST \/api\/checkout HTTP\/1\.1" 503 UF,URX upstream_reset_before_response_started\{remote_connection_failure\|delayed_connect_error:_Connection_refused\} - "delayed_connect_error:_Connection_refused" /.test(l))).toBe(true);
  });

  test('timestamps, since, and upstream\'s errors: no container named, an unknown one, a previous one', async () => {
    const stamped = await readLogs(kube, {namespace: 'shop', pod: canary.metadata.name, container: 'checkout', tailLines: 5, timestamps: true}, 10_000);
    expect(stamped.trimEnd().split('\n').every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /.test(l))).toBe(true);
    const none = await kube.get(`/api/v1/namespaces/shop/pods/${canary.metadata.name}/log`, {timeoutMs: 10_000});
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body.toString()).message).toBe(`a container name must be specified for pod ${canary.metadata.name}, choose one of: [checkout istio-proxy]`);
    await expect(readLogs(kube, {namespace: 'shop', pod: canary.metadata.name, container: 'nope'}, 10_000)).rejects.toThrow(`container nope is not valid for pod ${canary.metadata.name}`);
    const previous = await kube.get(`/api/v1/namespaces/shop/pods/${canary.metadata.name}/log?container=checkout&previous=true`, {timeoutMs: 10_000});
    expect(previous.status).toBe(400);
  });

  test('followed: new lines keep arriving until stopped', async () => {
    const chunks: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const handle = followLogs(kube, {namespace: 'shop', pod: canary.metadata.name, container: 'checkout', tailLines: 1}, (text) => {
        chunks.push(text);
        if (chunks.join('').split('\n').filter(Boolean).length >= 3) {
          handle.stop();
          resolve();
        }
      }, (error) => (error ? reject(error) : reject(new Error('the stream ended'))));
    });
    expect(chunks.join('').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
  });

  test('kubectl logs reads them: a Deployment\'s pod (its default container), a label selector, and -f', async () => {
    const home = mkdtempSync(join(tmpdir(), 'md-kubectl-logs-'));
    const env = {...process.env, KUBECONFIG: served.kubeconfig, HOME: home};
    const kubectl = (args: string[], stopAfterLines?: number) => new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
      const child = spawn('kubectl', args, {env});
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stopAfterLines && stdout.split('\n').filter(Boolean).length >= stopAfterLines) child.kill('SIGTERM');
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({code, stdout, stderr}));
    });
    try {
      const deploy = await kubectl(['-n', 'shop', 'logs', 'deploy/checkout-v2', '--tail=5']);
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(deploy.stdout.trimEnd().split('\n')).toHaveLength(5);
      expect(deploy.stderr).toContain('Defaulted container "checkout" out of: checkout, istio-proxy');
      const selected = await kubectl(['-n', 'istio-system', 'logs', '-l', 'app=istiod', '--tail=3']);
      expect(selected.code, selected.stderr).toBe(0);
      expect(selected.stdout).toMatch(/\tinfo\tads\tPush debounce stable/);
      const unknown = await kubectl(['-n', 'shop', 'logs', canary.metadata.name, '-c', 'nope']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(`container nope is not valid for pod ${canary.metadata.name}`);
      const followed = await kubectl(['-n', 'shop', 'logs', '-f', '--tail=1', canary.metadata.name, '-c', 'istio-proxy'], 3);
      expect(followed.stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
    } finally {
      rmSync(home, {recursive: true, force: true});
    }
    expect(served.api.nonGetRequests()).toEqual([]);
  });
});
