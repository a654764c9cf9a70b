/**
 * `meshdoctor check` end to end: the built CLI, real files, and the real client-node talking HTTP to
 * the fixture API server. Exit codes and the JSON contract are what CI pipelines depend on.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {ROOT, runCli, scratch, servedCluster} from '../helpers/cli.js';
import {tracedModules} from '../helpers/trace.js';

const {dir: tmp, write} = scratch('md-e2e-');

const broken = write('broken.yaml', `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cart, namespace: shop}
spec:
  hosts: [cart]
  gateways: [missing-gw]
  http: [{route: [{destination: {host: cart}}]}]
`);
const healthy = write('healthy.yaml', readFileSync(broken, 'utf8').replace('  gateways: [missing-gw]\n', ''));

describe('check on manifests (--no-cluster)', () => {
  test('prints the docs/design.md JSON report and exits 1 on an error finding', async () => {
    const r = await runCli(['check', '-f', broken, '--no-cluster', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({schemaVersion: 1, context: null, meshes: [{name: 'istio'}]});
    expect(Object.keys(report.summary).sort()).toEqual(['checks', 'crashed', 'failed', 'findings', 'notApplicable', 'passed', 'skipped', 'suppressed']);
    const md5101 = report.checks.find((c: {id: string}) => c.id === 'MD5101');
    expect(md5101).toMatchObject({slug: 'istio-vs-gateway-not-found', block: 'traffic-config', status: 'fail', runbook: 'runbooks/traffic-config/istio-vs-gateway-not-found.md'});
    expect(md5101.findings[0]).toMatchObject({severity: 'error', subject: {kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', namespace: 'shop', name: 'cart'}});
  });

  test('a correct manifest repo gives no findings and exits 0', async () => {
    const r = await runCli(['check', '-f', healthy, '--no-cluster', '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.findings).toEqual({error: 0, warning: 0, info: 0});
    expect(report.summary.crashed).toBe(0);
  });

  test('the README example reports its two planted mistakes', async () => {
    const r = await runCli(['check', '-f', 'examples/broken-shop', '--no-cluster', '-o', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).checks.flatMap((c: {id: string; findings: {subject: {kind: string; namespace: string; name: string}}[]}) => c.findings.map((f) => `${c.id} ${f.subject.kind} ${f.subject.namespace}/${f.subject.name}`));
    expect(findings.sort()).toEqual(['MD5101 VirtualService shop/storefront', 'MD5103 VirtualService shop/cart']);
  });

  test('manifests from stdin', async () => {
    const r = await runCli(['check', '-f', '-', '--no-cluster', '--only', 'MD5101'], {input: readFileSync(broken, 'utf8')});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VirtualService shop/cart');
  });

  test('a malformed file exits 2 with file:line and nothing else', async () => {
    const bad = write('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n');
    const r = await runCli(['check', '-f', bad, '--no-cluster']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: /);
  });

  test('usage errors exit 2 with one line', async () => {
    for (const args of [['check', '--bogus'], ['check', '--only', 'MD9999', '-f', healthy, '--no-cluster'], ['check', '-o', 'xml'], ['check', '--no-cluster'], ['check', '-n', 'a', '-A', '-f', healthy]]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, args.join(' ')).toBeLessThanOrEqual(2);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  test('--fail-on and --output-file', async () => {
    const out = join(tmp, 'report.xml');
    const r = await runCli(['check', '-f', broken, '--no-cluster', '-o', 'junit', '--output-file', out, '--fail-on', 'info']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*<failure/);
  });

  test('a bad config file exits 2 naming file and line', async () => {
    const cfg = write('cfg.yaml', 'slo:\n  successWarn: 7\n');
    const r = await runCli(['check', '-f', healthy, '--no-cluster', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cfg\.yaml:2: slo\.successWarn/);
  });
});

describe('check against a live cluster (fixture API server, client-node over HTTP)', () => {
  const cluster = servedCluster(tmp, () => ['_base/istio.yaml'].map((f) => readFileSync(join(ROOT, 'test/fixtures/clusters', f), 'utf8')).join('\n---\n') + '\n---\n' + readFileSync(join(ROOT, 'test/fixtures/live/istio-cluster.yaml'), 'utf8'));

  test('runs the checks through the API and reports the cluster\'s faults', async () => {
    const r = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '-o', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.context).toBe('fixture');
    expect(report.meshes[0]).toMatchObject({name: 'istio', version: '1.27.1', namespace: 'istio-system', controlPlane: 'in-cluster'});
    const byId = Object.fromEntries(report.checks.map((c: {id: string}) => [c.id, c]));
    expect(byId.MD5103.findings.map((f: {subject: {name: string}}) => f.subject.name)).toEqual(['cart']);
    expect(byId.MD4102.findings.map((f: {severity: string}) => f.severity)).toEqual(['warning']);
    expect(r.code).toBe(1);
  });

  test('with Secrets forbidden, certificate checks skip with the reason and the run completes', async () => {
    cluster.server.configure({forbid: [{resource: 'secrets', namespace: 'istio-system'}]});
    try {
      const r = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '-o', 'json']);
      const report = JSON.parse(r.stdout);
      const byId = Object.fromEntries(report.checks.map((c: {id: string}) => [c.id, c]));
      expect(byId.MD4102.status).toBe('skip');
      expect(byId.MD4102.reason).toContain('forbidden: get secrets in istio-system');
      expect(byId.MD1001.status).toBe('fail');
      expect(byId.MD5103.status).toBe('fail');
      const strict = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '--strict', '-o', 'json']);
      expect(strict.code).toBe(3);
    } finally {
      cluster.server.configure({forbid: []});
    }
  });

  test('the fixture server saw only GET requests', () => {
    expect(cluster.server.requests.length).toBeGreaterThan(10);
    expect(cluster.server.nonGetRequests()).toEqual([]);
  });

  test('snapshot save, then check --snapshot replays the same findings offline', async () => {
    const file = join(tmp, 'snap.json');
    const saved = await runCli(['snapshot', 'save', file, '--kubeconfig', cluster.kubeconfig]);
    expect(saved.code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');
    const replay = await runCli(['check', '--snapshot', file, '-o', 'json']);
    const live = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '-o', 'json']);
    const findings = (text: string) => JSON.parse(text).checks.flatMap((c: {id: string; findings: {subject: {name: string}}[]}) => c.findings.map((f) => `${c.id} ${f.subject?.name}`)).sort();
    expect(findings(replay.stdout)).toEqual(findings(live.stdout));
  });

  test('an unreachable API server is one line and exit 3; a missing kubeconfig exit 2', async () => {
    const dead = write('dead-kubeconfig', readFileSync(cluster.kubeconfig, 'utf8').replace(/server: .*/, 'server: http://127.0.0.1:1'));
    const r = await runCli(['check', '--kubeconfig', dead]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['check', '--kubeconfig', join(tmp, 'nope')]);
    expect(missing.code).toBe(2);
    const ctx = await runCli(['check', '--kubeconfig', cluster.kubeconfig, '--context', 'nope']);
    expect(ctx.code).toBe(2);
    expect(ctx.stderr).toContain('fixture');
  });
});

describe('start-up stays light', () => {
  const traced = async (args: string[]) => {
    const file = join(tmp, `trace-${args.join('-').replace(/[^a-z]/g, '')}.txt`);
    writeFileSync(file, '');
    const r = await runCli(args, {nodeArgs: ['--import', join(ROOT, 'test/helpers/trace-imports.mjs')], env: {MESHDOCTOR_TRACE_FILE: file}});
    return {r, modules: tracedModules(file)};
  };

  test.each([[['check', '--help']], [['checks']], [['check', '-f', healthy, '--no-cluster']]])('%j never loads React or Ink', async (args) => {
    const {r, modules} = await traced(args);
    expect(r.code).toBe(0);
    expect(modules.length).toBeGreaterThan(5);
    // The trace names our modules, also when they come bundled as dist/app chunks.
    expect(modules.some((m) => m.endsWith('/src/cli/main.js'))).toBe(true);
    expect(modules.filter((m) => /node_modules\/(react|ink|react-reconciler|yoga-layout)\//.test(m))).toEqual([]);
  });

  test.each([
    [['stat', '--no-cluster', '--prometheus-url', 'http://127.0.0.1:1'], 3],
    [['runbook', 'MD5103', '--for', 'shop/cart'], 0],
    [['--kubeconfig', join(tmp, 'no-such-kubeconfig')], 2],
  ])('%j without a terminal never loads React, Ink or the TUI', async (args, code) => {
    const {r, modules} = await traced(args);
    expect(r.code).toBe(code);
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.filter((m) => /node_modules\/(react|ink|react-reconciler|yoga-layout)\/|\/src\/tui\//.test(m))).toEqual([]);
  });

  test('--help does not load the Kubernetes client', async () => {
    const {modules} = await traced(['check', '--help']);
    expect(modules.filter((m) => /@kubernetes\/client-node|\/sources\/kube\/client-node\.js$/.test(m))).toEqual([]);
  });
});
