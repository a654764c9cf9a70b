/**
 * `meshdoctor check -f … --no-cluster` on input as other projects write it (issue 14): never a
 * crash on what kubectl accepts; malformed mesh objects are findings, not JavaScript errors; files
 * overlaid on a cluster keep its status; nothing to read is an input error; a closed pipe is quiet.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {BIN, ROOT, runCli, scratch, servedCluster} from '../helpers/cli.js';

const {dir: tmp, write} = scratch('md-real-world-');

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

describe('files overlaid on a live cluster', () => {
  const cluster = servedCluster(tmp, () => readFileSync(join(ROOT, 'test/fixtures/clusters/_base/istio.yaml'), 'utf8'));

  test('a Deployment applied from a file keeps the status the cluster has (applying never resets it)', async () => {
    const upgrade = write('istiod-upgrade.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod
  namespace: istio-system
  labels: {app: istiod, istio.io/rev: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: istiod}}
  template:
    metadata: {labels: {app: istiod, istio.io/rev: default}}
    spec:
      containers:
        - name: discovery
          image: docker.io/istio/pilot:1.27.2
`);
    const r = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '-f', upgrade, '--only', 'MD2101', '-o', 'json']);
    expect(r.stderr).toBe('');
    const md2101 = JSON.parse(r.stdout).checks[0];
    expect(md2101).toMatchObject({id: 'MD2101', status: 'pass'});
  });
});

describe('nothing to check', () => {
  test('an empty directory is exit 2 with one line naming it', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = await runCli(['check', '-f', empty, '--no-cluster']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`meshdoctor: no Kubernetes objects meshdoctor reads in ${empty}\n`);
  });

  test('YAML without Kubernetes objects is exit 2; -v lists each document passed over', async () => {
    const values = write('values.yaml', 'replicaCount: 2\nimage: {tag: v1}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
    const r = await runCli(['check', '-f', values, '--no-cluster', '-v']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `meshdoctor: skipped ${values}:1: not a Kubernetes object (no kind)`,
      `meshdoctor: skipped ${values}:4: Widget (example.com/v1) is not a kind meshdoctor reads`,
      `meshdoctor: no Kubernetes objects meshdoctor reads in ${values} (2 document(s) skipped; -v lists them)`,
    ]);
  });

  test('documents passed over among real objects are listed with -v and the run goes on', async () => {
    const mixed = write('mixed.yaml', 'replicaCount: 2\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const r = await runCli(['check', '-f', mixed, '--no-cluster', '-v', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`meshdoctor: skipped ${mixed}:1: not a Kubernetes object (no kind)\n`);
    expect(JSON.parse(r.stdout).summary.crashed).toBe(0);
  });
});

describe('a reader that goes away (| head)', () => {
  /** Run the CLI with the reading end of its stdout closed before it writes, as `| head -1` leaves it. */
  function readerGone(args: readonly string[]): Promise<{code: number | null; stderr: string}> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.destroy();
      child.on('error', reject);
      child.on('close', (code) => resolve({code, stderr}));
    });
  }

  test.each([[['checks', '-o', 'json']], [['check', '-f', 'test/fixtures/clusters/_base/bookinfo.yaml', '--no-cluster', '-o', 'sarif']]])('%j ends quietly with 0', async (args) => {
    const r = await readerGone(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
