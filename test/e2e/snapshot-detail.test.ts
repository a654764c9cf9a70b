/**
 * `snapshot save` keeps what checks read (issue 20); `--full` keeps whole objects for a hand-off.
 * Against real-sized injected pods (src/sim/realistic) served by the fixture API server: the
 * default snapshot has no volumes or container resources (read by no check), the full one has
 * them, Secret data is redacted in both, and both replay to the same report.
 */
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {realisticCluster} from '../../src/sim/realistic/cluster.js';
import {runCli, scratch} from '../helpers/cli.js';

const {dir} = scratch('md-snapshot-detail-');
let server: FixtureApiServer;
let kubeconfig: string;

beforeAll(async () => {
  server = new FixtureApiServer({objects: await realisticCluster({mesh: 'istio', pods: 40, podsPerService: 4, faultShare: 0.2})});
  await server.start();
  kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig, {context: 'realistic'});
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, {recursive: true, force: true});
});

type Container = {name: string; resources?: unknown; volumeMounts?: unknown};
type Saved = {objectDetail: string; objects: {pods: {spec: {volumes?: unknown; containers: Container[]}}[]; secrets?: {data?: Record<string, string>}[]}};

describe('snapshot save: the fields checks read, or --full', () => {
  test('the default drops what no check reads, --full keeps it, and both replay to the same report', async () => {
    const kept = join(dir, 'kept.json');
    const full = join(dir, 'full.json');
    const savedKept = await runCli(['snapshot', 'save', kept, '--kubeconfig', kubeconfig], {timeoutMs: 60_000});
    const savedFull = await runCli(['snapshot', 'save', full, '--kubeconfig', kubeconfig, '--full'], {timeoutMs: 60_000});
    expect([savedKept.code, savedFull.code]).toEqual([0, 0]);
    expect(savedKept.stderr).toContain('the fields checks read');
    expect(savedFull.stderr).toContain('whole objects');

    const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Saved;
    const [k, f] = [read(kept), read(full)];
    expect([k.objectDetail, f.objectDetail]).toEqual(['checks', 'full']);
    expect(k.objects.pods).toHaveLength(f.objects.pods.length);
    // The 40 injected application pods (the control plane's stand-ins are lean).
    expect(f.objects.pods.filter((p) => p.spec.volumes !== undefined && p.spec.containers.some((c) => c.resources !== undefined)).length).toBeGreaterThanOrEqual(40);
    expect(k.objects.pods.every((p) => p.spec.volumes === undefined && p.spec.containers.every((c) => c.resources === undefined && c.volumeMounts === undefined))).toBe(true);
    expect(readFileSync(kept).length).toBeLessThan(readFileSync(full).length);

    const replay = async (file: string) => {
      const r = await runCli(['check', '--snapshot', file, '-o', 'json'], {timeoutMs: 60_000});
      // Each save is a collection of its own: a message may quote that run's metrics source (which
      // proxy answered first), so findings are compared by check, severity and subject.
      type Checked = {id: string; status: string; findings: {severity: string; subject: unknown}[]};
      return {code: r.code, checks: JSON.parse(r.stdout).checks.map((c: Checked) => [c.id, c.status, c.findings.map((f) => [f.severity, f.subject])])};
    };
    const [fromKept, fromFull] = [await replay(kept), await replay(full)];
    // The cluster has faults (faultShare): the comparison is over findings, not two empty reports.
    expect(fromFull.checks.some((c: [string, string, unknown[]]) => c[2].length > 0)).toBe(true);
    expect(fromKept).toEqual(fromFull);
  });
});
