/**
 * The flags kubectl users expect, and one way of saying what went wrong, with the built CLI:
 * every subcommand's --help lists the global flags and the exit codes; every usage error is one
 * line `meshdoctor: <what>: <why>` with exit 2; `-l` narrows findings to the selected objects;
 * `--as`/`--as-group` put kubectl's impersonation headers on every request (and stay GET only).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {EXIT_CODE_MEANINGS} from '../../src/cli/exit-codes.js';
import {ROOT, runCli} from '../helpers/cli.js';
import {useLiveIstio} from '../helpers/live-istio.js';

const tmp = mkdtempSync(join(tmpdir(), 'md-flags-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

const SUBCOMMANDS = [['check'], ['checks'], ['snapshot', 'save'], ['runbook'], ['stat'], ['describe'], ['rbac'], ['demo'], ['tui'], ['completion']];

describe('--help', () => {
  test.each(SUBCOMMANDS)('%s --help lists the global flags and the exit codes', async (...command) => {
    const r = await runCli([...command, '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--kubeconfig <file>', '--context <name>', '-n, --namespace', '-A, --all-namespaces', '-l, --selector', '--window <duration>', '--as <user>', '--as-group <group>', '--prometheus-url', '--config <file>']) {
      expect(r.stdout, `${command.join(' ')}: ${flag}`).toContain(flag);
    }
    for (const [code, meaning] of EXIT_CODE_MEANINGS) expect(r.stdout).toMatch(new RegExp(`^  ${code} +${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  test('the README\'s exit-code table says what --help says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/`/g, '').replace(/\\\|/g, '|');
    for (const [code, meaning] of EXIT_CODE_MEANINGS) expect(readme).toContain(`| ${code} | ${meaning} |`);
  });
});

describe('one error style: meshdoctor: <what>: <why>, one line, exit 2', () => {
  test.each([
    [['check', '--bogus'], 'meshdoctor: --bogus: unknown option (see meshdoctor check --help)'],
    [['check', '--outpt', 'json'], 'meshdoctor: --outpt: unknown option (did you mean --output?)'],
    [['check', '--fail-on', 'nope'], 'meshdoctor: --fail-on: "nope" must be one of error, warning, info'],
    [['check', 'extra'], 'meshdoctor: check: too many arguments (expected 0, got 1)'],
    [['check', '-o'], 'meshdoctor: --output: needs a value'],
    [['snapshot', 'save'], 'meshdoctor: snapshot save: missing argument <file> (see meshdoctor snapshot save --help)'],
    [['frobnicate'], 'meshdoctor: frobnicate: unknown command (see meshdoctor --help)'],
    [['check', '-f', 'no-such.yaml', '--no-cluster'], 'meshdoctor: no-such.yaml: no such file or directory'],
    [['check', '--window', '0s'], 'meshdoctor: --window: "0s" is not a duration (examples: 30s, 1m, 2h)'],
    [['check', '--as-group', 'sre'], 'meshdoctor: --as-group: needs --as (a user to impersonate, as with kubectl)'],
    [['check', '-l', 'app in (cart'], /^meshdoctor: -l\/--selector: "app in \(cart": unbalanced "\("/],
    [['stat', '--no-cluster', '-l', 'app=cart'], 'meshdoctor: -l/--selector: stat --no-cluster has no labels to match (workloads come from metric labels)'],
    [['check', '--snapshot', 'no-such.json'], 'meshdoctor: no-such.json: cannot read snapshot (no such file)'],
  ] as const)('%j', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof line === 'string') expect(r.stderr.trimEnd()).toBe(line);
    else expect(r.stderr).toMatch(line);
  });
});

describe('-l/--selector', () => {
  const shop = join(tmp, 'shop.yaml');
  beforeAll(() => {
    const app = (name: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: ${name}, image: example/${name}:1, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {selector: {app: ${name}}, ports: [{port: 80, targetPort: 8080}]}
`;
    // Two Services whose ports declare no protocol (MD5117 on each); the Services carry no labels of their own.
    writeFileSync(shop, `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n${app('cart')}${app('web')}`);
  });

  const md5117 = async (extra: readonly string[]) => {
    const r = await runCli(['check', '-f', shop, '--no-cluster', '--mesh', 'istio', '-o', 'json', ...extra]);
    expect(r.stderr).toBe('');
    const check = JSON.parse(r.stdout).checks.find((c: {id: string}) => c.id === 'MD5117');
    return {status: check.status as string, subjects: check.findings.map((f: {subject: {name: string}}) => f.subject.name) as string[]};
  };

  test('keeps findings on objects whose pods match; a check left with none passes', async () => {
    expect(await md5117([])).toEqual({status: 'fail', subjects: ['cart', 'web']});
    expect(await md5117(['-l', 'app=cart'])).toEqual({status: 'fail', subjects: ['cart']});
    expect(await md5117(['--selector', 'app notin (cart)'])).toEqual({status: 'fail', subjects: ['web']});
    expect(await md5117(['-l', 'app=billing'])).toEqual({status: 'pass', subjects: []});
  });
});

describe('--as/--as-group against a live cluster (fixture API server)', () => {
  const live = useLiveIstio(tmp);

  test('every request carries Impersonate-User and each Impersonate-Group; all are GETs', async () => {
    live.server.clearRequests();
    const r = await runCli(['check', '--kubeconfig', live.kubeconfig, '--as', 'jane', '--as-group', 'sre', '--as-group', 'oncall', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).context).toBe('fixture');
    const requests = live.server.requests;
    // Lists, and the metrics discovery's reads through the API server's proxy.
    expect(requests.some((q) => q.path === '/api/v1/pods')).toBe(true);
    expect(requests.some((q) => /\/services\/[^/]+\/proxy|\/services\/prometheus/.test(q.path))).toBe(true);
    expect(requests.filter((q) => !q.impersonate)).toEqual([]);
    expect(new Set(requests.filter((q) => q.impersonate).map((q) => JSON.stringify(q.impersonate)))).toEqual(new Set([JSON.stringify({user: 'jane', groups: ['sre', 'oncall']})]));
    expect(live.server.nonGetRequests()).toEqual([]);
  });

  test('without --as no request is impersonated', async () => {
    live.server.clearRequests();
    const r = await runCli(['check', '--kubeconfig', live.kubeconfig, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(live.server.requests.length).toBeGreaterThan(10);
    expect(live.server.requests.filter((q) => q.impersonate)).toEqual([]);
  });
});
