/**
 * The simulator owns the proxies' logs and Envoy state: same scenario, same instant → the same
 * lines and counters (same seed, same story); the story is the incident's — the caller's sampled
 * log shows the canary's flag share of that second, the canary's own log its refused connections,
 * and the caller's Envoy the ejected endpoint only once the failures started.
 */
import {describe, expect, test} from 'vitest';
import type {Pod} from '../../../src/core/kube-types/index.js';
import {loadScenario} from '../../../src/sim/demo/scenario.js';
import {buildWorld} from '../../../src/sim/demo/world.js';
import {envoyState} from '../../../src/sim/proxy/envoy-state.js';
import {sidecarConfig} from '../../../src/sim/proxy/istio-config.js';
import {containerLog} from '../../../src/sim/proxy/logs.js';
import {worldProxies} from '../../../src/sim/proxy/world.js';
import {ManualClock} from '../../../src/sim/traffic/model.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');

async function world() {
  const w = await buildWorld(loadScenario('istio-shop'), {clock: new ManualClock(NOW)});
  const pods = w.objects.filter((o) => o.kind === 'Pod') as Pod[];
  const pod = (app: string, version?: string) => pods.find((p) => p.metadata.labels?.app === app && (!version || p.metadata.labels?.version === version))!;
  return {w, pod, proxies: worldProxies(w, () => NOW)};
}

describe('simulated proxies', () => {
  test('same scenario, same instant: the same log lines and the same Envoy counters', async () => {
    const [a, b] = await Promise.all([world(), world()]);
    const logOf = (x: typeof a) => containerLog(x.proxies.logSource(x.pod('frontend')), 'istio-proxy', {toMs: NOW, tailLines: 300}).map((l) => l.text);
    expect(logOf(a)).toEqual(logOf(b));
    expect(logOf(a)).toHaveLength(300);
    const stateOf = (x: typeof a) => envoyState(x.w.sim, x.w.sim.pod('shop', x.pod('frontend').metadata.name)!, sidecarConfig(x.w.objects, x.pod('frontend')), NOW).map((c) => [c.cluster.name, c.stats]);
    expect(stateOf(a)).toEqual(stateOf(b));
  });

  test('the caller\'s log samples the canary\'s failing share; the canary\'s own log shows the connections it refused', async () => {
    const {proxies, pod} = await world();
    const lines = containerLog(proxies.logSource(pod('frontend')), 'istio-proxy', {toMs: NOW, sinceMs: NOW - 10 * 60_000}).map((l) => l.text).filter((l) => l.includes('checkout-canary.shop.svc.cluster.local'));
    const failing = lines.filter((l) => l.includes(' 503 UF,URX '));
    // Ten minutes at one sampled request per second; the scenario's share is 12 % then (ramping up from now).
    expect(lines.length).toBeGreaterThan(500);
    expect(failing.length / lines.length).toBeGreaterThan(0.08);
    expect(failing.length / lines.length).toBeLessThan(0.17);
    const app = containerLog(proxies.logSource(pod('checkout', 'v2')), 'checkout', {toMs: NOW, tailLines: 200}).map((l) => l.text);
    expect(app.some((l) => /WARN {2}accept: connection pool full .* refusing connection from 10\./.test(l))).toBe(true);
    const stable = containerLog(proxies.logSource(pod('checkout', 'v1')), 'checkout', {toMs: NOW, tailLines: 200}).map((l) => l.text);
    expect(stable.some((l) => l.includes('refusing connection'))).toBe(false);
  });

  test('the canary\'s endpoint is ejected only since its failures started (20 minutes before now)', async () => {
    const {w, pod} = await world();
    const caller = pod('frontend');
    const config = sidecarConfig(w.objects, caller);
    const at = (ms: number) => envoyState(w.sim, w.sim.pod('shop', caller.metadata.name)!, config, ms).find((c) => c.cluster.name === 'outbound|80||checkout-canary.shop.svc.cluster.local')!;
    expect(at(NOW).hosts.map((h) => h.ejected)).toEqual([true]);
    expect(at(NOW).stats.membership_healthy).toBe(0);
    expect(at(NOW - 22 * 60_000).hosts.map((h) => h.ejected)).toEqual([false]);
    expect(at(NOW - 22 * 60_000).stats.upstream_rq_retry_limit_exceeded).toBe(0);
    // The stable version's endpoints are never ejected.
    const stable = envoyState(w.sim, w.sim.pod('shop', caller.metadata.name)!, config, NOW).find((c) => c.cluster.name === 'outbound|80||checkout-stable.shop.svc.cluster.local')!;
    expect(stable.hosts.every((h) => !h.ejected && h.stats.rq_total > 0)).toBe(true);
  });

  test('the sidecar configuration follows the objects: the weighted route, the subsets, the DestinationRule\'s outlier detection', async () => {
    const {w, pod} = await world();
    const config = sidecarConfig(w.objects, pod('frontend'));
    const vhost = config.routes.find((r) => r.name === '80')!.virtualHosts.find((v) => v.name === 'checkout.shop.svc.cluster.local:80')!;
    expect(vhost.routes.map((r) => [r.name, r.clusters, r.retries.numRetries, r.virtualService])).toEqual([
      ['canary-split', [{name: 'outbound|80||checkout-stable.shop.svc.cluster.local', weight: 75}, {name: 'outbound|80||checkout-canary.shop.svc.cluster.local', weight: 25}], 2, 'shop/checkout'],
    ]);
    expect(config.clusters.filter((c) => c.host === 'catalog.shop.svc.cluster.local').map((c) => [c.name, c.endpoints.length])).toEqual([
      ['outbound|80||catalog.shop.svc.cluster.local', 3], ['outbound|80|v1|catalog.shop.svc.cluster.local', 2], ['outbound|80|v2|catalog.shop.svc.cluster.local', 1],
    ]);
    expect(config.clusters.find((c) => c.name === 'outbound|80||checkout-canary.shop.svc.cluster.local')?.outlier).toEqual({consecutiveGatewayErrors: 5, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 100, minHealthPercent: 50});
  });
});
