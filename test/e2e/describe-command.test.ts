/**
 * `meshdoctor describe`: the effective Istio configuration of a Bookinfo workload from a saved
 * snapshot (no cluster), as JSON (valid against schemas/describe-report.schema.json) and text, with
 * the catalog's findings on it; exit 2 for an unknown pod.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {KubeObject} from '../../src/core/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {encodeSnapshot} from '../../src/snapshot/codec.js';
import {runCli} from '../helpers/cli.js';
import {FIXTURE_ROOT, isoTimes} from '../helpers/fixtures.js';
import {errorsOf} from '../helpers/schemas.js';
import {rawOf} from '../helpers/snapshot-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'meshdoctor-describe-'));
const file = join(dir, 'bookinfo.json');

beforeAll(async () => {
  const now = new Date();
  const text = `${readFileSync(join(FIXTURE_ROOT, '_base', 'bookinfo.yaml'), 'utf8')}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-plain, namespace: bookinfo}
spec: {host: reviews, trafficPolicy: {tls: {mode: DISABLE}}}`;
  const objects = (await renderManifestTemplate(text, now)).objects.map((o) => isoTimes(o, now) as KubeObject);
  writeFileSync(file, encodeSnapshot(rawOf(objects, {takenAt: now.toISOString(), context: 'bookinfo'})));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('meshdoctor describe', () => {
  test('workload as JSON: services, subsets, mTLS per port, and the findings on it', async () => {
    const r = await runCli(['describe', 'workload', 'bookinfo/reviews-v2', '--snapshot', file, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.subject).toMatchObject({kind: 'Deployment', namespace: 'bookinfo', name: 'reviews-v2'});
    expect(d.sidecar).toBe(true);
    expect(d.peerAuthentication).toEqual({mode: 'STRICT', source: 'istio-system/default'});
    const svc = d.services.find((s: {name: string}) => s.name === 'bookinfo/reviews');
    expect(svc.ports).toEqual([{port: 9080, name: 'http', targetPort: 9080, mtls: 'STRICT', mtlsSource: 'istio-system/default'}]);
    const dr = svc.destinationRules.find((x: {name: string}) => x.name === 'bookinfo/reviews');
    expect(dr.matchingSubsets).toEqual(['v2']);
    expect(svc.virtualServices.map((v: {name: string}) => v.name)).toEqual(['bookinfo/reviews']);
    expect(d.findings.map((f: {checkId: string; subject: {name: string}}) => `${f.checkId} ${f.subject.name}`)).toContain('MD4101 reviews-plain');
    expect(errorsOf('describe-report', d)).toEqual([]);
    // Closed records: a renamed field of a port or a finding does not validate.
    const {mtls, ...port} = svc.ports[0];
    expect(errorsOf('describe-report', {...d, services: [{...svc, ports: [{...port, mTLS: mtls}]}]})).not.toEqual([]);
    const {checkId, ...finding} = d.findings[0];
    expect(errorsOf('describe-report', {...d, findings: [{...finding, check: checkId}]})).not.toEqual([]);
  });

  test('pod as text', async () => {
    const r = await runCli(['describe', 'pod', 'bookinfo/productpage-v1-5f6d7-a1b2c', '--snapshot', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Service bookinfo/productpage');
    expect(r.stdout).toContain('VirtualService bookinfo/bookinfo via bookinfo-gateway');
  });

  test('an unknown pod is a one-line error with exit 2', async () => {
    const r = await runCli(['describe', 'pod', 'bookinfo/nope', '--snapshot', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no pod bookinfo/nope');
  });
});
