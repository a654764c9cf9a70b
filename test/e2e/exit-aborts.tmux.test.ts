/**
 * Quitting never waits for a stalled API server. With every API request stalled (the first list
 * never answers, `--request-timeout 90s`), `q`, SIGTERM and SIGHUP restore the terminal and end the
 * process at once: the engine aborts its requests in flight instead of leaving them to time out.
 * The waits below are deadlines far shorter than the stall and the request timeout.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {BIN} from '../helpers/cli.js';
import {requireTmux, Tmux} from '../helpers/tmux.js';
import type {Screen} from '../helpers/tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'md-exit-'));
const STALL_MS = 180_000;
let api: FixtureApiServer;
let kubeconfig: string;

function exitLine(s: Screen): string | undefined {
  return s.lines.map((l) => l.trim()).find((l) => /^EXIT=\d+$/.test(l));
}

describe('quitting while the API server stalls', () => {
  const term = new Tmux(100, 30, {NO_COLOR: '1', CI: process.env.CI ?? ''});
  beforeAll(async () => {
    requireTmux();
    api = new FixtureApiServer({faults: [{match: '/api', delayMs: STALL_MS}]});
    await api.start();
    kubeconfig = join(dir, 'kubeconfig');
    api.writeKubeconfig(kubeconfig);
    term.start(dir);
  });
  afterAll(async () => {
    term.kill();
    await api?.stop();
  });

  test.each([
    ['q', 0],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s ends the process at once (exit %i)', async (how, code) => {
    term.run(`clear; ${process.execPath} ${BIN} --kubeconfig ${kubeconfig} --request-timeout 90s; echo "EXIT=$?"`);
    await term.waitFor('the first frame', (s) => /meshdoctor/.test(s.text) && exitLine(s) === undefined, 20_000);
    // The engine is waiting on the stalled discovery by now.
    await term.waitFor('the stalled request', () => api.requests.some((r) => r.path.startsWith('/api')), 20_000);
    if (how === 'q') term.keys('q');
    else {
      const pid = term.childPid();
      expect(pid).toBeDefined();
      process.kill(pid!, how);
    }
    const s = await term.waitFor('the shell', (x) => exitLine(x) !== undefined, 30_000);
    expect(exitLine(s)).toBe(`EXIT=${code}`);
    api.clearRequests();
  }, 120_000);
});
