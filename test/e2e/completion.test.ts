/**
 * Completion in the real shells and through the real kubectl: the scripts `meshdoctor completion
 * bash|zsh|fish` prints, driven the way each shell drives them, and `kubectl meshdoctor <TAB>`
 * through `bin/kubectl_complete-meshdoctor` (kubectl ≥ 1.26 runs it with the words typed).
 * Namespaces come from a live cluster (the fixture API server). bash, zsh and fish must be installed
 * (`.ci/run` installs them); a missing shell fails, never skips.
 */
import {execFile, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {BIN, ROOT, runCli} from '../helpers/cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'md-completion-'));
const binDir = join(dir, 'bin');
let server: FixtureApiServer;
let kubeconfig: string;

function requireShell(shell: string): void {
  if (spawnSync(shell, ['-c', 'exit 0']).status !== 0) throw new Error(`${shell} is needed for the completion tests: apt-get install -y ${shell}`);
}

beforeAll(async () => {
  spawnSync('mkdir', ['-p', binDir]);
  symlinkSync(BIN, join(binDir, 'meshdoctor'));
  symlinkSync(BIN, join(binDir, 'kubectl-meshdoctor'));
  symlinkSync(join(ROOT, 'bin', 'kubectl_complete-meshdoctor'), join(binDir, 'kubectl_complete-meshdoctor'));
  const ns = (name: string) => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name}});
  server = new FixtureApiServer({objects: [ns('shop'), ns('payments'), ns('istio-system')]});
  await server.start();
  kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig, {context: 'fixture'});
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, {recursive: true, force: true});
});

/** The node running the tests first on PATH, so the scripts' `meshdoctor` runs on it. */
const env = () => ({...process.env, PATH: `${binDir}:${join(process.execPath, '..')}:${process.env.PATH ?? ''}`, KUBECONFIG: kubeconfig, HOME: dir});

async function script(shell: string): Promise<string> {
  const r = await runCli(['completion', shell]);
  expect(r.code).toBe(0);
  const file = join(dir, `meshdoctor.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

describe('bash', () => {
  /** What bash would offer for the line (COMP_WORDS split at bash's word breaks, = included). */
  async function bash(line: string, compWords: string[]): Promise<string[]> {
    requireShell('bash');
    const file = await script('bash');
    const words = compWords.map((w) => `'${w}'`).join(' ');
    const program = `source '${file}'; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${words}); COMP_CWORD=${compWords.length - 1}; _meshdoctor; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const {stdout} = await run('bash', ['-c', program], {env: env()});
    return stdout.split('\n').filter(Boolean);
  }

  test('commands, flags, values, and namespaces from the cluster', async () => {
    expect(await bash('meshdoctor st', ['meshdoctor', 'st'])).toEqual(['stat']);
    expect(await bash('meshdoctor check --fail-on w', ['meshdoctor', 'check', '--fail-on', 'w'])).toEqual(['warning']);
    expect(await bash('meshdoctor stat -n sh', ['meshdoctor', 'stat', '-n', 'sh'])).toEqual(['shop']);
    // bash splits `--namespace=pa` into three words; the reply replaces only the last.
    expect(await bash('meshdoctor stat --namespace=pa', ['meshdoctor', 'stat', '--namespace', '=', 'pa'])).toEqual(['payments']);
    expect(await bash('meshdoctor --context ', ['meshdoctor', '--context', ''])).toEqual(['fixture']);
  });
});

describe('zsh', () => {
  test('the script offers what __complete answers, with descriptions', async () => {
    requireShell('zsh');
    const file = await script('zsh');
    // _describe and _files are zsh's completion system; here they print what they were given.
    const program = `compdef() { :; }; _describe() { local name=$4; print -rl -- "\${(@P)name}"; }; _files() { print FILES; }
source '${file}'
words=(meshdoctor check --fail-on ''); CURRENT=4; _meshdoctor
print -r -- '==='
words=(meshdoctor -n ''); CURRENT=3; _meshdoctor
print -r -- '==='
words=(meshdoctor check -f ''); CURRENT=4; _meshdoctor`;
    const {stdout} = await run('zsh', ['-f', '-c', program], {env: env()});
    const [failOn, namespaces, files] = stdout.trim().split('\n===\n');
    expect(failOn.split('\n')).toEqual(['error', 'warning', 'info']);
    expect(namespaces.split('\n')).toEqual(['istio-system', 'payments', 'shop']);
    expect(files).toBe('FILES');
  });
});

describe('fish', () => {
  test('complete -C offers commands, values and namespaces', async () => {
    requireShell('fish');
    const file = await script('fish');
    const program = `source '${file}'; complete -C 'meshdoctor chec'; echo ===; complete -C 'meshdoctor check --block tr'; echo ===; complete -C 'meshdoctor stat -n p'`;
    const {stdout} = await run('fish', ['--no-config', '-c', program], {env: env()});
    const [commands, blocks, namespaces] = stdout.trim().split('\n===\n');
    expect(commands.split('\n').map((l) => l.split('\t')[0])).toEqual(['check', 'checks']);
    expect(blocks.split('\n')).toEqual(['traffic-config', 'traffic-health']);
    expect(namespaces.split('\n')).toEqual(['payments']);
  });
});

test('kubectl meshdoctor <TAB>: kubectl runs kubectl_complete-meshdoctor and reads its answer', async () => {
  const {stdout} = await run('kubectl', ['__complete', 'meshdoctor', 'check', '--fail-on', ''], {env: env()});
  expect(stdout.split('\n').filter(Boolean)).toEqual(['error', 'warning', 'info', ':4']);
  const ns = await run('kubectl', ['__complete', 'meshdoctor', 'describe', 'pod', 'sh'], {env: env()});
  expect(ns.stdout.split('\n').filter(Boolean)).toEqual(['shop/', ':6']);
});

test('__complete never fails: an unreachable cluster is fewer candidates, exit 0', async () => {
  const dead = join(dir, 'dead-kubeconfig');
  writeFileSync(dead, 'apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: x, namespace: team}}]\nclusters: [{name: x, cluster: {server: "http://127.0.0.1:1"}}]\n');
  const r = await runCli(['__complete', '--kubeconfig', dead, '-n', ''], {env: {HOME: dir}});
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  // The context's own namespace, from the kubeconfig.
  expect(r.stdout).toBe('team\n:4\n');
});
