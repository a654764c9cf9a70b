/**
 * Real install outputs, checked as a GitOps repository holds them (`check -f … --no-cluster`):
 * `istioctl manifest generate` (default profile) with Bookinfo behind its Gateway, and `linkerd
 * install --crds` + `linkerd install` + `linkerd viz install` with emojivoto (test/fixtures/installs/,
 * each citing the upstream golden files it follows; the apps are test/fixtures/upstream/). Their
 * quirks — `annotations: null`, an empty `annotations:`, null-valued affinity and values keys, empty
 * `readinessProbe:` and `resources:`, webhooks without a caBundle — must neither crash a check nor
 * raise a finding, and the checks whose inputs the files hold must have evaluated them (a trust
 * anchor and an issuer are in the Linkerd install; CRDs and ConfigMaps in both).
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {stringify} from 'yaml';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {ROOT, runCli} from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'md-real-installs-'));

/** Certificates are generated at load time, as the CLIs generate them at install: render to a plain file. */
async function rendered(file: string): Promise<string> {
  const {objects} = await renderManifestTemplate(readFileSync(join(FIXTURES, file), 'utf8'));
  const out = join(tmp, file.replace(/\//g, '_'));
  writeFileSync(out, objects.map((o) => stringify(o)).join('---\n'));
  return out;
}

type JsonCheck = {id: string; status: string; reason: string | null; findings: {severity: string; message: string}[]};

async function check(files: readonly string[]): Promise<{checks: JsonCheck[]; crashed: number; code: number | null; stderr: string}> {
  const r = await runCli(['check', ...files.flatMap((f) => ['-f', f]), '--no-cluster', '-o', 'json'], {timeoutMs: 120_000});
  const report = JSON.parse(r.stdout);
  return {checks: report.checks, crashed: report.summary.crashed, code: r.code, stderr: r.stderr};
}

function statusOf(checks: readonly JsonCheck[], id: string): string {
  const c = checks.find((x) => x.id === id);
  return c ? `${c.status}${c.reason ? `: ${c.reason}` : ''}` : 'absent';
}

describe('real install outputs, as a manifest repository holds them', () => {
  test('istioctl manifest generate (default profile) + Bookinfo behind its Gateway: no crash, no finding', async () => {
    const r = await check([
      join(FIXTURES, 'installs/istioctl-manifest-generate-default.yaml'),
      join(FIXTURES, 'upstream/istio-install/default-namespace-injected.yaml'),
      join(FIXTURES, 'upstream/bookinfo/platform-kube/bookinfo.yaml'),
      join(FIXTURES, 'upstream/bookinfo/networking/bookinfo-gateway.yaml'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.crashed).toBe(0);
    expect(r.checks.flatMap((c) => c.findings.map((f) => `${c.id} ${f.severity}: ${f.message}`))).toEqual([]);
    // The install's own objects were judged: its CRDs and ConfigMaps, the null maps, the gateway workload.
    for (const id of ['MD1006', 'MD2001', 'MD5101', 'MD5102', 'MD5103', 'MD5111', 'MD5112']) expect(statusOf(r.checks, id), id).toBe('pass');
    expect(r.code).toBe(0);
  });

  test('linkerd install --crds, install and viz install + emojivoto: no crash, no finding, trust anchor and issuer judged', async () => {
    const r = await check([
      join(FIXTURES, 'upstream/gateway-api-crds/standard-v1.3.0.yaml'),
      await rendered('installs/linkerd-install-viz.yaml'),
      join(FIXTURES, 'upstream/emojivoto/emojivoto-injected.yaml'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.crashed).toBe(0);
    expect(r.checks.flatMap((c) => c.findings.map((f) => `${c.id} ${f.severity}: ${f.message}`))).toEqual([]);
    for (const id of ['MD1002', 'MD1006', 'MD2001', 'MD4201', 'MD4202', 'MD5201', 'MD5202', 'MD5203', 'MD5205', 'MD5207']) expect(statusOf(r.checks, id), id).toBe('pass');
    // What files as written cannot show is said, not guessed: no pod status, no metrics.
    expect(statusOf(r.checks, 'MD3003')).toMatch(/^not-applicable: needs Pod status/);
    expect(statusOf(r.checks, 'MD6001')).toMatch(/^not-applicable: needs metrics/);
    expect(r.code).toBe(0);
  });

  test('an issuer about to expire in that install is found from the files alone (the run\'s clock is "now")', async () => {
    const install = readFileSync(join(FIXTURES, 'installs/linkerd-install-viz.yaml'), 'utf8');
    const text = install.replace('issuer: l5d-anchor, notBefore: -1m, notAfter: +365d', 'issuer: l5d-anchor, notBefore: -360d, notAfter: +5d');
    expect(text).not.toBe(install);
    const file = join(tmp, 'expiring.yaml');
    const {objects} = await renderManifestTemplate(text);
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    const r = await check([join(FIXTURES, 'upstream/gateway-api-crds/standard-v1.3.0.yaml'), file, join(FIXTURES, 'upstream/emojivoto/emojivoto-injected.yaml')]);
    expect(r.checks.find((c) => c.id === 'MD4202')?.findings.map((f) => f.severity)).toEqual(['error']);
    expect(r.code).toBe(1);
  });
});
