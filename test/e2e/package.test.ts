/**
 * The npm package ships only what runs (issue 19): the bundled application, the data it reads
 * (runbooks, scenarios and their compiled form) and the entry point — not the unbundled modules,
 * the benchmarks, source maps or tests — and those files run on their own. The bundled libraries
 * (Ink, the Kubernetes client, @peculiar/x509…) are build-time dependencies.
 */
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {listScenarios} from '../../src/sim/demo/catalog.js';
import {ROOT} from '../helpers/cli.js';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'md-pack-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

type Packed = {files: {path: string}[]; filename: string};

/** `npm pack` without its prepack build: `npm test` has just built dist/. */
async function pack(...args: string[]): Promise<Packed> {
  const {stdout} = await run('npm', ['pack', '--json', '--ignore-scripts', ...args], {cwd: ROOT, timeout: 120_000});
  return (JSON.parse(stdout) as Packed[])[0];
}

describe('npm pack', () => {
  let files: string[];
  beforeAll(async () => {
    files = (await pack('--dry-run')).files.map((f) => f.path).sort();
  });

  test('ships the entry point, the bundled application, the data it reads, and the licence', () => {
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/meshdoctor.js', 'bin/kubectl_complete-meshdoctor', 'dist/app/main.js', 'deploy/rbac.yaml',
      'schemas/check-report.schema.json', 'schemas/check-clusters-report.schema.json', 'schemas/stat-clusters-report.schema.json', 'schemas/stat-report.schema.json', 'schemas/meshdoctor-config.schema.json',
      'schemas/describe-report.schema.json', 'schemas/runbook-report.schema.json', 'schemas/proxy-config-report.schema.json', 'schemas/logs-report.schema.json',
    ]));
    const app = readdirSync(join(ROOT, 'dist', 'app')).filter((f) => f.endsWith('.js')).map((f) => `dist/app/${f}`);
    expect(files.filter((f) => f.startsWith('dist/app/'))).toEqual(app.sort());
    for (const check of allChecks) expect(files, check.id).toContain(`runbooks/${check.block}/${check.slug}.md`);
    for (const scenario of listScenarios()) {
      expect(files).toContain(`scenarios/${scenario.name}/scenario.yaml`);
      expect(files).toContain(`dist/scenarios/${scenario.name}/scenario.yaml.json`);
    }
  });

  test('ships nothing that does not run: no unbundled modules, benchmarks, source maps, sources or tests', () => {
    expect(files.filter((f) => /^(dist\/(src|bench|checks|test)\/|src\/|test\/|checks\/|bench\/|examples\/|\.ci\/)|\.map$|\.ts$|chunks\.json$/.test(f))).toEqual([]);
  });

  test('bundled libraries are build-time dependencies; what dist/app imports is a runtime one', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>};
    for (const bundled of ['@kubernetes/client-node', '@peculiar/x509', 'ink', 'chalk', 'string-width', 'reflect-metadata', 'punycode']) {
      expect(pkg.dependencies[bundled], bundled).toBeUndefined();
      expect(pkg.devDependencies[bundled], bundled).toBeDefined();
    }
    // prepare would run on every install and make npm warn about install scripts.
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('npm run build');
  });
});

describe('the packed files on their own', () => {
  let root: string;
  beforeAll(async () => {
    const {filename} = await pack('--pack-destination', tmp);
    await run('tar', ['-xzf', join(tmp, filename), '-C', tmp]);
    root = join(tmp, 'package');
    // The packages the application imports at run time (the repository's: npm would install them).
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  });

  test('check, runbook and checks run from the unpacked tarball', async () => {
    expect(existsSync(join(root, 'dist', 'src'))).toBe(false);
    const cli = (args: string[]) => run(process.execPath, [join(root, 'bin', 'meshdoctor.js'), ...args], {cwd: tmp, env: {...process.env, NO_COLOR: '1'}}).then(
      (r) => ({code: 0, ...r}),
      (e: {code: number; stdout: string; stderr: string}) => ({code: e.code, stdout: e.stdout, stderr: e.stderr}),
    );
    const check = await cli(['check', '-f', join(ROOT, 'examples', 'broken-shop'), '--no-cluster', '-o', 'json']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).summary.findings.error).toBe(2);
    const runbook = await cli(['runbook', 'MD5103', '--for', 'shop/cart']);
    expect(runbook.code).toBe(0);
    expect(runbook.stdout).toMatch(/^## Diagnosis$/m);
    const checks = await cli(['checks', '-o', 'json']);
    expect(JSON.parse(checks.stdout)).toHaveLength(allChecks.length);
  });
});
