/**
 * Secrets never leak: a canary planted in every Secret value, every private key, the API bearer
 * token and the Prometheus credentials must not appear in any output, error message or snapshot
 * file, whatever the command or the output format.
 */
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {KubeObject} from '../../src/core/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {runCli} from '../helpers/cli.js';
import {richClusterObjects} from '../helpers/rich-cluster.js';

const CANARY = 'Canary7f3b9cSecret';
const TOKEN = `tok-${CANARY}-bearer`;
const PROM_TOKEN = `prom-${CANARY}-token`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const FORMS = [CANARY, b64(CANARY), b64(`password=${CANARY}`)];
const tmp = mkdtempSync(join(tmpdir(), 'md-secrets-'));

function plant(objects: KubeObject[]): KubeObject[] {
  const key = `-----BEGIN PRIVATE KEY-----\n${b64(CANARY).repeat(4)}\n-----END PRIVATE KEY-----\n`;
  return objects.map((o) => {
    if (o.kind !== 'Secret') return o;
    const data = {...((o as {data?: Record<string, string>}).data ?? {})};
    for (const k of Object.keys(data)) if (/key|token|pass/i.test(k)) data[k] = b64(key);
    data.password = b64(`password=${CANARY}`);
    data['tls.key'] = b64(key);
    return {...o, data, stringData: {token: CANARY}} as KubeObject;
  });
}

let server: FixtureApiServer;
let kubeconfig: string;
const outputs: string[] = [];

beforeAll(async () => {
  const objects = plant(await richClusterObjects());
  expect(objects.filter((o) => o.kind === 'Secret').length).toBeGreaterThan(5);
  server = new FixtureApiServer({objects, token: TOKEN});
  await server.start();
  kubeconfig = join(tmp, 'kubeconfig');
  server.writeKubeconfig(kubeconfig, {context: 'secret-test'});
  expect(readFileSync(kubeconfig, 'utf8')).toContain(TOKEN);
});
afterAll(async () => server?.stop());

function expectClean(label: string, text: string): void {
  outputs.push(text);
  for (const form of [...FORMS, TOKEN, PROM_TOKEN]) expect(text.includes(form), `${label} leaks ${form}`).toBe(false);
  expect(text.includes('PRIVATE KEY'), `${label} prints a private key`).toBe(false);
}

describe('no secret material in any output', () => {
  const env = {MESHDOCTOR_PROMETHEUS_TOKEN: PROM_TOKEN};

  test.each(['text', 'json', 'junit', 'sarif', 'github'])('check -o %s (verbose, suppressed shown)', async (format) => {
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '-o', format, '-v', '--show-suppressed', '--prometheus-header', `X-Scope-OrgID: ${PROM_TOKEN}`], {env});
    expect([0, 1]).toContain(r.code);
    expectClean(`check -o ${format}`, r.stdout + r.stderr);
  });

  test.each(['(fields checks read)', '--full'])('snapshot save %s keeps certificates but no Secret values', async (mode) => {
    const flags = mode === '--full' ? ['--full'] : [];
    const file = join(tmp, `snap${flags.join('')}.json`);
    const r = await runCli(['snapshot', 'save', file, '--kubeconfig', kubeconfig, ...flags], {env});
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expectClean('snapshot file', text + r.stderr);
    expect(text).toContain('meshdoctor.io/redacted-keys');
    expect(text).toContain(b64('-----BEGIN CERTIFICATE-----').slice(0, 20));
  });

  test('describe, stat and runbook', async () => {
    for (const args of [['describe', 'workload', 'bookinfo/productpage-v1'], ['stat', '-o', 'json', '-A'], ['runbook', 'MD4102', '--for', 'istio-system/cacerts']]) {
      const r = await runCli([...args, '--kubeconfig', kubeconfig], {env});
      expectClean(args.join(' '), r.stdout + r.stderr);
    }
    // Three commands in turn; describe and stat each read the proxies twice (5 s apart) without a Prometheus.
  }, 150_000);

  test('error paths: a wrong token, an unreachable Prometheus with credentials', async () => {
    const wrong = join(tmp, 'wrong-kubeconfig');
    const {writeFileSync} = await import('node:fs');
    writeFileSync(wrong, readFileSync(kubeconfig, 'utf8').replace(TOKEN, `${TOKEN}-x`));
    const denied = await runCli(['check', '--kubeconfig', wrong]);
    expect(denied.code).toBe(3);
    expectClean('401 error', denied.stdout + denied.stderr);
    const prom = await runCli(['stat', '--kubeconfig', kubeconfig, '--prometheus-url', 'http://127.0.0.1:1', '--prometheus-header', `Authorization: Bearer ${PROM_TOKEN}`], {env});
    expect(prom.code).toBe(3);
    expectClean('Prometheus error', prom.stdout + prom.stderr);
  });

  test('the scans above actually read output', () => {
    expect(outputs.join('').length).toBeGreaterThan(50_000);
  });
});
