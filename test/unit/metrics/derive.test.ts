/**
 * Per-mesh derivation from query results (the part both sources share): which reporter feeds
 * which signal, flag tokens counted once per group, probe traffic left out of Linkerd's mTLS share,
 * and a dropped defining label making the signal absent rather than zero.
 */
import {describe, expect, test} from 'vitest';
import {istioMetrics} from '../../../src/mesh/istio/metrics.js';
import {linkerdMetrics} from '../../../src/mesh/linkerd/metrics.js';
import type {Sample} from '../../../src/mesh/metric-query.js';
import type {SignalName} from '../../../src/core/signals.js';

const all = (ids: string[]) => new Set(ids);
const ISTIO_PROBE = all(['istio.requests', 'istio.requests.response_flags', 'istio.requests.connection_security_policy', 'istio.requests.destination_workload', 'istio.duration.ms', 'istio.live']);
const s = (labels: Record<string, string>, value: number): Sample => ({labels, value});

describe('Istio', () => {
  const wanted = new Set<SignalName>(['inbound', 'clientInbound', 'serviceClient', 'noRoute', 'plaintext', 'egress', 'edges']);
  const results = new Map<string, Sample[]>([
    // Servers (reporter="destination") and callers (reporter="source") come in one query.
    ['istio.requests', [
      s({reporter: 'destination', destination_workload_namespace: 'shop', destination_workload: 'cart', source_workload_namespace: 'shop', source_workload: 'web', response_code: '200', response_flags: '-', connection_security_policy: 'mutual_tls'}, 90),
      s({reporter: 'destination', destination_workload_namespace: 'shop', destination_workload: 'cart', source_workload_namespace: 'unknown', source_workload: 'unknown', response_code: '503', response_flags: '-', connection_security_policy: 'none'}, 10),
      s({reporter: 'source', source_workload_namespace: 'shop', source_workload: 'web', destination_workload_namespace: 'shop', destination_workload: 'cart', destination_service_namespace: 'shop', destination_service_name: 'cart', response_code: '200', response_flags: '-', connection_security_policy: 'unknown'}, 90),
      s({reporter: 'source', source_workload_namespace: 'shop', source_workload: 'web', destination_workload_namespace: 'unknown', destination_workload: 'unknown', destination_service_namespace: 'shop', destination_service_name: 'cart', response_code: '503', response_flags: 'UF,URX', connection_security_policy: 'unknown'}, 6),
      s({reporter: 'source', source_workload_namespace: 'shop', source_workload: 'web', destination_service_name: 'BlackHoleCluster', response_code: '502', response_flags: '-', connection_security_policy: 'unknown'}, 7),
    ]],
    // What cart's pods measured for web's requests.
    ['istio.edgeLatency', [
      s({destination_workload_namespace: 'shop', destination_workload: 'cart', source_workload_namespace: 'shop', source_workload: 'web', quantile: '0.5'}, 4),
      s({destination_workload_namespace: 'shop', destination_workload: 'cart', source_workload_namespace: 'shop', source_workload: 'web', quantile: '0.95'}, 20),
      s({destination_workload_namespace: 'shop', destination_workload: 'cart', source_workload_namespace: 'shop', source_workload: 'web', quantile: '0.99'}, 40),
    ]],
  ]);
  const plan = istioMetrics.plan(wanted, ISTIO_PROBE);
  const out = istioMetrics.derive(wanted, ISTIO_PROBE, results);

  test('server success from reporter=destination, plaintext from connection_security_policy="none" with its source', () => {
    expect(out.inbound).toEqual([{mesh: 'istio', namespace: 'shop', workload: 'cart', requests: 100, successes: 90}]);
    expect(out.plaintext?.find((r) => r.plaintext > 0)).toMatchObject({workload: 'cart', plaintext: 10, total: 10});
  });

  test('client-side flags per Service: a request with UF,URX counts once for the UF|URX group', () => {
    expect(out.serviceClient).toEqual([{mesh: 'istio', namespace: 'shop', service: 'cart', requests: 96, successes: 90, flags: {'UF|URX': 6}}]);
    expect(out.egress).toEqual([{namespace: 'shop', workload: 'web', blackhole: 7, passthrough: 0}]);
    expect(out.edges?.find((e) => !e.dstWorkload)?.responseFlags).toEqual({UF: 6, URX: 6});
  });

  test('one query per aggregation, whatever the number of workloads', () => {
    expect(plan.queries.map((q) => q.id).sort()).toEqual(['istio.edgeLatency', 'istio.requests']);
  });

  test('an edge carries the latency its server measured; one that never reached a server has none', () => {
    expect(out.edges?.find((e) => e.dstWorkload === 'cart')?.latencyMs).toEqual({p50: 4, p95: 20, p99: 40});
    expect(out.edges?.find((e) => !e.dstWorkload)?.latencyMs).toBeNull();
  });

  test('one latency query in two parts: each workload as its servers measured it, and as it measured what it sent (how a gateway reports)', () => {
    const want = new Set<SignalName>(['latency', 'outboundLatency']);
    const planned = istioMetrics.plan(want, ISTIO_PROBE).queries;
    expect(planned.map((q) => q.id)).toEqual(['istio.latency']);
    expect(planned[0].parts?.map((p) => [p.name, p.matchers?.map((m) => `${m.label}${m.op}${m.value}`), p.by])).toEqual([
      ['server', ['reporter=destination'], ['destination_workload_namespace', 'destination_workload']],
      ['source', ['reporter=source'], ['source_workload_namespace', 'source_workload']],
    ]);
    const q = (part: string, labels: Record<string, string>, p50: number) => [0.5, 0.95, 0.99].map((quantile) => s({md_part: part, ...labels, quantile: String(quantile)}, p50 * quantile * 2));
    const derived = istioMetrics.derive(want, ISTIO_PROBE, new Map([['istio.latency', [
      ...q('server', {destination_workload_namespace: 'shop', destination_workload: 'frontend'}, 40),
      ...q('source', {source_workload_namespace: 'istio-ingress', source_workload: 'istio-ingressgateway'}, 45),
    ]]]));
    expect(derived.latency).toEqual([{mesh: 'istio', namespace: 'shop', workload: 'frontend', latencyMs: {p50: 40, p95: 76, p99: 79.2}}]);
    expect(derived.outboundLatency).toEqual([{mesh: 'istio', namespace: 'istio-ingress', workload: 'istio-ingressgateway', latencyMs: {p50: 45, p95: 85.5, p99: 89.1}}]);
  });

  test('relabelling that dropped response_flags makes the flag signals absent, not zero', () => {
    const probe = new Set([...ISTIO_PROBE].filter((p) => p !== 'istio.requests.response_flags'));
    const states = istioMetrics.plan(wanted, probe).states;
    expect(states.serviceClient).toMatchObject({state: 'absent', reason: expect.stringContaining('response_flags')});
    expect(states.noRoute?.state).toBe('absent');
    expect(states.inbound?.state).toBe('ok');
  });

  test('the seconds histogram is the fallback (×1000) when the milliseconds one is gone', () => {
    const probe = new Set([...ISTIO_PROBE].filter((p) => p !== 'istio.duration.ms').concat('istio.duration.seconds'));
    const q = istioMetrics.plan(new Set<SignalName>(['latency']), probe).queries[0];
    expect(q).toMatchObject({families: ['istio_request_duration_seconds_bucket'], scale: 1000});
    expect(istioMetrics.plan(new Set<SignalName>(['latency']), new Set(['istio.requests'])).states.latency?.state).toBe('absent');
  });
});

describe('Linkerd', () => {
  const probe = all(['linkerd.responses', 'linkerd.responses.tls', 'linkerd.responses.namespace', 'linkerd.responses.deployment', 'linkerd.build']);
  const wanted = new Set<SignalName>(['inbound', 'plaintext']);
  const out = linkerdMetrics.derive(wanted, probe, new Map([['linkerd.inbound', [
    s({namespace: 'shop', deployment: 'api', classification: 'success', tls: 'true', route_name: 'default'}, 95),
    s({namespace: 'shop', deployment: 'api', classification: 'failure', tls: 'true', route_name: 'default'}, 5),
    s({namespace: 'shop', deployment: 'api', classification: 'success', tls: 'no_identity', route_name: 'probe'}, 12),
    s({namespace: 'shop', classification: 'success', tls: 'true'}, 1000),
  ]]]));

  test('classification decides success; series without workload labels are dropped', () => {
    expect(out.inbound).toEqual([{mesh: 'linkerd', namespace: 'shop', workload: 'api', kind: 'Deployment', requests: 112, successes: 107}]);
  });

  test('kubelet probes (route "probe") do not count as plaintext traffic', () => {
    expect(out.plaintext).toEqual([{mesh: 'linkerd', namespace: 'shop', workload: 'api', total: 100, plaintext: 0}]);
  });

  test('without viz relabelling (no workload labels) the signals are absent', () => {
    const states = linkerdMetrics.plan(wanted, all(['linkerd.responses', 'linkerd.responses.tls'])).states;
    expect(states.inbound?.state).toBe('absent');
    expect(states.inbound?.reason).toContain('MD1005');
  });

  test('one latency query in three parts: the workload as served (inbound), each edge as its caller saw it, each caller over all it sent', () => {
    const both = all([...probe, 'linkerd.latency']);
    const want = new Set<SignalName>(['latency', 'outboundLatency', 'edges']);
    expect(linkerdMetrics.plan(want, both).queries.map((q) => q.id).sort()).toEqual(['linkerd.latency', 'linkerd.outbound']);
    const q = (part: string, extra: Record<string, string>, p50: number) => [0.5, 0.95, 0.99].map((quantile) => s({md_part: part, namespace: 'shop', ...extra, quantile: String(quantile)}, p50 * (1 + quantile)));
    const derived = linkerdMetrics.derive(want, both, new Map([
      ['linkerd.latency', [...q('inbound', {direction: 'inbound', deployment: 'api'}, 10), ...q('edge', {direction: 'outbound', deployment: 'web', dst_namespace: 'shop', dst_deployment: 'api'}, 40), ...q('sent', {deployment: 'web'}, 30)]],
      ['linkerd.outbound', [s({direction: 'outbound', namespace: 'shop', deployment: 'web', dst_namespace: 'shop', dst_deployment: 'api', dst_service: 'api', classification: 'success'}, 60)]],
    ]));
    expect(derived.latency).toEqual([{mesh: 'linkerd', namespace: 'shop', workload: 'api', latencyMs: {p50: 15, p95: 19.5, p99: 19.9}}]);
    expect(derived.outboundLatency).toEqual([{mesh: 'linkerd', namespace: 'shop', workload: 'web', latencyMs: {p50: 45, p95: 58.5, p99: 59.7}}]);
    expect(derived.edges).toEqual([{mesh: 'linkerd', srcNamespace: 'shop', srcWorkload: 'web', dstNamespace: 'shop', dstWorkload: 'api', dstService: 'api', requests: 60, successes: 60, latencyMs: {p50: 60, p95: 78, p99: 79.6}}]);
  });
});
