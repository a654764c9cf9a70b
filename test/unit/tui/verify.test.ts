import {describe, expect, test} from 'vitest';
import type {GoldenMetrics} from '../../../src/core/golden.js';
import {DEFAULT_THRESHOLDS} from '../../../src/core/options.js';
import {parseVerify} from '../../../src/runbooks/verify.js';
import type {LiveProbe} from '../../../src/tui/verify.js';
import {liveVerifyRunner, NeedsPrometheus} from '../../../src/tui/verify.js';
import {deployment, finding, result, T0} from '../../helpers/tui.js';

function golden(patch: Partial<GoldenMetrics>): GoldenMetrics {
  return {namespace: 'shop', workload: 'cart', kind: 'Deployment', mesh: 'istio', meshedPods: 2, pods: 2, successRate: 1, clientSuccessRate: 1, outboundSuccessRate: null, basis: 'inbound', rps: 10, latencyMs: {p50: 5, p95: 9, p99: 40}, mtlsShare: 1, responseFlags: {}, window: '1m', source: 'prometheus', ...patch};
}

function probe(patch: Partial<LiveProbe> = {}): LiveProbe {
  return {
    runCheck: async () => result('MD6001', 'pass'),
    metrics: async () => ({golden: golden({}), windowSeconds: 60}),
    promql: async () => [0.5],
    thresholds: () => DEFAULT_THRESHOLDS,
    nowMs: () => T0,
    ...patch,
  };
}

const spec = (line: string) => parseVerify(line) as Exclude<ReturnType<typeof parseVerify>, {kind: 'invalid'}>;

describe('verify steps over the live sources', () => {
  test('check: passes when the finding on the walkthrough\'s subject is gone, even if others remain', async () => {
    const onTarget = probe({runCheck: async () => result('MD6001', 'fail', [finding('MD6001', deployment('shop', 'cart')), finding('MD6001', deployment('web', 'api'))])});
    expect(await liveVerifyRunner(onTarget, 'Deployment shop/cart').run(spec('check MD6001'))).toEqual({status: 'fail', value: '2 findings, 1 on Deployment shop/cart', at: new Date(T0).toISOString()});
    expect((await liveVerifyRunner(onTarget, 'shop/cart').run(spec('check MD6001'))).status).toBe('fail');
    expect(await liveVerifyRunner(onTarget, 'Deployment shop/other').run(spec('check MD6001'))).toMatchObject({status: 'pass', value: 'no finding on Deployment shop/other (2 findings elsewhere)'});
    expect(await liveVerifyRunner(onTarget, 'the cluster').run(spec('check MD6001'))).toMatchObject({status: 'fail', value: '2 findings'});
    expect(await liveVerifyRunner(probe()).run(spec('check MD6001'))).toMatchObject({status: 'pass', value: 'no finding'});
    const skipped = probe({runCheck: async () => result('MD6001', 'skip', [], 'metrics unavailable: Prometheus not found')});
    expect(await liveVerifyRunner(skipped).run(spec('check MD6001'))).toMatchObject({status: 'error', value: 'skip: metrics unavailable: Prometheus not found'});
  });

  test('metrics: the numbers now, pass inside the SLO, fail outside, error when there is too little to judge', async () => {
    const run = async (g: GoldenMetrics | undefined, window = 60) => liveVerifyRunner(probe({metrics: async () => ({...(g ? {golden: g} : {}), windowSeconds: window})})).run(spec('metrics shop/cart'));
    expect(await run(golden({clientSuccessRate: 0.879, successRate: 1, rps: 41.2, latencyMs: {p50: 4, p95: 9, p99: 230}}))).toMatchObject({status: 'fail', value: 'success 87.90% (client side) · 41.2 rps · p99 230ms'});
    expect(await run(golden({}))).toMatchObject({status: 'pass', value: 'success 100% (server side) · 10.0 rps · p99 40.0ms'});
    expect(await run(golden({latencyMs: {p50: 4, p95: 9, p99: 2300}}))).toMatchObject({status: 'fail'});
    expect((await run(golden({rps: 0.1}))).status).toBe('error');
    expect((await run(golden({rps: null, successRate: null, clientSuccessRate: null}))).value).toContain('no data');
    expect((await run(undefined)).value).toContain('no metrics for shop/cart');
  });

  test('promql: compares every series; the proxy source says it needs Prometheus', async () => {
    const run = async (values: number[], line = 'promql sum(rate(x[1m])) < 1') => liveVerifyRunner(probe({promql: async () => values})).run(spec(line));
    expect(await run([0.42])).toMatchObject({status: 'pass', value: '0.42'});
    expect(await run([2])).toMatchObject({status: 'fail', value: '2'});
    expect(await run([0.1, 3, 0.2])).toMatchObject({status: 'fail', value: '3 series, 1 failing (e.g. 3)'});
    expect(await run([])).toMatchObject({status: 'error', value: 'no data (the query returned no series)'});
    const proxies = probe({promql: async () => Promise.reject(new NeedsPrometheus())});
    expect(await liveVerifyRunner(proxies).run(spec('promql up == 1'))).toMatchObject({status: 'error', value: 'needs Prometheus (metrics come from the proxies)'});
  });

  test('a source error is a result with the reason, never a throw', async () => {
    const broken = probe({runCheck: async () => Promise.reject(new Error('cannot list pods: connection refused'))});
    expect(await liveVerifyRunner(broken).run(spec('check MD6001'))).toMatchObject({status: 'error', value: 'cannot list pods: connection refused'});
  });
});
