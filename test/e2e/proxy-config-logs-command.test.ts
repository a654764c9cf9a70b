/**
 * `meshdoctor proxy-config` and `meshdoctor logs` as a user runs them, against the istio-shop demo
 * world on the fixture API server: --help, the tables and -o json, and the exit codes of the table
 * in the README (2 for bad arguments, unknown pods and containers, a pod without an Envoy sidecar
 * and several contexts; 3 when the cluster cannot be reached). Every -o json document validates
 * against its published schema (schemas/proxy-config-report, schemas/logs-report).
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Pod} from '../../src/core/kube-types/index.js';
import {loadScenario} from '../../src/sim/demo/scenario.js';
import {serveWorld, type ServedWorld} from '../../src/sim/demo/serve.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {expectOneLine, runCli} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

let served: ServedWorld;
let frontend = '';
let email = '';
const kc = () => ['--kubeconfig', served.kubeconfig];

/** The demo's kubeconfig pointing at a port nothing listens on. */
function deadKubeconfig(): string {
  const file = join(served.dir, 'dead-kubeconfig');
  writeFileSync(file, readFileSync(served.kubeconfig, 'utf8').replace(/server: http:\/\/127\.0\.0\.1:\d+/, 'server: http://127.0.0.1:9'));
  return file;
}

beforeAll(async () => {
  served = await serveWorld(await buildWorld(loadScenario('istio-shop')));
  const pods = served.world.objects.filter((o) => o.kind === 'Pod') as Pod[];
  frontend = pods.find((p) => p.metadata.labels?.app === 'frontend')!.metadata.name;
  email = pods.find((p) => p.metadata.labels?.app === 'email')!.metadata.name;
});
afterAll(async () => served?.stop());

describe('meshdoctor proxy-config', () => {
  test('--help names the kinds and the read-only source', async () => {
    const r = await runCli(['proxy-config', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('clusters, endpoints, listeners or routes');
    expect(r.stdout).toContain('read-only');
  });

  test('endpoints for the failing upstream: the canary\'s endpoint with its failed outlier check', async () => {
    const r = await runCli(['proxy-config', `shop/${frontend}`, 'endpoints', '--fqdn', 'checkout-canary', ...kc()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ENDPOINT\s+STATUS\s+OUTLIER CHECK\s+REQUESTS\s+ERRORS\s+CONNECT FAILURES\s+CLUSTER$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^10\.\d+\.\d+\.\d+:8080\s+HEALTHY\s+FAILED\s+\d+\s+\d+\s+[1-9]\d*\s+outbound\|80\|\|checkout-canary\.shop\.svc\.cluster\.local$/)]);
  });

  test('routes with the weights; clusters with the DestinationRule and its outlier detection; listeners (-n for the namespace)', async () => {
    const routes = await runCli(['proxy-config', frontend, 'routes', '-n', 'shop', '--fqdn', 'checkout.shop', ...kc()]);
    expect(routes.code).toBe(0);
    expect(routes.stdout).toMatch(/^80\s+checkout\.shop\.svc\.cluster\.local:80\s+checkout\.shop, checkout \+ 1 more\.\.\.\s+\/\*\s+checkout\.shop\s+75% outbound\|80\|\|checkout-stable\.shop\.svc\.cluster\.local, 25% outbound\|80\|\|checkout-canary\.shop\.svc\.cluster\.local$/m);
    const clusters = await runCli(['proxy-config', `shop/${frontend}`, ...kc()]);
    expect(clusters.code).toBe(0);
    expect(clusters.stdout).toMatch(/^checkout-canary\.shop\.svc\.cluster\.local\s+80\s+-\s+outbound\s+EDS\s+checkout-canary\.shop\s+5 gateway errors; panic below 50%$/m);
    const listeners = await runCli(['proxy-config', `shop/${frontend}`, 'listeners', ...kc()]);
    expect(listeners.stdout).toMatch(/^0\.0\.0\.0\s+80\s+HTTP\s+Route: 80$/m);
  });

  test('-o json: the parsed view, stable fields', async () => {
    const r = await runCli(['proxy-config', `shop/${frontend}`, 'endpoints', '--fqdn', 'checkout-canary', '-o', 'json', ...kc()]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({schemaVersion: 1, context: 'meshdoctor-demo-istio-shop', namespace: 'shop', pod: frontend, mesh: 'istio', kind: 'endpoints'});
    expect(d.items).toEqual([expect.objectContaining({cluster: 'outbound|80||checkout-canary.shop.svc.cluster.local', port: 8080, health: {eds: 'HEALTHY', outlier: true, activeCheck: false}})]);
    expect(errorsOf('proxy-config-report', d)).toEqual([]);
    // The schema is closed: a renamed field, or an item of another kind, does not validate.
    const {health, ...renamed} = d.items[0];
    expect(errorsOf('proxy-config-report', {...d, items: [{...renamed, healthStatus: health}]})).not.toEqual([]);
    expect(errorsOf('proxy-config-report', {...d, kind: 'routes'})).not.toEqual([]);
  });

  test.each(['clusters', 'listeners', 'routes', 'endpoints'])('-o json of %s, unfiltered, validates against schemas/proxy-config-report.schema.json', async (kind) => {
    const r = await runCli(['proxy-config', `shop/${frontend}`, kind, '-o', 'json', ...kc()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.kind).toBe(kind);
    expect(d.items.length).toBeGreaterThan(0);
    expect(errorsOf('proxy-config-report', d)).toEqual([]);
  });

  test('exit codes: a bad kind or pod name 2, an unknown pod 2, a pod without an Envoy sidecar 2, no kubeconfig 2, an unreachable cluster 3', async () => {
    const bad = await runCli(['proxy-config', `shop/${frontend}`, 'secrets', ...kc()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^meshdoctor: .*"secrets" must be one of clusters, endpoints, listeners, routes\n$/);
    expect((await runCli(['proxy-config', 'shop/Not_A_Pod', ...kc()])).code).toBe(2);
    const unknown = await runCli(['proxy-config', 'shop/nope', ...kc()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('meshdoctor: pod shop/nope not found in context meshdoctor-demo-istio-shop\n');
    const plain = await runCli(['proxy-config', `shop/${email}`, ...kc()]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('has no mesh proxy');
    const missing = await runCli(['proxy-config', 'shop/x', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(missing.code).toBe(2);
    const down = await runCli(['proxy-config', `shop/${frontend}`, '--kubeconfig', deadKubeconfig()]);
    expect(down.code).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('meshdoctor logs', () => {
  test('the application container by default; -c proxy for the sidecar; --tail', async () => {
    const app = await runCli(['logs', `shop/${frontend}`, '--tail', '3', ...kc()]);
    expect(app.code).toBe(0);
    expect(app.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(app.stdout).toMatch(/ (INFO |ERROR) (GET|POST) \/api\//);
    const proxy = await runCli(['logs', `shop/${frontend}`, '-c', 'proxy', '--tail', '50', ...kc()]);
    expect(proxy.code).toBe(0);
    expect(proxy.stdout).toMatch(/^\[\S+\] "(GET|POST) /m);
  });

  test('-o json: lines with their times', async () => {
    const r = await runCli(['logs', `shop/${frontend}`, '--tail', '2', '-o', 'json', ...kc()]);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({schemaVersion: 1, namespace: 'shop', pod: frontend, container: 'frontend'});
    expect(d.lines).toHaveLength(2);
    expect(d.lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(errorsOf('logs-report', d)).toEqual([]);
    expect(errorsOf('logs-report', {...d, lines: d.lines.map(({text, ...rest}: {text: string}) => ({...rest, line: text}))})).not.toEqual([]);
    const proxy = JSON.parse((await runCli(['logs', `shop/${frontend}`, '-c', 'proxy', '--tail', '5', '-o', 'json', ...kc()])).stdout);
    expect(proxy.container).toBe('istio-proxy');
    expect(errorsOf('logs-report', proxy)).toEqual([]);
  });

  test('exit codes: an unknown container 2 (naming the pod\'s containers), a bad --tail 2, an unreachable cluster 3', async () => {
    const c = await runCli(['logs', `shop/${frontend}`, '-c', 'nope', ...kc()]);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe(`meshdoctor: pod shop/${frontend} has no container "nope" (containers: frontend, istio-proxy)\n`);
    expect((await runCli(['logs', `shop/${frontend}`, '--tail', '-1', ...kc()])).code).toBe(2);
    const down = await runCli(['logs', `shop/${frontend}`, '--kubeconfig', deadKubeconfig()]);
    expect(down.code).toBe(3);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('several contexts', () => {
  test('proxy-config, logs and runbook are about one pod or object: --context a,b and --all-contexts are exit 2 in one line naming why', async () => {
    const several = `meshdoctor-demo-istio-shop,prod`;
    for (const args of [['proxy-config', `shop/${frontend}`], ['logs', `shop/${frontend}`], ['runbook', 'MD6007', '--for', 'shop/checkout-canary'], ['describe', 'workload', 'shop/checkout-v2']]) {
      const r = await runCli([...args, ...kc(), '--context', several]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(expectOneLine(r.stderr)).toBe(`meshdoctor: --context: "${several}" names several contexts; ${args[0]} takes one context`);
      const all = await runCli([...args, ...kc(), '--all-contexts']);
      expect(all.code, args.join(' ')).toBe(2);
      expect(expectOneLine(all.stderr)).toBe(`meshdoctor: --all-contexts: ${args[0]} takes one context`);
    }
  });
});
