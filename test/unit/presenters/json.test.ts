import {describe, expect, test} from 'vitest';
import {sanitizeText} from '../../../src/core/sanitize.js';
import {renderJson} from '../../../src/presenters/json.js';
import type {JsonReport} from '../../../src/presenters/json.js';
import {toSafeJson} from '../../../src/presenters/shared.js';
import {C, HOSTILE, HOSTILE_NAME, RAW_UNSAFE, VS_ORIGIN, hostileReport, meta, report, result, sampleReport} from '../../helpers/report-builder.js';

const parse = (text: string) => JSON.parse(text) as JsonReport;

describe('json presenter', () => {
  const raw = renderJson(sampleReport());
  const doc = parse(raw);

  test('is pretty-printed with 2 spaces and ends with a newline', () => {
    expect(raw.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(raw.endsWith('}\n')).toBe(true);
  });

  test('has the docs/design.md §5 header fields', () => {
    expect(doc.schemaVersion).toBe(1);
    expect(doc.meshdoctorVersion).toBe('0.1.0');
    expect(doc.context).toBe('prod-eu1');
    expect(doc.meshes).toEqual([{
      name: 'istio', version: '1.22.3', namespace: 'istio-system', controlPlane: 'in-cluster',
      revisions: [{name: 'default', version: '1.22.3', namespace: 'istio-system', deployment: 'istiod'}],
    }]);
  });

  test('adds takenAt, mode and the status of every source', () => {
    expect(doc.takenAt).toBe('2025-03-04T05:06:07.890Z');
    expect(doc.mode).toBe('live');
    expect(doc.sources).toEqual([
      {source: 'kubernetes', state: 'ok', at: '2025-03-04T05:06:07.000Z'},
      {source: 'metrics', state: 'unavailable', detail: 'Prometheus not reachable'},
    ]);
  });

  test('summary counts equal what the report holds', () => {
    expect(doc.summary).toEqual({
      checks: 11, passed: 2, failed: 5, skipped: 2, notApplicable: 1, crashed: 1,
      findings: {error: 3, warning: 3, info: 1},
      suppressed: 2,
    });
  });

  test('has one entry per check with the schema fields and outcome names as status', () => {
    expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
      ['MD1001', 'pass'], ['MD1002', 'skip'], ['MD2001', 'fail'], ['MD2002', 'crash'], ['MD3101', 'fail'], ['MD3102', 'not-applicable'],
      ['MD4001', 'fail'], ['MD5103', 'fail'], ['MD5104', 'pass'], ['MD6001', 'fail'], ['MD6002', 'skip'],
    ]);
    const vs = doc.checks.find((c) => c.id === 'MD5103')!;
    expect(vs).toEqual({
      id: 'MD5103',
      slug: 'istio-vs-destination-unresolved',
      title: 'VirtualService destinations resolve',
      block: 'traffic-config',
      severity: 'error',
      status: 'fail',
      reason: null,
      runbook: 'runbooks/traffic-config/istio-vs-destination-unresolved.md',
      findings: [{
        severity: 'error',
        message: 'destination host cart-v2 matches no Service',
        subject: {kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'shop', name: 'cart'},
        evidence: {host: 'cart-v2', route: 0},
        origin: VS_ORIGIN,
      }],
      suppressed: [],
    });
  });

  test('gives the reason of skipped, crashed and not-applicable checks, null otherwise', () => {
    const reasons = Object.fromEntries(doc.checks.map((c) => [c.id, c.reason]));
    expect(reasons.MD1001).toBeNull();
    expect(reasons.MD1002).toBe('forbidden: list nodes');
    expect(reasons.MD2002).toBe('TypeError: cannot read properties of undefined');
    expect(reasons.MD3102).toBe('Linkerd is not detected');
  });

  test('cluster-wide findings have a null subject; origin appears only when known', () => {
    const mtls = doc.checks.find((c) => c.id === 'MD4001')!;
    expect(mtls.findings[0].subject).toBeNull();
    expect(mtls.findings[0]).not.toHaveProperty('origin');
  });

  test('keeps suppressed findings with the reason, also on passing checks', () => {
    const dr = doc.checks.find((c) => c.id === 'MD5104')!;
    expect(dr.status).toBe('pass');
    expect(dr.findings).toEqual([]);
    expect(dr.suppressed).toEqual([{
      severity: 'warning',
      message: 'host old-cart matches no Service',
      subject: {kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', namespace: 'shop', name: 'old-cart'},
      evidence: {},
      suppressedBy: 'annotation meshdoctor.io/ignore on DestinationRule old-cart',
    }]);
    expect(doc.checks.flatMap((c) => c.suppressed)).toHaveLength(doc.summary.suppressed);
  });

  test('field types follow the schema', () => {
    for (const c of doc.checks) {
      for (const k of ['id', 'slug', 'title', 'block', 'severity', 'status', 'runbook'] as const) expect(typeof c[k]).toBe('string');
      expect(c.reason === null || typeof c.reason === 'string').toBe(true);
      expect(Array.isArray(c.findings)).toBe(true);
      for (const f of c.findings) {
        expect(['error', 'warning', 'info']).toContain(f.severity);
        expect(typeof f.message).toBe('string');
        expect(typeof f.evidence).toBe('object');
      }
    }
    for (const n of Object.values(doc.summary.findings)) expect(Number.isInteger(n)).toBe(true);
  });

  test('a mesh without a known version says null', () => {
    const d = parse(renderJson(report([result(C.apiReachable)], {meshes: [{name: 'linkerd', namespace: 'linkerd', controlPlane: 'absent', revisions: []}], context: null})));
    expect(d.meshes[0].version).toBeNull();
    expect(d.context).toBeNull();
  });

  test('round-trips through JSON.parse', () => {
    expect(renderJson(sampleReport())).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  describe('hostile strings', () => {
    const hostileRaw = renderJson(hostileReport());
    const hostile = parse(hostileRaw);

    test('no raw escape, CR, C1 or bidi character appears in the text', () => {
      expect(hostileRaw).not.toMatch(RAW_UNSAFE);
    });

    test('round-trips through JSON.parse', () => {
      expect(toSafeJson(hostile)).toBe(hostileRaw);
    });

    test('cluster strings decode to their sanitised form, everywhere', () => {
      const vs = hostile.checks.find((c) => c.id === 'MD5103')!;
      expect(vs.findings[0].subject?.name).toBe(sanitizeText(HOSTILE_NAME));
      expect(vs.findings[0].message).toBe(sanitizeText(`route to ${HOSTILE} fails`));
      expect(vs.findings[0].evidence.host).toBe(sanitizeText(HOSTILE));
      expect(vs.findings[0].origin?.file).toBe(sanitizeText(`deploy/${HOSTILE}.yaml`));
      expect(vs.suppressed[0].suppressedBy).toBe(sanitizeText(`annotation on ${HOSTILE}`));
      expect(hostile.context).toBe(sanitizeText(`ctx${HOSTILE}`));
      expect(hostile.meshes[0].namespace).toBe(sanitizeText(`istio${HOSTILE}`));
      expect(hostile.sources[0].detail).toBe(sanitizeText(`scrape ${HOSTILE}`));
      expect(hostile.checks.find((c) => c.id === 'MD1002')!.reason).toBe(sanitizeText(`forbidden ${HOSTILE}`));
    });

    test('characters JSON.stringify leaves raw are written as \\u escapes and decode to the original', () => {
      // A catalog title is ours, not the cluster's: it is kept as is, but still escaped on the wire.
      const title = 'next\u0085line \u202eright-to-left\u2066 del\u007f sep\u2028';
      const text = renderJson(report([result(meta('MD1001', 'odd-title', 'cluster', 'error', title))]));
      expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2066\u2028]/);
      for (const esc of ['\\u0085', '\\u202e', '\\u2066', '\\u007f', '\\u2028']) expect(text).toContain(esc);
      expect(parse(text).checks[0].title).toBe(title);
    });

    test('toSafeJson leaves ordinary text alone', () => {
      expect(toSafeJson({a: 'héllo – ✔ \uFFFD'})).toBe('{\n  "a": "héllo – ✔ \uFFFD"\n}\n');
    });
  });
});
