/** Run the built CLI (`bin/meshdoctor.js`) as a user would, capturing stdout, stderr and the exit code. */
import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterAll, beforeAll, expect} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {fixtureKubeconfig} from '../../src/sim/api-server/kubeconfig-writer.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'meshdoctor.js');

export type CliResult = Readonly<{code: number | null; stdout: string; stderr: string}>;

export function runCli(args: readonly string[], options: {env?: NodeJS.ProcessEnv; input?: string; nodeArgs?: readonly string[]; cwd?: string; timeoutMs?: number} = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {...process.env, NO_COLOR: '1', ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary directory for one test file's inputs, and a writer into it (returns the path). */
export function scratch(prefix: string): {dir: string; write(name: string, text: string | Buffer): string} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/**
 * A fixture API server holding the rendered `text` (fixture tags allowed) for the tests of one
 * describe block: started before them, stopped after; `kubeconfig` and `server` are set once it serves.
 */
export function servedCluster(dir: string, text: () => string): {kubeconfig: string; server: FixtureApiServer} {
  const served = {kubeconfig: '', server: undefined as unknown as FixtureApiServer};
  beforeAll(async () => {
    const {objects} = await renderManifestTemplate(text());
    served.server = new FixtureApiServer({objects});
    await served.server.start();
    served.kubeconfig = join(dir, 'kubeconfig');
    served.server.writeKubeconfig(served.kubeconfig, {context: 'fixture'});
  });
  afterAll(async () => {
    await served.server?.stop();
  });
  return served;
}

/** A failed command's stderr is exactly one `meshdoctor: …` line, without a stack trace; returns it. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^meshdoctor: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

/**
 * Several clusters for one test file, as a platform team's kubeconfig has them: each server started
 * and its kubeconfig written to its own file (context = the key), plus one for every `down` context
 * whose server nothing answers (port 1: connection refused at once); KUBECONFIG merges the files as
 * kubectl does. Returns the environment a CLI run needs.
 */
export async function fleetEnv(write: (name: string, text: string) => string, servers: Readonly<Record<string, FixtureApiServer>>, down: readonly string[] = []): Promise<NodeJS.ProcessEnv> {
  const files: string[] = [];
  for (const [name, server] of Object.entries(servers)) {
    await server.start();
    files.push(write(`${name}.kubeconfig`, server.kubeconfig({context: name})));
  }
  for (const name of down) files.push(write(`${name}.kubeconfig`, fixtureKubeconfig({server: 'http://127.0.0.1:1'}, {context: name})));
  return {KUBECONFIG: files.join(delimiter)};
}
