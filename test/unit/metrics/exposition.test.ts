import {describe, expect, test} from 'vitest';
import {ExpositionError, parseExposition} from '../../../src/sources/metrics/exposition.js';

const TEXT = [
  '# HELP istio_requests_total Total requests.',
  '# TYPE istio_requests_total counter',
  'istio_requests_total{reporter="destination",path="a\\"b\\\\c\\nd",response_flags="UF,URX"} 1234 1700000000000',
  '# TYPE istio_request_duration_milliseconds histogram',
  'istio_request_duration_milliseconds_bucket{reporter="destination",le="0.5"} 1',
  'istio_request_duration_milliseconds_bucket{reporter="destination",le="+Inf"} 10',
  'istio_request_duration_milliseconds_sum{reporter="destination"} 100.5',
  'istio_request_duration_milliseconds_count{reporter="destination"} 10',
  'istio_request_duration_milliseconds_bucket{reporter="source",le="0.5"} 2',
  'istio_request_duration_milliseconds_bucket{reporter="source",le="+Inf"} 20',
  'weird:metric{a="}",b="x y"} -Inf',
  'gauge_nan NaN',
  'last{x=""} 1.5e-3',
].join('\n');

describe('the exposition format', () => {
  const samples = parseExposition(TEXT);

  test('label values keep their escapes decoded', () => {
    expect(samples[0]).toEqual({name: 'istio_requests_total', labels: {reporter: 'destination', path: 'a"b\\c\nd', response_flags: 'UF,URX'}, value: 1234});
  });

  test('labelled histograms keep one sample per series and bucket (not merged across label sets)', () => {
    const buckets = samples.filter((s) => s.name === 'istio_request_duration_milliseconds_bucket');
    expect(buckets.map((s) => [s.labels.reporter, s.labels.le, s.value])).toEqual([
      ['destination', '0.5', 1], ['destination', '+Inf', 10], ['source', '0.5', 2], ['source', '+Inf', 20],
    ]);
    expect(samples.find((s) => s.name === 'istio_request_duration_milliseconds_count')?.value).toBe(10);
  });

  test('special values, colons in names, and a last line without newline', () => {
    expect(samples.find((s) => s.name === 'weird:metric')).toEqual({name: 'weird:metric', labels: {a: '}', b: 'x y'}, value: -Infinity});
    expect(samples.find((s) => s.name === 'gauge_nan')?.value).toBeNaN();
    expect(samples.at(-1)).toEqual({name: 'last', labels: {x: ''}, value: 0.0015});
  });

  test('garbage is an ExpositionError', () => {
    expect(() => parseExposition('<html><body>login</body></html>')).toThrow(ExpositionError);
  });
});
