/**
 * Bounded everything: every read has a cap (src/sources/limits.ts), and a source that sends without
 * end — a kubeconfig that is /dev/zero, an endless stdin, a Prometheus or an istiod streaming an
 * endless answer, a proxy's endless metrics page — stops at the cap with one line that names it,
 * long before memory runs out. Prometheus' own errors are reported in its words, and samples that
 * are not numbers (NaN, ±Inf, 1e309) never print as `NaN` or `Infinity`.
 */
import {spawn, spawnSync} from 'node:child_process';
import http from 'node:http';
import {chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test, vi} from 'vitest';
import {PRUNED} from '../../src/core/sanitize.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {clusterText} from '../helpers/catalog.js';
import {LIMITS, MiB} from '../../src/sources/limits.js';
import {BIN, expectOneLine, runCli as runCliRaw} from '../helpers/cli.js';
import {LocalServers} from '../helpers/local-servers.js';

// Whole checks of a cluster, several per test: time to spare on a loaded machine.
vi.setConfig({testTimeout: 240_000, hookTimeout: 120_000});

/** The built CLI, with time to spare on a loaded machine (the runs here are whole checks of a cluster). */
const runCli = (args: readonly string[], options: Parameters<typeof runCliRaw>[1] = {}) => runCliRaw(args, {timeoutMs: 120_000, ...options});

const tmp = mkdtempSync(join(tmpdir(), 'md-bounded-'));
const local = new LocalServers();
const serve = async (handler: http.RequestListener) => `http://127.0.0.1:${await local.serve(handler)}`;
afterAll(() => local.closeAll());
const oneLine = expectOneLine;

/** The built CLI with its stdin read from a file or device; as user `nobody` when asked (root reads any directory). */
function runWithStdin(args: readonly string[], stdinPath: string, asNobody = false): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, BIN, ...args];
    const drop = asNobody && process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
    const [command, ...rest] = [...drop, ...argv];
    const child = spawn(command, rest, {stdio: [openSync(stdinPath, 'r'), 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1', HOME: tmp}});
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
  });
}

/** Writes `prefix`, then `chunk` for as long as the client reads. */
function endless(prefix: string, chunk: string, contentType = 'application/json'): http.RequestListener {
  return (_req, res) => {
    res.writeHead(200, {'Content-Type': contentType});
    res.write(prefix);
    const block = chunk.repeat(Math.ceil(64 * 1024 / chunk.length));
    const pump = (): void => {
      while (!res.destroyed && res.write(block));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };
}

describe('caps on files and pipes: exit 2 naming the cap', () => {
  test('--kubeconfig /dev/zero', async () => {
    const r = await runCli(['check', '--kubeconfig', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`kubeconfig /dev/zero is larger than ${LIMITS.kubeconfig / MiB} MiB (meshdoctor's cap on a kubeconfig)`);
  });

  test('check -f - with an endless stdin', async () => {
    const r = await runWithStdin(['check', '-f', '-', '--no-cluster'], '/dev/zero');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`stdin (-f -) is larger than ${LIMITS.manifest / MiB} MiB`);
  });

  test('a sub-directory of -f DIR that cannot be read is an input error naming it', async () => {
    const root = join(tmp, 'manifests');
    mkdirSync(join(root, 'locked'), {recursive: true});
    writeFileSync(join(root, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    chmodSync(tmp, 0o755);
    chmodSync(root, 0o755);
    chmodSync(join(root, 'ns.yaml'), 0o644);
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const r = await runWithStdin(['check', '-f', root, '--no-cluster'], '/dev/null', true);
      expect(r.code, r.stderr).toBe(2);
      expect(oneLine(r.stderr)).toContain(`meshdoctor: ${join(root, 'locked')}: permission denied (cannot read the directory)`);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });

  test('--config /dev/zero', async () => {
    const r = await runCli(['check', '--config', '/dev/zero', '-f', '-', '--no-cluster']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`config file /dev/zero is larger than ${LIMITS.config / MiB} MiB (meshdoctor's cap on a config file)`);
  });

  test('--snapshot /dev/zero', async () => {
    const r = await runCli(['check', '--snapshot', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toContain(`is larger than ${LIMITS.snapshot / MiB} MiB (meshdoctor's cap on a snapshot file)`);
  });
});

describe('istiod and the proxies', () => {
  let api: FixtureApiServer;
  let kubeconfig: string;
  afterAll(async () => api?.stop());

  async function cluster(): Promise<void> {
    if (api) return;
    const {objects} = await renderManifestTemplate(clusterText('_base/bookinfo.yaml'));
    api = new FixtureApiServer({objects});
    // Every proxy's metrics page never ends.
    api.registerSubresource('pods', 'proxy', (call) => {
      if (call.kind === 'http') endless('# TYPE istio_requests_total counter\n', 'istio_requests_total{reporter="destination",destination_workload="x"} 1\n', 'text/plain')(call.req, call.res);
    });
    await api.start();
    kubeconfig = join(tmp, 'bookinfo-kubeconfig');
    api.writeKubeconfig(kubeconfig);
  }

  test('--istiod-url answering without end: the replica is reported failing, naming the cap', async () => {
    await cluster();
    const url = await serve(endless('[', '{"proxy":"p.ns","istio_version":"1.22.0","cluster_id":"Kubernetes"},'));
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '--istiod-url', url, '-o', 'json', '--only', 'MD1101']);
    expect([0, 1], r.stderr).toContain(r.code);
    const md1101 = JSON.parse(r.stdout).checks[0];
    expect(md1101.findings.map((f: {message: string}) => f.message).join('\n')).toContain(`is larger than ${LIMITS.istiod / MiB} MiB (meshdoctor's cap on an istiod answer)`);
  });

  test('an exec credential plugin that hangs is killed at --request-timeout; the run ends with one line', async () => {
    await cluster();
    const plugin = join(tmp, 'hanging-plugin.sh');
    const marker = String(900_000 + Math.floor(Math.random() * 99_999));
    writeFileSync(plugin, `#!/bin/sh\nexec sleep ${marker}\n`, {mode: 0o755});
    const file = join(tmp, 'exec-kubeconfig');
    writeFileSync(file, readFileSync(kubeconfig, 'utf8').replace(/users:[\s\S]*?contexts:/, `users:\n  - name: exec\n    user:\n      exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin}, interactiveMode: Never}\ncontexts:`).replace(/user: [^\s}]+/, 'user: exec'));
    const r = await runCli(['check', '--kubeconfig', file, '--request-timeout', '2s']);
    expect(r.code, r.stderr).toBe(3);
    expect(oneLine(r.stderr)).toContain(`the exec credential plugin "${plugin}" did not finish within 2s`);
    expect(spawnSync('pgrep', ['-f', `sleep ${marker}`]).status, 'the plugin is still running').toBe(1);
  });

  test('proxies whose metrics never end: stat names the cap', async () => {
    await cluster();
    const r = await runCli(['stat', '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', '--sample', '1s', '-A']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toContain(`is larger than ${LIMITS.proxyScrape / MiB} MiB (meshdoctor's cap on a proxy's metrics)`);
  });
});

describe('Prometheus', () => {
  const config = join(tmp, 'meshdoctor.yaml');
  writeFileSync(config, 'metrics:\n  timeout: 20s\n');

  test('an endless answer (200k series and more) stops at the cap, not at the timeout', async () => {
    const url = await serve(endless('{"status":"success","data":{"resultType":"vector","result":[', '{"metric":{"destination_workload":"w","destination_workload_namespace":"ns","__name__":"istio_requests_total"},"value":[1700000000,"1"]},'));
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--config', config]);
    expect(r.code).toBe(3);
    const line = oneLine(r.stderr);
    expect(line).toContain(`is larger than ${LIMITS.prometheus / MiB} MiB (meshdoctor's cap on a Prometheus answer)`);
    expect(line).not.toMatch(/within/);
  });

  test('{"status":"error"} with 200: Prometheus\' own words', async () => {
    const url = await serve((_req, res) => res.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}'));
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--config', config]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toMatch(/answered an error: execution: query processing would load too many samples into memory/);
  });

  test('NaN, ±Inf and 1e309 samples print as no data, never NaN or Infinity', async () => {
    const series = (labels: Record<string, string>, value: string) => ({metric: labels, value: [1700000000, value]});
    const odd = ['NaN', '+Inf', '-Inf', '1e309', '5'];
    const url = await serve((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      // The probe finds every family and label present; every other query gets one series per odd
      // value (and a number), one workload each, with the labels the Istio queries group by.
      const probes = [...query.matchAll(/"probe", "([^"]+)"/g)].map((m) => m[1]);
      const result = probes.length > 0 ? probes.map((probe) => series({probe}, '1')) : odd.flatMap((v, i) => ['0.5', '0.95', '0.99'].map((quantile) => series({
        __name__: 'istio_requests_total', destination_workload: `w${i}`, destination_workload_namespace: 'shop', source_workload: `w${i}`, source_workload_namespace: 'shop',
        reporter: i % 2 ? 'source' : 'destination', response_code: '200', quantile, response_flags: '-', connection_security_policy: 'mutual_tls', destination_service: 'x', destination_service_namespace: 'shop',
      }, v)));
      res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({status: 'success', data: {resultType: 'vector', result}}));
    });
    for (const output of ['table', 'json']) {
      const r = await runCli(['stat', '--no-cluster', '--prometheus-url', url, '--config', config, '--mesh', 'istio', '-o', output]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/NaN|Infinity/);
      // The workload with a number is shown; the others show no data (or are not shown at all).
      expect(r.stdout).toContain('w4');
      if (output === 'json') {
        const rows = JSON.parse(r.stdout).workloads as {successRate: unknown; rps: unknown; latencyMs: Record<string, unknown>}[];
        for (const row of rows) for (const v of [row.successRate, row.rps, ...Object.values(row.latencyMs)]) expect(v === null || Number.isFinite(v)).toBe(true);
      }
    }
  });
});

describe('an object nested 10,000 levels deep (the API server accepts that many)', () => {
  let deep = '1';
  for (let i = 0; i < 10_000; i++) deep = `{"a":${deep}}`;
  const object = `{"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter","metadata":{"name":"deep","namespace":"istio-system","resourceVersion":"7"},"spec":{"configPatches":[{"patch":{"value":${deep}}}]}}`;

  test('live: snapshot save and check --snapshot work; the deep part is cut with a marker', async () => {
    const api = new FixtureApiServer({objects: [{apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'envoyfilters.networking.istio.io'}, spec: {group: 'networking.istio.io', names: {kind: 'EnvoyFilter', plural: 'envoyfilters'}, scope: 'Namespaced', versions: [{name: 'v1alpha3', served: true, storage: true}]}} as never]});
    await api.start();
    try {
      // The fixture itself cannot stringify such an object: its list is served raw.
      api.configure({faults: [{match: '/envoyfilters', body: `{"kind":"EnvoyFilterList","apiVersion":"networking.istio.io/v1alpha3","metadata":{"resourceVersion":"7"},"items":[${object}]}`}]});
      const kubeconfig = join(tmp, 'deep-kubeconfig');
      api.writeKubeconfig(kubeconfig);
      const file = join(tmp, 'deep-snapshot.json');
      const saved = await runCli(['snapshot', 'save', file, '--kubeconfig', kubeconfig]);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stderr).not.toMatch(/stack|RangeError/);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(PRUNED);
      const checked = await runCli(['check', '--snapshot', file, '-o', 'json']);
      expect([0, 1], checked.stderr).toContain(checked.code);
    } finally {
      await api.stop();
    }
  });

  test('files: one line naming the file, exit 2', async () => {
    const file = join(tmp, 'deep.json');
    writeFileSync(file, object);
    const r = await runCli(['snapshot', 'save', join(tmp, 'deep-files.json'), '-f', file, '--no-cluster']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/deep\.json:1: nested too deeply to read/);
  });
});
