/**
 * `meshdoctor check -f … --no-cluster` on input as other projects write it (issue 14): never a
 * crash on what kubectl accepts; malformed mesh objects are findings, not JavaScript errors.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'md-real-world-'));

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

// The shapes issue 14 met: a gateway Service with an empty `annotations:` (istioctl manifest generate
// prints it so), a Pod with no spec (istio's analyzer fixtures), a Gateway server without a port, a
// VirtualService whose http is a string.
const shapes = write('shapes.yaml', `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: shop
  annotations:
  labels: null
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: shop}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [cart]
  http: "oops"
`);

describe('objects of every shape kubectl accepts', () => {
  test('no check crashes; the malformed Gateway and VirtualService are MD1006 findings with file and line', async () => {
    const r = await runCli(['check', '-f', shapes, '--no-cluster', '-o', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.summary.crashed).toBe(0);
    const md1006 = report.checks.find((c: {id: string}) => c.id === 'MD1006');
    expect(md1006.findings.map((f: {subject: {kind: string; name: string}; origin?: {line: number}}) => [f.subject.kind, f.subject.name, f.origin?.line])).toEqual([
      ['Gateway', 'gw', 22],
      ['VirtualService', 'vs', 30],
    ]);
    expect(md1006.findings[1].message).toContain('spec.http: expected a list, got a string');
    expect(r.code).toBe(1);
  });

  test('-o github annotates the findings, not JavaScript errors', async () => {
    const r = await runCli(['check', '-f', shapes, '--no-cluster', '-o', 'github'], {env: {GITHUB_STEP_SUMMARY: ''}});
    expect(r.stdout).not.toMatch(/crashed|TypeError|Cannot read/);
    expect(r.stdout).toMatch(/::error .*MD1006/);
    expect(r.code).toBe(1);
  });
});
