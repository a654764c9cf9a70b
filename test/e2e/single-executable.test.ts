/**
 * The single executable (`npm run package`, src/build-package.ts): a Node LTS binary from the npm
 * registry with the application and its data inside. It runs with no Node on PATH — as the issue's
 * `env -i PATH=/usr/bin:/bin ./meshdoctor check …`, and with a PATH holding nothing at all — and as
 * `kubectl meshdoctor`; its archive and krew manifest agree. `npm test` builds dist/ first; this test
 * packages it (the Node binary is cached under node_modules/.cache after the first download).
 */
import {execFile, execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {parse} from 'yaml';
import {allChecks} from '../../checks/index.js';
import {ROOT} from '../helpers/cli.js';
import {startLiveIstio} from '../helpers/live-istio.js';

const execFileP = promisify(execFile);
const OUT = join(ROOT, 'dist', 'package');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string; config: {seaNodeVersion: string}};
const target = `${process.platform}-${process.arch}`;
const dir = join(OUT, `meshdoctor-v${pkg.version}-${target}`);
const EXE = join(dir, 'meshdoctor');
const tmp = mkdtempSync(join(tmpdir(), 'md-sea-'));
const empty = join(tmp, 'empty-path');
mkdirSync(empty);

type Run = {code: number; stdout: string; stderr: string};
async function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  try {
    const {stdout, stderr} = await execFileP(file, args, {cwd, env, timeout: 120_000});
    return {code: 0, stdout, stderr};
  } catch (error) {
    const e = error as {code?: number; stdout?: string; stderr?: string};
    if (typeof e.code !== 'number') throw error;
    return {code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? ''};
  }
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'src', 'build-package.js')], {cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe']});
}, 600_000);
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe('the executable, with no Node on PATH', () => {
  test('the issue\'s command: env -i PATH=/usr/bin:/bin ./meshdoctor check -f examples/broken-shop --no-cluster', async () => {
    const r = await run('/usr/bin/env', ['-i', 'PATH=/usr/bin:/bin', EXE, 'check', '-f', 'examples/broken-shop', '--no-cluster'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${allChecks.length} checks: \\d+ passed, 2 failed, .*findings: 2 errors`, 'm'));
  });

  test('a PATH with nothing on it: version, runbooks and scenarios unpacked from inside the executable', async () => {
    const env = {PATH: empty, HOME: join(tmp, 'home')};
    const version = await run(EXE, ['--version'], env);
    expect(version).toEqual({code: 0, stdout: `${pkg.version}\n`, stderr: ''});
    const runbook = await run(EXE, ['runbook', 'MD5103', '--for', 'shop/cart'], env);
    expect(runbook.code).toBe(0);
    expect(runbook.stdout).toMatch(/^## Mitigation$/m);
    const demo = await run(EXE, ['demo', '--list'], env);
    expect(demo.stdout).toMatch(/^ {2}istio-shop +\S/m);
    // Unpacked once, under the user's cache directory.
    expect(readdirSync(join(tmp, 'home', '.cache', 'meshdoctor'))).toEqual([expect.stringMatching(new RegExp(`^${pkg.version.replace(/\./g, '\\.')}-[0-9a-f]{16}$`))]);
    const checks = JSON.parse((await run(EXE, ['checks', '-o', 'json'], env)).stdout) as unknown[];
    expect(checks).toHaveLength(allChecks.length);
  });

  test('an unwritable home: the data files go to the temporary directory instead', async () => {
    const temp = join(tmp, 't');
    mkdirSync(temp);
    const r = await run(EXE, ['runbook', 'MD5103'], {PATH: empty, HOME: '/proc/nonexistent', TMPDIR: temp});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# MD5103/m);
    expect(readdirSync(temp)).toEqual([`meshdoctor-${process.getuid!()}`]);
  });

  test('a live check on its own Node prints nothing on stderr (no deprecation warnings)', async () => {
    const kubeconfig = join(tmp, 'kubeconfig');
    const server = await startLiveIstio(kubeconfig);
    try {
      const r = await run(EXE, ['check', '--kubeconfig', kubeconfig, '-o', 'json'], {PATH: empty, HOME: join(tmp, 'home')});
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).context).toBe('fixture');
      expect(server.nonGetRequests()).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('as a kubectl plugin', () => {
  test('kubectl meshdoctor runs it, and completes through kubectl_complete-meshdoctor', async () => {
    const plugins = join(tmp, 'plugins');
    mkdirSync(plugins);
    symlinkSync(EXE, join(plugins, 'kubectl-meshdoctor'));
    symlinkSync(join(dir, 'kubectl_complete-meshdoctor'), join(plugins, 'kubectl_complete-meshdoctor'));
    const kubectl = execFileSync('sh', ['-c', 'command -v kubectl'], {encoding: 'utf8'}).trim();
    // Only the plugins on PATH (kubectl itself by its path): no Node anywhere on it.
    const env = {PATH: plugins, HOME: join(tmp, 'home')};
    expect(readdirSync(plugins).sort()).toEqual(['kubectl-meshdoctor', 'kubectl_complete-meshdoctor']);
    const r = await run(kubectl, ['meshdoctor', 'check', '-f', 'examples/broken-shop', '--no-cluster', '-o', 'json'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).summary.findings.error).toBe(2);
    const completion = await run(kubectl, ['__complete', 'meshdoctor', 'check', '--fail-on', ''], env);
    expect(completion.stdout.split('\n').filter(Boolean)).toEqual(['error', 'warning', 'info', ':4']);
  });
});

describe('the archive and the krew manifest', () => {
  test('the manifest names the archive by its sha256, per platform, with the files it holds', async () => {
    const archive = `${dir}.tar.gz`;
    const manifest = parse(readFileSync(join(OUT, 'meshdoctor.yaml'), 'utf8')) as {
      apiVersion: string; kind: string; metadata: {name: string};
      spec: {version: string; shortDescription: string; platforms: {selector: {matchLabels: Record<string, string>}; uri: string; sha256: string; files: {from: string; to: string}[]; bin: string}[]};
    };
    expect(manifest).toMatchObject({apiVersion: 'krew.googlecontainertools.github.com/v1alpha2', kind: 'Plugin', metadata: {name: 'meshdoctor'}, spec: {version: `v${pkg.version}`}});
    const [platform] = manifest.spec.platforms;
    expect(manifest.spec.platforms).toHaveLength(1);
    expect(platform.selector.matchLabels).toEqual({os: 'linux', arch: process.arch === 'x64' ? 'amd64' : 'arm64'});
    expect(platform.sha256).toBe(createHash('sha256').update(readFileSync(archive)).digest('hex'));
    expect(platform.uri.endsWith(`/meshdoctor-v${pkg.version}-${target}.tar.gz`)).toBe(true);
    expect(platform.bin).toBe('meshdoctor');
    const listed = execFileSync('tar', ['-tzf', archive], {encoding: 'utf8'}).trim().split('\n').sort();
    expect(listed).toEqual(['LICENSE', 'README.md', 'kubectl_complete-meshdoctor', 'meshdoctor']);
    for (const f of platform.files) expect(listed).toContain(f.from);
    expect(manifest.spec.shortDescription.length).toBeLessThanOrEqual(64);
  });
});
