/**
 * `check -o FORMAT[=FILE]`, repeatable: CI that wants JUnit for its test tab, SARIF for code scanning
 * and the text report in its log gets all three from one collection of the cluster.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ROOT, runCli} from '../helpers/cli.js';
import {useLiveIstio} from '../helpers/live-istio.js';
import {errorsOf} from '../helpers/schemas.js';

const tmp = mkdtempSync(join(tmpdir(), 'md-outputs-'));
const EXAMPLE = join(ROOT, 'examples', 'broken-shop');
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe('several outputs from one run', () => {
  const live = useLiveIstio(tmp);

  test('junit, sarif and json to files and text on stdout, all from one collection', async () => {
    live.server.clearRequests();
    const single = await runCli(['check', '--kubeconfig', live.kubeconfig, '-o', 'json']);
    const listsForOne = live.server.requests.filter((r) => r.path === '/api/v1/pods').length;
    live.server.clearRequests();
    const [junit, sarif, json] = ['report.xml', 'out.sarif', 'report.json'].map((f) => join(tmp, f));
    const r = await runCli(['check', '--kubeconfig', live.kubeconfig, '-o', `junit=${junit}`, '-o', `sarif=${sarif}`, '--output', `json=${json}`, '-o', 'text']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(single.code);
    // The cluster was read once, as for one output.
    expect(live.server.requests.filter((q) => q.path === '/api/v1/pods').length).toBe(listsForOne);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(errorsOf('check-report', report)).toEqual([]);
    const findings = report.checks.flatMap((c: {id: string; findings: unknown[]}) => c.findings.map(() => c.id)).sort();
    expect(findings.length).toBeGreaterThan(0);
    // The same findings in every format.
    expect(JSON.parse(single.stdout).checks.flatMap((c: {id: string; findings: unknown[]}) => c.findings.map(() => c.id)).sort()).toEqual(findings);
    const sarifResults = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.map((x: {ruleId: string}) => x.ruleId).sort();
    expect(sarifResults).toEqual(findings);
    const failed = report.checks.filter((c: {status: string}) => c.status === 'fail').length;
    expect(readFileSync(junit, 'utf8').match(/<failure /g)).toHaveLength(failed);
    expect(r.stdout).toMatch(new RegExp(`^${report.summary.checks} checks: ${report.summary.passed} passed, ${report.summary.failed} failed`, 'm'));
  });
});

describe('targets', () => {
  test('--output-file takes the -o without a file; the others keep theirs', async () => {
    const [text, json] = [join(tmp, 'a.txt'), join(tmp, 'a.json')];
    const r = await runCli(['check', '-f', EXAMPLE, '--no-cluster', '-o', 'text', '-o', `json=${json}`, '--output-file', text]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(text, 'utf8')).toMatch(/findings: 2 errors/);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.findings.error).toBe(2);
  });

  test.each([
    [['-o', 'json', '-o', 'text'], 'meshdoctor: --output: json and text would both go to stdout; give all but one a file (FORMAT=FILE)'],
    [['-o', 'yaml'], 'meshdoctor: --output: "yaml" must be one of text, json, junit, sarif, github (FORMAT or FORMAT=FILE)'],
    [['-o', 'json='], 'meshdoctor: --output: "json=" names no file (FORMAT=FILE)'],
    [['-o', 'json=x.out', '-o', 'sarif=x.out'], 'meshdoctor: --output: x.out is named twice'],
    [['-o', 'json=x.out', '--output-file', 'y.out'], 'meshdoctor: --output-file: every -o already names its file'],
  ])('%j is a usage error before anything is read', async (args, line) => {
    const r = await runCli(['check', '-f', EXAMPLE, '--no-cluster', ...args], {cwd: tmp});
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(line);
    expect(existsSync(join(tmp, 'x.out'))).toBe(false);
  });

  test('a file that cannot be written: one line, exit 2', async () => {
    const r = await runCli(['check', '-f', EXAMPLE, '--no-cluster', '-o', `junit=${join(tmp, 'no-such-dir', 'r.xml')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`meshdoctor: ${join(tmp, 'no-such-dir', 'r.xml')}: cannot write the junit report (ENOENT)\n`);
  });
});
