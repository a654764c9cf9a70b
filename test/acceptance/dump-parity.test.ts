/**
 * A cluster you cannot reach, checked from a dump: for each demo scenario, `kubectl get <every
 * listable kind> -A -o yaml` against the demo's API server, then `meshdoctor check -f dump
 * --no-cluster`, gives the same findings as `meshdoctor check` against the live demo — except those
 * of checks that need metrics or control-plane endpoints, each of which is not-applicable offline
 * with a reason saying files cannot hold what it needs (issue 14).
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import type {CheckInputs} from '../../src/core/index.js';
import type {RunningDemo} from '../../src/sim/demo/index.js';
import {startDemo} from '../../src/sim/demo/index.js';
import {loadScenario, scenarioNames} from '../../src/sim/demo/scenario.js';
import {runCli} from '../helpers/cli.js';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'md-dump-parity-'));
const demos: RunningDemo[] = [];

afterAll(async () => {
  await Promise.all(demos.map((d) => d.stop()));
});

type JsonCheck = {id: string; status: string; reason: string | null; findings: {severity: string; subject: {kind: string; namespace?: string; name: string} | null}[]};

function findingKeys(checks: readonly JsonCheck[]): string[] {
  return checks.flatMap((c) => c.findings.map((f) => `${c.id} ${f.severity} ${f.subject ? `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}` : 'Cluster'}`)).sort();
}

/** Whether every way a check can run needs metrics or control-plane data (what no file holds). */
function needsLiveSources(inputs: CheckInputs): boolean {
  const own = (inputs.signals?.length ?? 0) > 0 || (inputs.facts?.length ?? 0) > 0 || inputs.accessLog === true;
  if (own) return true;
  return (inputs.anyOf?.length ?? 0) > 0 && inputs.anyOf!.every(needsLiveSources);
}

const liveOnly = new Set<string>(allChecks.filter((c) => needsLiveSources(c.inputs)).map((c) => c.id));

async function dump(demo: RunningDemo, file: string): Promise<string> {
  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', demo.kubeconfig, ...args], {maxBuffer: 64 * 1024 * 1024});
  const {stdout: kinds} = await kubectl('api-resources', '--verbs=list', '-o', 'name');
  const {stdout} = await kubectl('get', kinds.trim().split('\n').join(','), '-A', '-o', 'yaml');
  const path = join(tmp, file);
  writeFileSync(path, stdout);
  return path;
}

describe.each(scenarioNames())('a kubectl dump of demo %s', (name) => {
  test('checked offline gives the live findings, less those that need metrics or control-plane endpoints', async () => {
    const scenario = loadScenario(name);
    const demo = await startDemo(scenario, {tmpRoot: tmp});
    demos.push(demo);
    const file = await dump(demo, `${name}.yaml`);
    const [live, offline] = await Promise.all([
      runCli(['check', '--kubeconfig', demo.kubeconfig, '--metrics-source', 'proxies', '--sample', '1s', '-o', 'json'], {timeoutMs: 120_000}),
      runCli(['check', '-f', file, '--no-cluster', '-o', 'json'], {timeoutMs: 120_000}),
    ]);
    expect(offline.stderr).toBe('');
    const liveChecks: JsonCheck[] = JSON.parse(live.stdout).checks;
    const offlineReport = JSON.parse(offline.stdout);
    const offlineChecks: JsonCheck[] = offlineReport.checks;
    expect(offlineReport.summary.crashed).toBe(0);

    const expected = findingKeys(liveChecks.filter((c) => !liveOnly.has(c.id)));
    expect(findingKeys(offlineChecks)).toEqual(expected);
    // …and those include every fault the scenario stages that files can show.
    const staged = scenario.expect.filter((e) => !liveOnly.has(e.checkId)).map((e) => `${e.checkId} ${e.severity} ${e.subject}`);
    expect(expected).toEqual(expect.arrayContaining(staged));

    // What the dump cannot show is said, check by check.
    for (const c of offlineChecks.filter((x) => liveOnly.has(x.id))) {
      expect(c.status, c.id).toBe('not-applicable');
      expect(c.reason, c.id).toMatch(/not detected|files cannot hold/);
    }
    // The dump is evaluated as a picture of the cluster: its pods carry status.
    expect(offlineReport.objects).toContainEqual(expect.objectContaining({kind: 'Pod', mode: 'files-with-status'}));
  }, 240_000);
});
