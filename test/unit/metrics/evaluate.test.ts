import {describe, expect, test} from 'vitest';
import type {MetricQuery} from '../../../src/mesh/metric-query.js';
import {renderProbeQuery, renderPromQL} from '../../../src/mesh/metric-query.js';
import {evaluateProbes, evaluateQuery, type ScrapePair} from '../../../src/sources/metrics/evaluate.js';
import type {ExpoSample} from '../../../src/sources/metrics/exposition.js';

const s = (name: string, labels: Record<string, string>, value: number): ExpoSample => ({name, labels, value});
const pair = (first: ExpoSample[] | undefined, second: ExpoSample[], dt = 5000): ScrapePair => ({
  ...(first ? {first: {key: 'p', at: 0, samples: first}} : {}), second: {key: 'p', at: dt, samples: second},
});

const INCREASE: MetricQuery = {id: 'q', kind: 'increase', families: ['requests_total'], matchers: [{label: 'reporter', op: '=', value: 'destination'}], by: ['workload']};

describe('evaluating queries over two scrapes', () => {
  test('increase = delta; a reset counter counts from 0; a new series started at 0; a pod seen once is left out', () => {
    const pairs = [
      pair([s('requests_total', {reporter: 'destination', workload: 'a', code: '200'}, 100)], [s('requests_total', {reporter: 'destination', workload: 'a', code: '200'}, 150)]),
      pair([s('requests_total', {reporter: 'destination', workload: 'a', code: '200'}, 900)], [s('requests_total', {reporter: 'destination', workload: 'a', code: '200'}, 30)]),
      pair([], [s('requests_total', {reporter: 'destination', workload: 'b', code: '500'}, 7), s('requests_total', {reporter: 'source', workload: 'b'}, 99)]),
      pair(undefined, [s('requests_total', {reporter: 'destination', workload: 'c'}, 1e6)]),
    ];
    expect(evaluateQuery(INCREASE, pairs).sort((x, y) => x.labels.workload.localeCompare(y.labels.workload))).toEqual([
      {labels: {workload: 'a'}, value: 80}, {labels: {workload: 'b'}, value: 7},
    ]);
  });

  test('increases are normalised to the window when a pod was read a little late', () => {
    const p = pair([s('requests_total', {reporter: 'destination', workload: 'a'}, 0)], [s('requests_total', {reporter: 'destination', workload: 'a'}, 110)], 5500);
    expect(evaluateQuery(INCREASE, [p], 5)[0].value).toBeCloseTo(100, 9);
  });

  test('quantiles come from bucket deltas, matchers use PromQL semantics (missing label = "")', () => {
    const q: MetricQuery = {id: 'l', kind: 'quantiles', families: ['lat_bucket'], matchers: [{label: 'tls', op: '!=', value: 'true'}], by: ['workload'], quantiles: [0.5]};
    const first = [s('lat_bucket', {workload: 'a', le: '10'}, 100), s('lat_bucket', {workload: 'a', le: '+Inf'}, 100), s('lat_bucket', {workload: 'a', le: '10', tls: 'true'}, 0)];
    const second = [s('lat_bucket', {workload: 'a', le: '10'}, 150), s('lat_bucket', {workload: 'a', le: '+Inf'}, 200), s('lat_bucket', {workload: 'a', le: '10', tls: 'true'}, 1000)];
    // deltas: le 10 → 50, +Inf → 100: rank 50 is the top of le=10
    expect(evaluateQuery(q, [pair(first, second)])).toEqual([{labels: {workload: 'a', quantile: '0.5'}, value: 10}]);
  });

  test('probes find families and non-empty labels', () => {
    const probes = [{id: 'fam', family: 'requests_total'}, {id: 'flags', family: 'requests_total', label: 'flags'}, {id: 'none', family: 'other'}];
    const found = evaluateProbes(probes, [pair([], [s('requests_total', {flags: ''}, 1)])]);
    expect([...found]).toEqual(['fam']);
  });

  test('PromQL: one query per aggregation, quantiles in one request, probes in one request', () => {
    const windows = {window: '1m', noTraffic: '15m', double: '2m'};
    expect(renderPromQL(INCREASE, windows)).toBe('sum by (workload) (increase(requests_total{reporter="destination"}[1m]))');
    expect(renderPromQL({id: 'g', kind: 'value', families: ['a', 'b'], by: ['__name__']}, windows)).toBe('sum by (__name__) ({__name__=~"a|b"})');
    const quantiles = renderPromQL({id: 'q', kind: 'quantiles', families: ['x_bucket'], by: ['wl'], quantiles: [0.5, 0.99]}, windows);
    expect(quantiles).toBe('label_replace(histogram_quantile(0.5, sum by (le, wl) (rate(x_bucket[1m]))), "quantile", "0.5", "", "") or label_replace(histogram_quantile(0.99, sum by (le, wl) (rate(x_bucket[1m]))), "quantile", "0.99", "", "")');
    expect(renderProbeQuery([{id: 'p"1', family: 'f', label: 'l'}])).toBe('label_replace(count(f{l!=""}), "probe", "p\\"1", "", "")');
  });

  test('a query in parts: each part aggregated by its own labels and labelled with its name, in PromQL and over scrapes alike', () => {
    const q: MetricQuery = {id: 'lat', kind: 'increase', families: ['requests_total'], by: [], parts: [
      {name: 'server', matchers: [{label: 'reporter', op: '=', value: 'destination'}], by: ['dst']},
      {name: 'source', matchers: [{label: 'reporter', op: '=', value: 'source'}], by: ['src']},
    ]};
    expect(renderPromQL(q, {window: '1m', noTraffic: '15m', double: '2m'})).toBe(
      'label_replace(sum by (dst) (increase(requests_total{reporter="destination"}[1m])), "md_part", "server", "", "") or '
      + 'label_replace(sum by (src) (increase(requests_total{reporter="source"}[1m])), "md_part", "source", "", "")');
    const first = [s('requests_total', {reporter: 'destination', src: 'gw', dst: 'web'}, 0), s('requests_total', {reporter: 'source', src: 'gw', dst: 'web'}, 0), s('requests_total', {reporter: 'source', src: 'gw', dst: 'api'}, 0)];
    const second = [s('requests_total', {reporter: 'destination', src: 'gw', dst: 'web'}, 10), s('requests_total', {reporter: 'source', src: 'gw', dst: 'web'}, 11), s('requests_total', {reporter: 'source', src: 'gw', dst: 'api'}, 4)];
    expect(evaluateQuery(q, [pair(first, second)])).toEqual([{labels: {dst: 'web', md_part: 'server'}, value: 10}, {labels: {src: 'gw', md_part: 'source'}, value: 15}]);
  });
});
