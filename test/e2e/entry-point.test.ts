/**
 * The CLI runs whatever name it is started under. It used to decide by its own path whether to run,
 * so under a symlink such as `md`, or as krew's `kubectl-mesh_doctor`, it printed nothing and exited 0
 * — a silent pass in CI. Here it runs under three other names, and as a kubectl plugin through the
 * real kubectl (which finds `kubectl-<name>` on PATH).
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, test} from 'vitest';
import {BIN, ROOT} from '../helpers/cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'md-names-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const NAMES = ['md', 'kubectl-mesh_doctor', 'kubectl-meshdoctor'] as const;
for (const name of NAMES) symlinkSync(BIN, join(dir, name));

/** Runs a command, resolving with its exit code and output whatever the code. */
async function exec(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run(file, args, {cwd: ROOT, env: {...process.env, NO_COLOR: '1', ...env}, timeout: 120_000});
    return {code: 0, stdout, stderr};
  } catch (error) {
    const e = error as {code?: number; stdout?: string; stderr?: string};
    if (typeof e.code !== 'number') throw error;
    return {code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? ''};
  }
}

// The shebang finds this node first, so the test covers the Node it runs on.
const PATH = `${dir}:${join(process.execPath, '..')}:${process.env.PATH ?? ''}`;

describe('started under another name', () => {
  test.each(NAMES)('%s: check reports the example\'s findings and exits 1', async (name) => {
    const r = await exec(join(dir, name), ['check', '-f', 'examples/broken-shop', '--no-cluster'], {PATH});
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^\d+ checks: \d+ passed, 2 failed, .*findings: 2 errors/m);
    expect(r.stderr).toBe('');
  });

  test.each(NAMES)('%s: a bad flag is still exit 2 with one line', async (name) => {
    const r = await exec(join(dir, name), ['check', '--fail-on', 'nope'], {PATH});
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^meshdoctor: /);
  });
});

test('kubectl meshdoctor runs it as a plugin', async () => {
  const home = mkdtempSync(join(tmpdir(), 'md-kubectl-home-'));
  try {
    const r = await exec('kubectl', ['meshdoctor', 'check', '-f', 'examples/broken-shop', '--no-cluster', '-o', 'json'], {PATH, HOME: home});
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({schemaVersion: 1, summary: {findings: {error: 2}}});
    const version = await exec('kubectl', ['meshdoctor', '--version'], {PATH, HOME: home});
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  } finally {
    rmSync(home, {recursive: true, force: true});
  }
});
