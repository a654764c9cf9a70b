/**
 * The number of Prometheus queries per refresh does not grow with the number of workloads
 * (docs/rules.md §4.1, docs/design.md §8): one query per aggregation for the whole scope. A fake Prometheus
 * answers with as many series as there are workloads and counts the requests.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {GOLDEN_SIGNALS, SIGNAL_NAMES, type SignalName} from '../../src/core/signals.js';
import {gatherSignals} from '../../src/sources/metrics/gather.js';

let workloads = 10;
let requests: string[] = [];
let server: http.Server;
let url: string;

function vector(result: unknown[]): string {
  return JSON.stringify({status: 'success', data: {resultType: 'vector', result}});
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${u.pathname}`);
    if (u.pathname === '/api/v1/status/config') return res.end(JSON.stringify({status: 'success', data: {yaml: 'global:\n  scrape_interval: 15s\n'}}));
    const query = u.searchParams.get('query') ?? '';
    if (query.startsWith('label_replace(count(')) {
      const probes = [...query.matchAll(/"probe", "([^"]+)"/g)].map((m) => m[1]);
      return res.end(vector(probes.map((p) => ({metric: {probe: p}, value: [0, '1']}))));
    }
    const result = Array.from({length: workloads}, (_, i) => ({
      metric: {reporter: 'destination', destination_workload_namespace: 'shop', destination_workload: `wl-${i}`, namespace: 'shop', deployment: `wl-${i}`, response_code: '200', classification: 'success'},
      value: [0, '10'],
    }));
    return res.end(vector(result));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function refresh(n: number, wanted: readonly SignalName[]): Promise<number> {
  workloads = n;
  requests = [];
  const r = await gatherSignals({source: 'prometheus', prometheusUrl: url, meshes: ['istio', 'linkerd'], wanted: new Set(wanted), windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 5000, sampleSeconds: 5});
  expect(r.status.state).toBe('ok');
  expect(r.signals!.signals.inbound!.rows).toHaveLength(2 * n);
  return requests.filter((q) => q === 'GET /api/v1/query').length;
}

describe('queries per refresh', () => {
  test('the same number at 10 and at 2,000 workloads, at most 10 for the golden metrics of two meshes', async () => {
    const small = await refresh(10, GOLDEN_SIGNALS);
    const large = await refresh(2000, GOLDEN_SIGNALS);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
    expect(requests.every((q) => q.startsWith('GET '))).toBe(true);
  });

  test('every signal (a full check run): still constant', async () => {
    expect(await refresh(2000, SIGNAL_NAMES)).toBe(await refresh(10, SIGNAL_NAMES));
  });
});

test('a window shorter than 2 × the scrape interval is a warning of the source, not a finding', async () => {
  const r = await gatherSignals({source: 'prometheus', prometheusUrl: url, meshes: ['istio'], wanted: new Set(GOLDEN_SIGNALS), windowSeconds: 20, noTrafficSeconds: 900, timeoutMs: 5000, sampleSeconds: 5});
  expect(r.signals!.warnings).toEqual([expect.stringMatching(/window 20s is shorter than 2 × the Prometheus scrape interval \(15s\)/)]);
  expect(r.status.detail).toContain('shorter than 2 ×');
});
