/**
 * Hostile input: whatever a file or a cluster sends, meshdoctor answers with findings or one clear
 * line and exit 2 — in bounded time, without a crash, and without letting escape sequences reach
 * the terminal.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {stringify} from 'yaml';
import {ManifestError, parseManifestText} from '../../src/sources/kube/manifests.js';
import {runCli} from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'md-hostile-'));
const write = (name: string, text: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** Parsing either yields objects or throws a ManifestError (file:line: reason) — never anything else. */
function parsesOrRejects(text: string): void {
  try {
    parseManifestText(text, 'fuzz.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message).toMatch(/^fuzz\.yaml:\d+: /);
    expect((error as Error).message).not.toContain('\n');
  }
}

describe('malformed manifests', () => {
  test('random YAML built from arbitrary values (property)', () => {
    const k8sish = fc.record({apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', 'networking.istio.io/v1', ''), fc.string(), fc.integer()), kind: fc.oneof(fc.constantFrom('Service', 'Pod', 'VirtualService', 'List'), fc.string(), fc.constant(null)), metadata: fc.anything(), spec: fc.anything(), items: fc.anything()}, {requiredKeys: []});
    fc.assert(fc.property(fc.array(fc.oneof(k8sish, fc.anything()), {maxLength: 4}), (docs) => {
      parsesOrRejects(docs.map((d) => stringify(d)).join('---\n'));
    }), {numRuns: 300});
  });

  test('random text and binary junk (property)', () => {
    fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 300}), (text) => parsesOrRejects(text)), {numRuns: 500});
  });

  test('deep nesting, alias bombs and huge values are bounded', () => {
    parsesOrRejects('a: '.repeat(1) + '['.repeat(5000) + ']'.repeat(5000) + '\nkind: X\n');
    parsesOrRejects(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {blob: "${'x'.repeat(5_000_000)}"}\n`);
    const levels = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    parsesOrRejects(levels.join('\n') + '\nkind: Bomb\napiVersion: v1\nmetadata: {name: b}\n');
  });

  test.each([
    ['binary junk', Buffer.from([0, 159, 146, 150, 0, 1, 2, 255])],
    ['a tab-indented document', 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: a\n'],
    ['a kind that is a number', 'apiVersion: v1\nkind: 5\nmetadata: {name: a}\n'],
    ['an object without a name', 'apiVersion: v1\nkind: Service\nmetadata: {}\n'],
    ['a list whose item is a string', 'apiVersion: v1\nkind: List\nitems: [oops]\n'],
  ])('%s: exit 2 with one line naming the file', async (_name, content) => {
    const file = write(`bad-${Math.random().toString(36).slice(2)}.yaml`, content);
    const r = await runCli(['check', '-f', file, '--no-cluster']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/bad-[a-z0-9]+\.yaml:\d+: /);
  });

  test('a kind meshdoctor does not know, in a known group or not, is passed over', async () => {
    // With one object meshdoctor reads beside them: files holding none at all are an input error (exit 2).
    const file = write('unknown-kinds.yaml', 'apiVersion: v1\nkind: Deployment\nmetadata: {name: wrong-group}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const r = await runCli(['check', '-f', file, '--no-cluster', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.crashed).toBe(0);
  });
});

describe('escape sequences from the cluster never reach the terminal', () => {
  const evil = '\u001b]0;pwned\u0007\u001b[2J\r\u202eevil';
  // Names a cluster could never hold are still possible in files; messages and annotations can hold anything.
  const manifests = write('evil.yaml', `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${JSON.stringify('cart' + evil)}, namespace: shop}
spec:
  hosts: [cart]
  gateways: [${JSON.stringify('gw' + evil)}]
  http: [{route: [{destination: {host: ${JSON.stringify('host' + evil)}, subset: ${JSON.stringify('v' + evil)}}}]}]
`);
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  test.each(['text', 'json', 'junit', 'sarif', 'github'])('-o %s', async (format) => {
    const r = await runCli(['check', '-f', manifests, '--no-cluster', '-o', format], {env: {GITHUB_STEP_SUMMARY: join(tmp, `summary-${format}.md`)}});
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    // The hostile name reached the report, neutralised: visible, but inert.
    if (format === 'text') expect(r.stdout).toContain('cart\uFFFD]0;pwned');
    if (format === 'json') {
      const report = JSON.parse(r.stdout);
      const findings = report.checks.flatMap((c: {findings: {message: string}[]}) => c.findings);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) expect(f.message).not.toMatch(RAW);
    }
    if (format === 'github') expect(readFileSync(join(tmp, 'summary-github.md'), 'utf8')).not.toMatch(RAW);
  });

  test('describe', async () => {
    const r = await runCli(['describe', 'workload', 'shop/cart', '-f', manifests, '--no-cluster']);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });
});
