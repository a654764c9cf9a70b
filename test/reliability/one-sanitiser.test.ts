/**
 * One sanitiser for every output: `check`, `describe`, `stat`, `runbook` and `logs`, as text and as JSON, replace the
 * same characters (C0 and C1 controls — the 8-bit CSI U+009B among them — DEL, bidi embeddings,
 * overrides and isolates) with U+FFFD, and redact the userinfo of URLs. A JSON document never holds
 * such a character raw either.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import {clipboardRefusal, pruneDeep, redactUserinfo, sanitizeLine, sanitizeStrings, sanitizeText, toSafeJson} from '../../src/core/sanitize.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {runCli as runCliRaw} from '../helpers/cli.js';

// Whole checks of a cluster, several per test: time to spare on a loaded machine.
vi.setConfig({testTimeout: 240_000, hookTimeout: 120_000});

/** The built CLI, with time to spare on a loaded machine (the runs here are whole checks of a cluster). */
const runCli = (args: readonly string[], options: Parameters<typeof runCliRaw>[1] = {}) => runCliRaw(args, {timeoutMs: 120_000, ...options});

const tmp = mkdtempSync(join(tmpdir(), 'md-sanitiser-'));
/** Every character class the sanitiser replaces, one of each, around a visible word. */
const EVIL = '\u009b31m\u202eevil\u2066\u0085\u001b]0;t\u0007\u007f';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('the sanitiser', () => {
  test('replaces C0, DEL, C1, bidi controls; keeps newlines (text) or not (line)', () => {
    for (const c of ['\u0000', '\u0007', '\u0008', '\r', '\u001b', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f', '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(sanitizeText(`a${c}b`), JSON.stringify(c)).toBe('a\uFFFDb');
    }
    expect(sanitizeText('a\nb\tc')).toBe('a\nb\tc');
    expect(sanitizeLine('a\nb\tc')).toBe('a b c');
    expect(sanitizeText('é – ✔ 漢字 \u00a0\u00ff')).toBe('é – ✔ 漢字 \u00a0\u00ff');
  });

  test('redacts the userinfo of URLs wherever they appear', () => {
    expect(redactUserinfo('https://admin:hunter2@api.example:6443/x')).toBe('https://***@api.example:6443/x');
    expect(sanitizeText('cannot reach http://u:p%40ss@10.0.0.1:9090 (refused); see https://ok.example/a@b')).toBe('cannot reach http://***@10.0.0.1:9090 (refused); see https://ok.example/a@b');
    expect(sanitizeText('user@example.com wrote git@github.com:x/y')).toBe('user@example.com wrote git@github.com:x/y');
  });

  test('sanitizeStrings covers keys and values at any depth; toSafeJson escapes what JSON.stringify leaves raw', () => {
    const value = {[`k${EVIL}`]: [{deep: `v${EVIL}`}], n: 1, ok: null};
    const clean = sanitizeStrings(value);
    expect(JSON.stringify(clean)).not.toMatch(RAW);
    expect(toSafeJson(value)).not.toMatch(RAW);
    expect(JSON.parse(toSafeJson(value))).toEqual(value);
  });

  test('a value nested 10,000 levels deep is walked, pruned and written without overflowing the stack', () => {
    const root: Record<string, unknown> = {};
    let at = root;
    for (let i = 0; i < 10_000; i++) at = (at.a = {}) as Record<string, unknown>;
    expect(() => JSON.stringify(root)).toThrow(RangeError);
    const text = toSafeJson(root, 0);
    expect(text).toContain('nested deeper than');
    expect(JSON.stringify(sanitizeStrings(root))).toContain('nested deeper than');
    expect(pruneDeep(root)).not.toBe(root);
    const shallow = {a: {b: [1, 2, {c: 'x'}]}};
    expect(pruneDeep(shallow)).toBe(shallow);
  });

  test('the clipboard takes text only when it is exactly what the screen shows', () => {
    expect(clipboardRefusal("kubectl -n shop get pod 'a;b'\nkubectl get svc")).toBeUndefined();
    for (const c of ['\t', '\r', '\u001b', '\u0015', '\u009b', '\u202e', '\u2066']) expect(clipboardRefusal(`x${c}y`), JSON.stringify(c)).toMatch(/control or bidi character/);
  });
});

describe('describe and stat sanitise like check', () => {
  let api: FixtureApiServer;
  let kubeconfig: string;
  const workload = `web${EVIL}`;
  let cartPod: string;

  beforeAll(async () => {
    const sim = new TrafficSim({start: '-1h', mesh: 'istio', workloads: [{namespace: 'shop', name: workload, app: 'web', service: 'web'}, {namespace: 'shop', name: 'cart', replicas: 2}], edges: [{from: 'external', to: 'shop/web', rps: 20}, {from: `shop/${workload}`, to: 'shop/cart', rps: 50}]}, systemClock);
    const objects = simObjects(sim);
    cartPod = objects.find((o) => o.kind === 'Pod' && o.metadata.name.startsWith('cart-'))!.metadata.name;
    api = new FixtureApiServer({objects});
    registerSimProxies(api, sim);
    // Every container writes one hostile line (a log is whatever the application printed).
    api.registerSubresource('pods', 'log', (call) => {
      if (call.kind === 'http') call.res.writeHead(200, {'Content-Type': 'text/plain'}).end(`2026-12-08T00:00:00.000000000Z GET /cart ${EVIL}\n`);
    });
    await api.start();
    kubeconfig = join(tmp, 'kubeconfig');
    api.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => api?.stop());

  test('stat -o json and the table: the hostile workload name arrives replaced, not raw', async () => {
    for (const output of ['json', 'table']) {
      const r = await runCli(['stat', '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', '--sample', '1s', '-n', 'shop', '-o', output]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(RAW);
      if (output === 'json') expect(JSON.parse(r.stdout).workloads.map((w: {workload: string}) => w.workload)).toContain(sanitizeText(workload));
      else expect(r.stdout).toContain(sanitizeLine(workload));
    }
  });

  test('runbook (Markdown and -o json): the caller with the hostile name, in the context and the filled commands, arrives replaced', async () => {
    for (const output of ['json', 'text']) {
      const r = await runCli(['runbook', 'MD6001', '--for', 'shop/cart', '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', ...(output === 'json' ? ['-o', 'json'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(RAW);
      if (output === 'json') expect(JSON.parse(r.stdout).context.callers.map((c: {workload: string}) => c.workload)).toContain(sanitizeText(workload));
      else expect(r.stdout).toContain(`Caller shop/${sanitizeLine(workload)}`);
    }
  });

  test('logs (text and -o json): a line the application wrote arrives replaced', async () => {
    for (const output of ['json', 'text']) {
      const r = await runCli(['logs', `shop/${cartPod}`, '-c', 'cart', '--kubeconfig', kubeconfig, '-o', output]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(RAW);
      if (output === 'json') expect(JSON.parse(r.stdout).lines).toEqual([{time: '2026-12-08T00:00:00.000000000Z', text: `GET /cart ${sanitizeText(EVIL)}`, container: 'cart'}]);
      else expect(r.stdout).toBe(`2026-12-08T00:00:00.000000000Z GET /cart ${sanitizeLine(EVIL)}\n`);
    }
  });

  test('describe -o json and text', async () => {
    const file = join(tmp, 'evil.yaml');
    writeFileSync(file, `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: cart, image: cart}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${JSON.stringify(`cart${EVIL}`)}, namespace: shop}
spec:
  hosts: [cart]
  gateways: [${JSON.stringify(`gw${EVIL}`)}]
  http: [{route: [{destination: {host: cart}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{port: 80, name: http}]}
`);
    for (const output of ['json', 'text']) {
      const r = await runCli(['describe', 'workload', 'shop/cart', '-f', file, '--no-cluster', '-o', output]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(RAW);
      expect(r.stdout).toContain(output === 'json' ? sanitizeText(`cart${EVIL}`) : sanitizeLine(`cart${EVIL}`));
    }
  });
});
