/**
 * The fault matrix: the API server and Prometheus failing in every way we know of. `check` and
 * `stat` answer with one clear line and the documented exit code (3: could not run), never a stack
 * trace; a fault limited to one kind only skips the checks that need it.
 */
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Fault} from '../../src/sim/api-server/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {generateCert} from '../../src/sim/certs.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {clusterText} from '../helpers/catalog.js';
import {runCli} from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'md-faults-'));
const servers: {close(cb: () => void): void}[] = [];
let api: FixtureApiServer;
let kubeconfig: string;

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^meshdoctor: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const {objects} = await renderManifestTemplate(clusterText('_base/bookinfo.yaml'));
  api = new FixtureApiServer({objects});
  await api.start();
  kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig, {context: 'faults'});
});
afterAll(async () => {
  await api?.stop();
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

describe('API server faults on every request: check exits 3 with one line', () => {
  const everything = /^\//;
  test.each<[string, Fault, RegExp]>([
    ['500', {match: everything, status: 500}, /HTTP 500|500/],
    ['503 with Retry-After', {match: everything, status: 503, retryAfter: 1}, /503/],
    ['401', {match: everything, status: 401}, /unauthori[sz]ed|401/i],
    ['403 everywhere', {match: everything, status: 403}, /forbidden|403/i],
    ['404 on discovery', {match: everything, status: 404}, /404|not found/i],
    ['truncated JSON', {match: everything, body: '{"kind":"APIVersions","versions":["v1"'}, /JSON|truncated|invalid/i],
    ['JSON of the wrong shape', {match: everything, body: '{"hello":"world"}'}, /unexpected|shape|invalid|not/i],
    ['garbage', {match: everything, body: '<html>login</html>'}, /JSON|invalid|not/i],
    ['dropped connection', {match: everything, destroy: true}, /socket|reset|closed|hang up|connection/i],
    ['slow drip beyond the timeout', {match: everything, body: '{"kind":"APIVersions","versions":["v1"]}', drip: {chunkBytes: 1, intervalMs: 500}}, /time|within/i],
    ['no answer within the timeout', {match: everything, delayMs: 5000}, /time|within/i],
  ])('%s', async (_name, fault, message) => {
    api.configure({faults: [fault]});
    try {
      const r = await runCli(['check', '--kubeconfig', kubeconfig, '--request-timeout', '2s']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr)).toMatch(message);
    } finally {
      api.configure({faults: []});
    }
  });

  test('connection refused, DNS failure and a TLS error', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const cert = await generateCert({commonName: 'localhost', dnsNames: ['localhost'], notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000)});
    const tlsPort = await listen(https.createServer({cert: cert.pem, key: cert.keyPem}, (_req, res) => res.end('{}')));
    const base = readFileSync(kubeconfig, 'utf8');
    for (const [name, server, message] of [
      ['refused', `http://127.0.0.1:${closedPort}`, /refused/i],
      ['dns', 'https://cluster.meshdoctor-test.invalid:6443', /resolve|DNS|ENOTFOUND|EAI_AGAIN|lookup/i],
      ['tls', `https://localhost:${tlsPort}`, /certificate|TLS|self[- ]signed/i],
    ] as const) {
      const file = join(dir, `kubeconfig-${name}`);
      writeFileSync(file, base.replace(/server: .*/, `server: ${server}`).replace(/\n\s*insecure-skip-tls-verify: true/, ''));
      const r = await runCli(['check', '--kubeconfig', file, '--request-timeout', '3s']);
      expect(r.code, name).toBe(3);
      expect(oneLine(r.stderr), name).toMatch(message);
    }
  });
});

describe('a fault limited to one kind', () => {
  test('500 on VirtualServices: the run completes and the checks that need them skip with the reason', async () => {
    api.configure({faults: [{match: '/virtualservices', status: 500}]});
    try {
      const r = await runCli(['check', '--kubeconfig', kubeconfig, '-o', 'json']);
      expect([0, 1]).toContain(r.code);
      const byId = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: {id: string}) => [c.id, c]));
      expect(byId.MD5103).toMatchObject({status: 'skip', reason: expect.stringMatching(/500.*virtualservices|virtualservices.*500/)});
      expect(byId.MD2101.status).not.toBe('skip');
    } finally {
      api.configure({faults: []});
    }
  });
});

describe('Prometheus faults: stat exits 3 with one line; check skips metric checks', () => {
  type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const behaviours: [string, Behaviour, RegExp][] = [
    ['401', (_q, s) => s.writeHead(401).end('unauthorized'), /401|unauthori/i],
    ['403', (_q, s) => s.writeHead(403).end('forbidden'), /403|forbidden/i],
    ['404', (_q, s) => s.writeHead(404).end('404 page not found'), /404|not the Prometheus API|not found/i],
    ['500', (_q, s) => s.writeHead(500).end('boom'), /500/],
    ['503 with Retry-After', (_q, s) => s.writeHead(503, {'Retry-After': '1'}).end(''), /503/],
    ['truncated JSON', (_q, s) => s.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"success","data":{"resultType":"vec'), /JSON|not the Prometheus API|invalid/i],
    ['JSON of the wrong shape', (_q, s) => s.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"success","data":{"resultType":"matrix","result":"no"}}'), /unexpected|shape|not the Prometheus API|invalid/i],
    ['dropped connection', (q) => q.socket.destroy(), /socket|reset|closed|hang up|connection/i],
    ['slow drip', (_q, s) => {
      s.writeHead(200, {'Content-Type': 'application/json'});
      const t = setInterval(() => s.write(' '), 300);
      s.on('close', () => clearInterval(t));
    }, /within|time/i],
  ];
  const config = join(dir, 'meshdoctor.yaml');
  writeFileSync(config, 'metrics:\n  timeout: 2s\n');

  test.each(behaviours)('%s', async (_name, behaviour, message) => {
    const port = await listen(http.createServer(behaviour));
    const url = `http://127.0.0.1:${port}`;
    const stat = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--config', config]);
    expect(stat.code).toBe(3);
    expect(stat.stdout).toBe('');
    expect(oneLine(stat.stderr)).toMatch(message);
    const check = await runCli(['check', '--kubeconfig', kubeconfig, '--prometheus-url', url, '--config', config, '-o', 'json', '--only', 'MD1003,MD6001,MD6002']);
    const byId = Object.fromEntries(JSON.parse(check.stdout).checks.map((c: {id: string}) => [c.id, c]));
    expect(byId.MD6001.status).toBe('skip');
    expect(byId.MD6002.status).toBe('skip');
    expect(byId.MD1003.status).toBe('fail');
  });

  test('DNS failure and TLS error', async () => {
    const cert = await generateCert({commonName: 'localhost', dnsNames: ['localhost'], notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000)});
    const tlsPort = await listen(https.createServer({cert: cert.pem, key: cert.keyPem}, (_req, res) => res.end('{}')));
    for (const [url, message] of [['http://prometheus.meshdoctor-test.invalid:9090', /resolve|DNS|ENOTFOUND|EAI_AGAIN|lookup|reach/i], [`https://localhost:${tlsPort}`, /certificate|TLS|self[- ]signed/i]] as const) {
      const stat = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--config', config]);
      expect(stat.code, url).toBe(3);
      expect(oneLine(stat.stderr), url).toMatch(message);
    }
  });
});

describe('signals', () => {
  test('SIGINT and SIGTERM during check --wait exit promptly without a stack trace', async () => {
    const {spawn} = await import('node:child_process');
    const {BIN} = await import('../helpers/cli.js');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: cart, namespace: shop}\nspec: {hosts: [cart], gateways: [nope], http: [{route: [{destination: {host: cart}}]}]}\n');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [BIN, 'check', '-f', broken, '--no-cluster', '--wait', '5m'], {stdio: ['ignore', 'pipe', 'pipe']});
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
      child.kill(signal);
      // It ends at all: against a 5 min wait, the test's own timeout is the bound.
      const code = await new Promise<number | null>((resolve) => child.on('close', (c, s) => resolve(c ?? (s ? 128 : null))));
      expect(code).not.toBe(0);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
