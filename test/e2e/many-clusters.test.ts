/**
 * `check` over several clusters (`--context a,b`, `--all-contexts`): the built CLI and the real
 * client-node against two fixture API servers and one address where nothing listens, the three
 * contexts in separate kubeconfig files merged through KUBECONFIG as kubectl merges them. One
 * report names every cluster; the unreachable one is reported as such while the others are judged,
 * and the exit code says a cluster was missed.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {validateXML} from 'xmllint-wasm';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {ROOT, expectOneLine, fleetEnv, runCli, scratch} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

const {write} = scratch('md-clusters-');
const fixture = (...files: string[]) => files.map((f) => readFileSync(join(ROOT, 'test/fixtures', f), 'utf8')).join('\n---\n');

// eu: the live Istio cluster of check-command.test.ts (MD5103: VirtualService shop/cart routes to a subset no DestinationRule defines).
const EU = fixture('clusters/_base/istio.yaml', 'live/istio-cluster.yaml');
// us: the same cluster, but its VirtualService shop/cart routes to subset v1 only and is bound to a Gateway that does not exist (MD5101, no MD5103).
const ROUTES = '  http: [{route: [{destination: {host: cart, subset: v1}, weight: 90}, {destination: {host: cart, subset: v2}, weight: 10}]}]';
const US = EU.includes(ROUTES) ? EU.replace(ROUTES, '  gateways: [missing-gw]\n  http: [{route: [{destination: {host: cart, subset: v1}}]}]') : '';

const servers: FixtureApiServer[] = [];
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  expect(US, 'the eu fixture still has the routes us replaces').not.toBe('');
  const fleet = {
    eu: new FixtureApiServer({objects: (await renderManifestTemplate(EU)).objects}),
    us: new FixtureApiServer({objects: (await renderManifestTemplate(US)).objects}),
  };
  servers.push(...Object.values(fleet));
  // down: connection refused at once, as for a cluster whose API server is down.
  env = await fleetEnv(write, fleet, ['down']);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

type JsonFinding = {cluster: string; subject: {kind: string; namespace?: string; name: string} | null};
type JsonCheck = {id: string; status: string; clusters: {name: string; status: string}[]; findings: JsonFinding[]};

describe('check --context a,b,c', () => {
  test('JSON: every finding names its cluster, each cluster has its summary, the unreachable one its error; exit 3', async () => {
    const r = await runCli(['check', '--context', 'eu,us,down', '-o', 'json'], {env});
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(errorsOf('check-clusters-report', report)).toEqual([]);
    expect(report.contexts).toEqual(['eu', 'us', 'down']);
    expect(report.clusters.map((c: {name: string; error: string | null}) => [c.name, c.error === null])).toEqual([['eu', true], ['us', true], ['down', false]]);
    expect(report.clusters[2].error).toMatch(/127\.0\.0\.1:1/);
    expect(report.clusters[0].summary.findings.error).toBeGreaterThan(0);
    const checks = Object.fromEntries((report.checks as JsonCheck[]).map((c) => [c.id, c]));
    const at = (id: string) => checks[id].findings.map((f) => `${f.cluster} ${f.subject?.namespace}/${f.subject?.name}`);
    expect(at('MD5103')).toEqual(['eu shop/cart']);
    expect(at('MD5101')).toEqual(['us shop/cart']);
    expect(checks.MD5101.clusters).toEqual([{name: 'eu', status: 'pass', reason: null}, {name: 'us', status: 'fail', reason: null}]);
    expect(checks.MD5101.status).toBe('fail');
    expect((report.checks as JsonCheck[]).every((c) => c.findings.every((f) => f.cluster === 'eu' || f.cluster === 'us'))).toBe(true);
    expect(report.sources).toContainEqual(expect.objectContaining({cluster: 'down', source: 'kubernetes', state: 'unavailable'}));
    expect(report.meshes.map((m: {cluster: string; name: string}) => `${m.cluster} ${m.name}`)).toEqual(['eu istio', 'us istio']);
    // A cluster missed is never a green run, nor only "findings".
    expect(r.code).toBe(3);
  });

  test('text: each cluster under its heading with its own findings, then a line per cluster; the readable ones exit 1 on their errors', async () => {
    const r = await runCli(['check', '--context', 'us,eu', '--only', 'MD5101,MD5103'], {env});
    expect(r.code).toBe(1);
    const headings = [...r.stdout.matchAll(/^═══ cluster (\S+) ═══$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['us', 'eu']);
    const us = r.stdout.slice(r.stdout.indexOf('═══ cluster us'), r.stdout.indexOf('═══ cluster eu'));
    const eu = r.stdout.slice(r.stdout.indexOf('═══ cluster eu'), r.stdout.indexOf('═══ 2 clusters'));
    expect(us).toMatch(/✖ [^\n]*\[MD5101\]\n {4}error VirtualService shop\/cart/);
    expect(us).toMatch(/✔ [^\n]*\[MD5103\]/);
    expect(eu).toMatch(/✖ [^\n]*\[MD5103\]\n {4}error VirtualService shop\/cart/);
    expect(eu).toMatch(/✔ [^\n]*\[MD5101\]/);
    expect(r.stdout).toMatch(/═══ 2 clusters ═══\n {2}us: 1 error\n {2}eu: 1 error\n/);
  });

  test('every server saw only GET requests', () => {
    for (const s of servers) {
      expect(s.requests.length).toBeGreaterThan(10);
      expect(s.nonGetRequests()).toEqual([]);
    }
  });
});

describe('check --all-contexts', () => {
  test('JUnit: one suite per context of the merged kubeconfig, in name order, the unreachable one an error', async () => {
    const r = await runCli(['check', '--all-contexts', '-o', 'junit'], {env});
    expect(r.code).toBe(3);
    const xml = r.stdout;
    expect((await validateXML({xml: [{fileName: 'report.xml', contents: xml}], schema: []})).valid).toBe(true);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    expect(suites).toEqual(['down', 'eu', 'us']);
    const down = xml.slice(xml.indexOf('<testsuite name="down"'), xml.indexOf('<testsuite name="eu"'));
    expect(down).toMatch(/<error message="cluster could not be read: [^"]*127\.0\.0\.1:1/);
    const eu = xml.slice(xml.indexOf('<testsuite name="eu"'), xml.indexOf('<testsuite name="us"'));
    expect(eu).toMatch(/<testcase [^>]*name="MD5103[^"]*"[^>]*>\s*<failure/);
    expect(eu).not.toContain('<error');
  });
});

describe('bad context choices are usage errors before any cluster is contacted', () => {
  test('an unknown name among several, --all-contexts with --context, several with --snapshot: exit 2, one line', async () => {
    const before = servers.map((s) => s.requests.length);
    const unknown = await runCli(['check', '--context', 'eu,nope'], {env});
    expect(unknown.code).toBe(2);
    expect(expectOneLine(unknown.stderr)).toMatch(/"nope" not found .*known contexts: down, eu, us/);
    const both = await runCli(['check', '--context', 'eu', '--all-contexts'], {env});
    expect(both.code).toBe(2);
    expectOneLine(both.stderr);
    const snapshot = await runCli(['check', '--context', 'eu,us', '--snapshot', join(ROOT, 'package.json')], {env});
    expect(snapshot.code).toBe(2);
    expect(expectOneLine(snapshot.stderr)).toContain('--snapshot');
    expect(servers.map((s) => s.requests.length)).toEqual(before);
  });
});
