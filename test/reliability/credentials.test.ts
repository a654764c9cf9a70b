/**
 * Credentials stay where they belong, with planted canaries:
 * - a password in a server URL (`https://user:pass@host`, the kubeconfig's or `--prometheus-url`'s)
 *   is never printed, saved or shown in an error message;
 * - Secret values copied into annotations by deploy tools (kubectl's last-applied-configuration,
 *   kapp's `kapp.k14s.io/original`, Rancher's `objectset.rio.cattle.io/applied`) or embedded in
 *   another object's annotation never reach a snapshot file, live, from files, or overlaid;
 * - `--prometheus-header` values and tokens are never sent to another origin on a redirect.
 */
import http from 'node:http';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import {stringify} from 'yaml';
import type {KubeObject} from '../../src/core/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {runCli as runCliRaw} from '../helpers/cli.js';
import {LocalServers} from '../helpers/local-servers.js';
import {richClusterObjects} from '../helpers/rich-cluster.js';

// Whole checks of a cluster, several per test: time to spare on a loaded machine.
vi.setConfig({testTimeout: 240_000, hookTimeout: 120_000});

/** The built CLI, with time to spare on a loaded machine (the runs here are whole checks of a cluster). */
const runCli = (args: readonly string[], options: Parameters<typeof runCliRaw>[1] = {}) => runCliRaw(args, {timeoutMs: 120_000, ...options});

const tmp = mkdtempSync(join(tmpdir(), 'md-credentials-'));
const CANARY = 'Canary5d1eCredential';
const PASSWORD = `pw-${CANARY}-userinfo`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${b64(CANARY).repeat(3)}\n-----END PRIVATE KEY-----\n`;

const local = new LocalServers();
const serve = (handler: http.RequestListener) => local.serve(handler);
const closedPort = () => local.closedPort();
afterAll(() => local.closeAll());

function expectNoCanary(label: string, text: string): void {
  for (const form of [CANARY, b64(CANARY), b64(KEY_PEM)]) expect(text.includes(form), `${label} leaks ${form.slice(0, 30)}…`).toBe(false);
  expect(text.includes('PRIVATE KEY'), `${label} holds a private key`).toBe(false);
}

describe('a password in a server URL is redacted everywhere', () => {
  let api: FixtureApiServer;
  let kubeconfig: string;

  beforeAll(async () => {
    api = new FixtureApiServer({objects: await richClusterObjects()});
    await api.start();
    kubeconfig = join(tmp, 'kubeconfig-userinfo');
    api.writeKubeconfig(kubeconfig, {context: 'userinfo'});
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('http://127.0.0.1', `http://admin:${PASSWORD}@127.0.0.1`));
    expect(readFileSync(kubeconfig, 'utf8')).toContain(PASSWORD);
  });
  afterAll(async () => api?.stop());

  test('check -o json and text, snapshot save, the summary', async () => {
    const outputs: string[] = [];
    for (const format of ['json', 'text']) {
      const r = await runCli(['check', '--kubeconfig', kubeconfig, '-o', format, '-v']);
      expect([0, 1], r.stderr).toContain(r.code);
      outputs.push(r.stdout + r.stderr);
    }
    const file = join(tmp, 'userinfo-snapshot.json');
    const saved = await runCli(['snapshot', 'save', file, '--kubeconfig', kubeconfig]);
    expect(saved.code, saved.stderr).toBe(0);
    outputs.push(readFileSync(file, 'utf8') + saved.stderr);
    const summary = await runCli(['--kubeconfig', kubeconfig]);
    outputs.push(summary.stdout + summary.stderr);
    for (const text of outputs) expect(text).not.toContain(PASSWORD);
    // The server is still named, without its password.
    expect(JSON.parse(outputs[0]).sources[0].detail).toContain('http://***@127.0.0.1');
  });

  test('error messages: the API server and Prometheus unreachable', async () => {
    const port = await closedPort();
    const down = join(tmp, 'kubeconfig-down');
    writeFileSync(down, readFileSync(kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
    const r = await runCli(['check', '--kubeconfig', down, '--request-timeout', '3s']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('http://***@127.0.0.1');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    for (const args of [['stat', '--no-cluster'], ['check', '--kubeconfig', kubeconfig, '-o', 'json', '--only', 'MD1003'], ['stat', '--kubeconfig', kubeconfig]]) {
      const p = await runCli([...args, '--prometheus-url', `http://reader:${PASSWORD}@127.0.0.1:${port}`]);
      expect(p.stdout + p.stderr, args.join(' ')).not.toContain(PASSWORD);
      expect(p.stdout + p.stderr, args.join(' ')).toContain('***@127.0.0.1');
    }
  });
});

describe('Secret values copied into annotations never reach a snapshot', () => {
  let api: FixtureApiServer;
  let kubeconfig: string;
  let planted: KubeObject[];

  /** Every Secret carries copies of itself (with its data) as deploy tools leave them; a ConfigMap embeds one. */
  function plant(objects: KubeObject[]): KubeObject[] {
    const out = objects.map((o) => {
      if (o.kind !== 'Secret') return o;
      const secret = {...o, data: {...((o as {data?: Record<string, string>}).data ?? {}), 'tls.key': b64(KEY_PEM), password: b64(CANARY)}} as KubeObject;
      const copy = JSON.stringify(secret);
      return {
        ...secret,
        metadata: {
          ...secret.metadata,
          annotations: {
            ...(secret.metadata.annotations ?? {}),
            'kubectl.kubernetes.io/last-applied-configuration': copy,
            'kapp.k14s.io/original': copy,
            'objectset.rio.cattle.io/applied': gzipSync(copy).toString('base64'),
            'example.com/backup': `password: ${CANARY}\n${KEY_PEM}`,
            'example.com/owner': 'team-a',
          },
        },
      } as KubeObject;
    });
    out.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'backup', namespace: 'istio-system', annotations: {'example.com/last-secret': JSON.stringify({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'cacerts'}, data: {'ca-key.pem': b64(KEY_PEM)}})}}, data: {}} as KubeObject);
    return out;
  }

  beforeAll(async () => {
    planted = plant(await richClusterObjects());
    expect(planted.filter((o) => o.kind === 'Secret').length).toBeGreaterThan(5);
    api = new FixtureApiServer({objects: planted});
    await api.start();
    kubeconfig = join(tmp, 'kubeconfig-secrets');
    api.writeKubeconfig(kubeconfig, {context: 'secrets'});
  });
  afterAll(async () => api?.stop());

  test.each([
    ['live', () => ['--kubeconfig', kubeconfig]],
    ['files', () => ['-f', manifests(), '--no-cluster']],
    ['overlay', () => ['--kubeconfig', kubeconfig, '-f', manifests()]],
  ])('snapshot save (%s)', async (mode, args) => {
    const file = join(tmp, `snapshot-${mode}.json`);
    const r = await runCli(['snapshot', 'save', file, ...args()]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expectNoCanary(`snapshot (${mode})`, text + r.stderr);
    for (const o of planted) {
      for (const v of Object.values(o.metadata.annotations ?? {})) if (o.kind === 'Secret' && v.length > 100) expect(text.includes(JSON.stringify(v).slice(1, -1)), `${mode}: an annotation copy`).toBe(false);
    }
    const snapshot = JSON.parse(text);
    const secrets = snapshot.objects.secrets as KubeObject[];
    expect(secrets.length).toBeGreaterThan(0);
    // Short, plain annotations stay; what went is listed.
    for (const s of secrets.filter((x) => x.metadata.annotations?.['example.com/owner'])) {
      expect(s.metadata.annotations!['meshdoctor.io/redacted-annotations']).toBe('example.com/backup');
    }
    expect(secrets.some((x) => x.metadata.annotations?.['example.com/owner'] === 'team-a')).toBe(true);
  });

  let written: string | undefined;
  function manifests(): string {
    if (written) return written;
    written = join(tmp, 'planted.yaml');
    const wanted = planted.filter((o) => o.kind === 'Secret' || o.kind === 'Namespace' || (o.kind === 'ConfigMap' && o.metadata.name === 'backup'));
    writeFileSync(written, wanted.map((o) => stringify(o)).join('---\n'));
    return written;
  }

  test('check -o json, verbose', async () => {
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '-o', 'json', '-v', '--show-suppressed']);
    expect([0, 1], r.stderr).toContain(r.code);
    expectNoCanary('check', r.stdout + r.stderr);
  });
});

describe('--prometheus-header and tokens never follow a redirect to another origin', () => {
  const HEADERS = ['x-scope-orgid', 'x-api-key', 'authorization'];
  test('a Prometheus answering 302 to another host: nothing is sent there; one line says why', async () => {
    const received: string[][] = [];
    const elsewhere = await serve((req, res) => {
      received.push(HEADERS.filter((h) => req.headers[h] !== undefined));
      res.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"success","data":{"resultType":"vector","result":[]}}');
    });
    const redirecting = await serve((req, res) => {
      // Another origin: same host, other port (browsers and curl treat it as a different origin).
      res.writeHead(302, {Location: `http://localhost:${elsewhere}${req.url}`}).end();
    });
    const url = `http://127.0.0.1:${redirecting}`;
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--prometheus-header', `X-Scope-OrgID: tenant-${CANARY}`, '--prometheus-header', `X-Api-Key: key-${CANARY}`], {env: {MESHDOCTOR_PROMETHEUS_TOKEN: `tok-${CANARY}`}});
    expect(r.code).toBe(3);
    expect(received.filter((h) => h.length > 0), 'requests with credentials at the other origin').toEqual([]);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/redirect.*another origin|another origin.*redirect/i);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  test('a redirect within the same origin is followed, with the headers', async () => {
    const seen: (string | undefined)[] = [];
    const port = await serve((req, res) => {
      if (req.url?.startsWith('/prom/')) {
        seen.push(req.headers['x-scope-orgid'] as string | undefined);
        res.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"success","data":{"resultType":"vector","result":[]}}');
        return;
      }
      res.writeHead(301, {Location: `/prom${req.url}`}).end();
    });
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', `http://127.0.0.1:${port}`, '--prometheus-header', 'X-Scope-OrgID: tenant-a', '-o', 'json']);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h === 'tenant-a')).toBe(true);
    expect(r.stderr).not.toMatch(/redirect/i);
  });
});
