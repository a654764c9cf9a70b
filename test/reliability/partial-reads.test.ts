/**
 * Never judge partial data. A list whose continue token expires mid-way (410 Gone) is read again
 * whole, as client-go's pager does (k8s.io/client-go/tools/pager: FullListIfExpired); if it cannot
 * be read completely the kind is unreadable and the checks that need it skip with the reason —
 * never "no pods" findings invented from half a list. One kind that is slow, dropped or garbled
 * skips only the checks that need it; the run completes.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import type {Fault} from '../../src/sim/api-server/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {clusterText} from '../helpers/catalog.js';
import {runCli as runCliRaw} from '../helpers/cli.js';

// Whole checks of a cluster, several per test: time to spare on a loaded machine.
vi.setConfig({testTimeout: 240_000, hookTimeout: 120_000});

/** The built CLI, with time to spare on a loaded machine (the runs here are whole checks of a cluster). */
const runCli = (args: readonly string[], options: Parameters<typeof runCliRaw>[1] = {}) => runCliRaw(args, {timeoutMs: 120_000, ...options});

type Check = {id: string; status: string; reason: string | null; findings: {message: string; subject: {name: string} | null}[]};

const dir = mkdtempSync(join(tmpdir(), 'md-partial-'));
let api: FixtureApiServer;
let kubeconfig: string;
let clean: Map<string, Check>;

async function check(faults: readonly Fault[], extra: readonly string[] = []): Promise<{code: number | null; checks: Map<string, Check>; stderr: string}> {
  api.configure({faults});
  try {
    const r = await runCli(['check', '--kubeconfig', kubeconfig, '-o', 'json', ...extra]);
    expect([0, 1], r.stderr).toContain(r.code);
    return {code: r.code, stderr: r.stderr, checks: new Map((JSON.parse(r.stdout).checks as Check[]).map((c) => [c.id, c]))};
  } finally {
    api.configure({faults: []});
  }
}

function findings(checks: Map<string, Check>): string[] {
  return [...checks.values()].flatMap((c) => c.findings.map((f) => `${c.id} ${f.subject?.name ?? 'cluster'}`)).sort();
}

beforeAll(async () => {
  const {objects} = await renderManifestTemplate(clusterText('_base/bookinfo.yaml'));
  // Two items a page, whatever the client asks: every kind with more than two objects is paginated.
  api = new FixtureApiServer({objects, maxPageSize: 2});
  await api.start();
  kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig, {context: 'partial'});
  clean = (await check([])).checks;
  expect(findings(clean).length).toBeGreaterThan(0);
});
afterAll(async () => api?.stop());

describe('a continue token that expires (410 Gone) mid-list', () => {
  test('once: the list is read again whole, and the run sees exactly what a clean run sees', async () => {
    api.clearRequests();
    const {checks} = await check([{match: /\/pods\?.*continue=/, status: 410, times: 1}]);
    expect(findings(checks)).toEqual(findings(clean));
    expect([...checks.values()].filter((c) => c.status === 'skip').map((c) => c.id)).toEqual([...clean.values()].filter((c) => c.status === 'skip').map((c) => c.id));
    // After the expiry the pods were listed again from the start.
    const pods = api.requests.filter((r) => /\/api\/v1\/pods$/.test(r.path));
    expect(pods.filter((r) => !('continue' in r.query)).length).toBe(2);
  });

  test('every time: pods are unreadable, the checks that need them skip, and no finding is invented', async () => {
    const {checks} = await check([{match: /\/pods\?.*continue=/, status: 410}]);
    for (const id of ['MD5109', 'MD5111']) {
      expect(checks.get(id), id).toMatchObject({status: 'skip', reason: expect.stringMatching(/410.*list pods|list pods.*410/)});
    }
    // Nothing is reported that the clean run does not report.
    const extra = findings(checks).filter((f) => !findings(clean).includes(f));
    expect(extra).toEqual([]);
  });
});

describe('one kind failing does not fail the run', () => {
  test.each<[string, Fault, RegExp]>([
    ['slower than --request-timeout', {match: '/virtualservices', delayMs: 8000}, /did not answer within 2s/],
    ['a dropped connection', {match: '/virtualservices', destroy: true}, /dropped the connection/],
    ['garbage', {match: '/virtualservices', body: '<html>proxy error</html>'}, /malformed|invalid JSON/],
  ])('%s: its checks skip with the reason, the others run', async (_name, fault, reason) => {
    const {checks} = await check([fault], ['--request-timeout', '2s']);
    expect(checks.get('MD5103')).toMatchObject({status: 'skip', reason: expect.stringMatching(reason)});
    expect(checks.get('MD2101')?.status).not.toBe('skip');
    expect(findings(checks).filter((f) => !findings(clean).includes(f))).toEqual([]);
  });
});
