/**
 * The TUI in a real terminal (tmux, 120×40) against `meshdoctor demo istio-shop`, as an on-call
 * engineer would use it: numbers within 3 s, the failing canary on top in red, filter, drill-down,
 * checks, help, a runbook walkthrough (verify, done, esc, reopen: state kept), resizing (80×24 and
 * back, 50×12 shows the notice); the Services view at 60×15, 79×40, 80×24, 120×40 and 220×60; k9s
 * habits (:ns picker, double esc, / by Service name); every way out restores the shell with the
 * right exit code.
 */
import {spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {BIN, ROOT} from '../helpers/cli.js';
import {colourAt, requireTmux, stripSgr, Tmux} from '../helpers/tmux.js';
import type {Screen} from '../helpers/tmux.js';

const RED = 31;
const ENV = {NO_COLOR: '', FORCE_COLOR: '', CI: process.env.CI ?? ''};
const tmp = mkdtempSync(join(tmpdir(), 'md-tui-e2e-'));
const cmd = `${process.execPath} ${BIN}`;

/** The rows of the Services table: the lines under its column header (with their colour codes when captured with them). */
function rowsOf(s: Screen): string[] {
  const header = s.lines.findIndex((l) => /WORKLOAD\s+.*SUCCESS/.test(stripSgr(l)));
  // The legend line under the rows explains the letters after a success rate: not a row.
  return header < 0 ? [] : s.lines.slice(header + 1).filter((l) => /^[▸ ] \S/.test(stripSgr(l)) && !/callers/.test(stripSgr(l)));
}

/** `EXIT=n` as the shell printed it — alone on its line, or after the prompt when typed-ahead input was cleared. */
function exitLine(s: Screen): string | undefined {
  return s.lines.map((l) => /(?:^|\s)(EXIT=\d+)$/.exec(l.trim())?.[1]).find((x) => x !== undefined);
}

describe('meshdoctor demo istio-shop in tmux', () => {
  const term = new Tmux(120, 40, ENV);
  beforeAll(() => {
    requireTmux();
    term.start(ROOT);
  });
  afterAll(() => term.kill());

  test('the whole on-call flow', {timeout: 300_000}, async () => {
    term.run(`${cmd} demo istio-shop; echo "EXIT=$?"`);

    // The scenario's workloads, with numbers. How soon (first frame, first data frame) is measured by
    // `npm run bench`; the wait here only allows for a loaded machine.
    const first = await term.waitFor('workloads with numbers', (s) => {
      const rows = rowsOf(s);
      return ['checkout-v2', 'checkout-v1', 'frontend', 'cart', 'ledger'].every((w) => rows.some((r) => r.includes(w) && /\d(ms|s)\b/.test(r)));
    }, 60_000);
    expect(first.lines[0]).toMatch(/meshdoctor\s+ctx meshdoctor-demo-istio-shop\s+istio 1\.27\.1/);

    // The incident: the canary on top, its (client-side) success rate red.
    const canary = await term.waitFor('the canary on top in red', (s) => {
      const top = rowsOf(s)[0];
      return top !== undefined && /shop\s+checkout-v2/.test(stripSgr(top)) && colourAt(top, '% c') === RED;
    }, 10_000, true);
    expect(stripSgr(rowsOf(canary)[0])).toMatch(/\d\d\.\d% c/);

    // / filters.
    term.keys('/', 'l:ledger', 'Enter');
    await term.waitFor('only ledger', (s) => rowsOf(s).length === 1 && /payments\s+ledger/.test(rowsOf(s)[0]) && s.lines[1].includes('Services /ledger'));
    term.keys('Escape');
    await term.waitFor('the filter cleared', (s) => rowsOf(s).length >= 10);

    // enter drills down, esc comes back.
    term.keys('g', 'Enter');
    await term.waitFor('the canary\'s workload view', (s) => s.lines[1].includes('Services › shop/checkout-v2') && s.text.includes('Inbound') && s.text.includes('Pods (1)'));
    term.keys('Escape');
    await term.waitFor('Services again', (s) => /WORST FINDING/.test(s.text));

    // c: the checks view; ?: help.
    term.keys('c');
    await term.waitFor('the checks view', (s) => s.lines[1].includes('Services › Checks') && /^ cluster /m.test(s.text) && s.text.includes('MD1001'));
    // A key typed right after Esc would reach the app as one escape sequence: wait in between, as a person does.
    term.keys('Escape');
    await term.waitFor('Services again', (s) => /WORST FINDING/.test(s.text));
    term.keys('?');
    await term.waitFor('help', (s) => s.lines[1].includes('Help') && s.text.includes('copy the step'));
    term.keys('Escape');
    await term.waitFor('Services again', (s) => /WORST FINDING/.test(s.text));

    // The canary's worst finding (its success rate under the SLO, as its callers see it) → its runbook;
    // verify, mark done, esc, reopen: state kept.
    await term.waitFor('the canary\'s finding, by name', (s) => /checkout-v2.*✖ success rate below/.test(rowsOf(s)[0] ?? ''), 60_000);
    term.keys('g', 'r');
    await term.waitFor('the runbook', (s) => s.text.includes('MD6001') && s.text.includes('for Deployment shop/checkout-v2') && s.text.includes('0/11 done'));
    term.keys('j', 'j', 'j', 'j', 'j', 'v');
    const verified = await term.waitFor('the verify result', (s) => /[✔✖?] check MD6001 → /.test(s.text), 60_000);
    expect(verified.text).toMatch(/✖ check MD6001 → \d+ findings?, 1 on Deployment shop\/checkout-v2/);
    term.keys('Space');
    await term.waitFor('a step done', (s) => s.text.includes('1/11 done'));
    term.keys('Escape');
    await term.waitFor('Services again', (s) => /WORST FINDING/.test(s.text));
    term.keys('g', 'r');
    const reopened = await term.waitFor('the same walkthrough', (s) => s.text.includes('1/11 done'));
    expect(reopened.text).toMatch(/✔ 6\. Verify once the rate recovers\. ✖/);
    term.keys('Escape');

    // Resizing: 80×24 and back; 50×12 shows the notice.
    term.resize(80, 24);
    const small = await term.waitFor('the 80×24 layout', (s) => /^ meshdoctor/.test(s.lines[0]) && /WORKLOAD/.test(s.text) && s.lines.length <= 25 && /enter open/.test(s.lines[22] ?? ''));
    expect(small.lines.every((l) => [...l].length <= 80)).toBe(true);
    term.resize(120, 40);
    await term.waitFor('the 120×40 layout again', (s) => /P99\s+FLAGS/.test(s.text) && /enter open/.test(s.lines[38] ?? '') && rowsOf(s).length >= 10);
    term.resize(50, 12);
    await term.waitFor('the too-small notice', (s) => s.lines[0].startsWith('Terminal too small') && s.text.includes('50×12'));
    term.resize(120, 40);
    const back = await term.waitFor('the layout after the notice', (s) => /WORST FINDING/.test(s.text) && rowsOf(s).length >= 10);
    expect(back.text).not.toContain('Terminal too small');

    // q: the shell is back, exit code 0.
    term.keys('q');
    const done = await term.waitFor('the shell again', (s) => exitLine(s) !== undefined, 60_000);
    expect(exitLine(done)!.trim()).toBe('EXIT=0');
    // The command line is back as typed (joined: a long path to node wraps it, as in CI's second Node).
    expect(term.joinedText()).toMatch(/^[$#] .*bin\/meshdoctor\.js demo istio-shop; echo "EXIT=\$\?"\s*$/m);
    expect(done.text).not.toContain('WORST FINDING');
  });
});

describe('the Services view at every size, and k9s habits (tmux)', () => {
  const term = new Tmux(60, 15, ENV);
  beforeAll(() => {
    requireTmux();
    term.start(ROOT);
  });
  afterAll(() => term.kill());

  /** The frame at this size: the header (source, age, clock), the canary on top with success, RPS and p99, the legend and the hints on their rows — nothing wrapped. */
  function laidOut(s: Screen, columns: number, rows: number): boolean {
    const l = s.lines.map(stripSgr);
    const canary = rowsOf(s)[0] === undefined ? '' : stripSgr(rowsOf(s)[0]);
    // capture-pane ends the last row with a newline: rows + 1 elements, the last one empty.
    return l.length <= rows + 1 && l.slice(rows).every((x) => x === '') && l.every((x) => [...x].length <= columns)
      && /(prometheus|proxies) (just now|\d+s ago).*\d\d:\d\d:\d\d/.test(l[0])
      && /checkout-v2\s+(\d+\/\d+\s+)?\d+\.\d% c\s+\d+(\.\d+)?\s+.*\d+(\.\d+)?m?s\b/.test(canary)
      && /callers/.test(l[rows - 4] ?? '') && /\? help\s+q quit/.test(l[rows - 2] ?? '');
  }

  test('60×15, 79×40, 80×24, 120×40, 220×60: the canary\'s row with success, RPS and p99, no line wider than the terminal', {timeout: 120_000}, async () => {
    term.run(`${cmd} demo istio-shop; echo "EXIT=$?"`);
    for (const [columns, rows] of [[60, 15], [79, 40], [80, 24], [120, 40], [220, 60]] as const) {
      if (columns !== 60) term.resize(columns, rows);
      const s = await term.waitFor(`the ${columns}×${rows} layout`, (x) => laidOut(x, columns, rows), columns === 60 ? 30_000 : 10_000);
      expect(s.lines.every((l) => [...stripSgr(l)].length <= columns), `${columns}×${rows}`).toBe(true);
    }

    // k9s habits: :ns picks a namespace from a list; two quick escs go back twice; / finds the canary by its Service.
    term.keys(':', 'l:ns', 'Enter');
    await term.waitFor('the namespace picker', (s) => s.lines[1].includes('Namespaces') && /\(all namespaces\)/.test(s.text) && /payments\s+2\s+0/.test(s.text));
    term.keys('j', 'j', 'Enter');
    await term.waitFor('payments only', (s) => s.lines[1].includes('Services (ns payments)') && rowsOf(s).length === 2);
    term.keys(':', 'l:ns all', 'Enter');
    await term.waitFor('every namespace', (s) => rowsOf(s).length >= 10);
    term.keys('g', 'Enter');
    await term.waitFor('the canary\'s workload view', (s) => s.lines[1].includes('Services › shop/checkout-v2'));
    term.keys('c');
    await term.waitFor('checks over it', (s) => s.lines[1].includes('shop/checkout-v2 › Checks'));
    term.keys('Escape', 'Escape');
    await term.waitFor('Services, two views back', (s) => /^ Services\s/.test(s.lines[1]) && !s.lines[1].includes('›') && rowsOf(s).length >= 10);
    term.keys('/', 'l:checkout-canary', 'Enter');
    await term.waitFor('the workload behind the failing Service', (s) => s.lines[1].includes('/checkout-canary') && rowsOf(s).length === 1 && /shop\s+checkout-v2/.test(stripSgr(rowsOf(s)[0])));
    term.keys('q');
    const done = await term.waitFor('the shell again', (s) => exitLine(s) !== undefined, 15_000);
    expect(exitLine(done)!.trim()).toBe('EXIT=0');
  });
});

type Served = {child: ChildProcess; kubeconfig: string};

async function serve(): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'demo', 'istio-shop', '--serve'], {cwd: ROOT, env: {...process.env, NO_COLOR: '1', TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo --serve not ready:\n${out}`)), 120_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^kubeconfig: (.+)$/m.exec(out);
      if (m && /^api-server: /m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`demo --serve exited ${code}`)));
  });
  return {child, kubeconfig};
}

describe('every way out restores the terminal (against demo --serve)', () => {
  let served: Served;
  const term = new Tmux(120, 40, ENV);
  beforeAll(async () => {
    requireTmux();
    term.start(ROOT);
    served = await serve();
  });
  afterAll(() => {
    term.kill();
    served?.child.kill('SIGINT');
    rmSync(tmp, {recursive: true, force: true});
  });

  /**
   * Runs a command line on a cleared screen. The screen is seen cleared before the command is sent:
   * otherwise, on a loaded machine, the previous test's "EXIT=n" can still be on screen when the
   * next wait looks for one.
   */
  async function run(line: string): Promise<void> {
    term.run('clear');
    await term.waitFor('a cleared screen', (s) => exitLine(s) === undefined);
    term.run(line);
  }

  async function open(extra = ''): Promise<void> {
    await run(`${cmd} --kubeconfig ${served.kubeconfig} --metrics-source proxies${extra}; echo "EXIT=$?"`);
    await term.waitFor('the UI', (s) => /WORST FINDING/.test(s.text) && rowsOf(s).some((r) => /\d+\.\d+/.test(r)), 60_000);
  }

  test('Ctrl-C quits with the shell restored and exit code 0', async () => {
    await open();
    term.keys('C-c');
    const s = await term.waitFor('the shell', (x) => exitLine(x) !== undefined);
    expect(exitLine(s)!.trim()).toBe('EXIT=0');
    expect(s.text).not.toContain('WORST FINDING');
  });

  test('NO_COLOR: no colour at all, the selection still marked', async () => {
    await run(`NO_COLOR=1 ${cmd} --kubeconfig ${served.kubeconfig} --metrics-source proxies; echo "EXIT=$?"`);
    const s = await term.waitFor('the UI', (x) => /WORST FINDING/.test(x.text) && rowsOf(x).some((r) => /\d+\.\d+/.test(r)), 60_000, true);
    expect(s.text).not.toMatch(/\u001b\[[0-9;]*(3[0-7]|9[0-7])m/);
    expect(rowsOf(s).filter((r) => stripSgr(r).startsWith('▸ '))).toHaveLength(1);
    term.keys('q');
    expect(exitLine(await term.waitFor('the shell', (x) => exitLine(x) !== undefined))!.trim()).toBe('EXIT=0');
  });

  test('SIGTERM quits with the shell restored and exit code 143', async () => {
    await open();
    const pid = term.childPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGTERM');
    const s = await term.waitFor('the shell', (x) => exitLine(x) !== undefined);
    expect(exitLine(s)!.trim()).toBe('EXIT=143');
    expect(s.text).not.toContain('WORST FINDING');
  });

  test('a crash (an uncaught error) restores the terminal, prints one line and exits 3', async () => {
    // Preloaded into the CLI: once the UI is up, SIGUSR2 makes a timer throw — nothing catches it.
    // (A fixed delay would fire before the UI on a loaded machine.)
    const crash = join(tmp, 'crash.mjs');
    writeFileSync(crash, "process.on('SIGUSR2', () => setTimeout(() => { throw new Error('simulated crash'); }, 0));\n");
    await run(`${process.execPath} --import ${crash} ${BIN} --kubeconfig ${served.kubeconfig} --metrics-source proxies; echo "EXIT=$?"`);
    await term.waitFor('the UI', (s) => /WORST FINDING/.test(s.text), 60_000);
    const pid = term.childPid();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGUSR2');
    const s = await term.waitFor('the shell', (x) => exitLine(x) !== undefined, 60_000);
    expect(exitLine(s)!.trim()).toBe('EXIT=3');
    expect(s.text).toMatch(/meshdoctor: internal error: simulated crash/);
    expect(s.text).not.toContain('WORST FINDING');
  });

  test('--at with the proxy source is a usage error: one line, exit 2, no UI', async () => {
    await run(`${cmd} --kubeconfig ${served.kubeconfig} --metrics-source proxies --at 2024-05-01T12:00:00Z; echo "EXIT=$?"`);
    const s = await term.waitFor('the error', (x) => exitLine(x) !== undefined);
    expect(exitLine(s)!.trim()).toBe('EXIT=2');
    expect(s.text).toMatch(/meshdoctor: --at needs the Prometheus source/);
  });

  test('the pod drill-down: the canary\'s failing edge → the caller\'s Envoy view of it → its proxy log searched for the failures', async () => {
    try {
      await open();
      await term.waitFor('the canary on top', (s) => /shop\s+checkout-v2/.test(stripSgr(rowsOf(s)[0] ?? '')), 30_000);
      term.keys('g', 'Enter');
      await term.waitFor('the canary\'s workload view', (s) => s.lines[1].includes('shop/checkout-v2') && /← shop\/frontend .* flags UF/.test(s.text), 30_000);
      // Down to the inbound edge whose requests reached no pod (UF,URX), then e.
      const selected = (s: Screen) => s.lines.find((l) => l.startsWith('▸')) ?? '';
      for (let i = 0; i < 30 && !/← shop\/frontend .* flags UF/.test(selected(term.capture())); i++) {
        const before = selected(term.capture());
        term.keys('j');
        // One step at a time: the next j only once the selection has moved.
        await term.waitFor('the selection to move', (s) => selected(s) !== before, 10_000);
      }
      term.keys('e');
      const envoy = await term.waitFor('the caller\'s Envoy view', (s) => s.text.includes('Upstream checkout-canary.shop.svc.cluster.local') && s.text.includes('EJECTED (outlier detection)'), 30_000);
      expect(envoy.text).toMatch(/0 of 1 endpoint\(s\) healthy/);
      expect(envoy.lines.every((l) => [...l].length <= 120)).toBe(true);
      term.keys('2');
      await term.waitFor('the proxy log', (s) => s.text.includes('2 proxy log') && s.lines.filter((l) => l.startsWith('[')).length > 10, 30_000);
      term.keys('/', 'l:UF,URX', 'Enter');
      const log = await term.waitFor('a failing request in the proxy log', (s) => s.lines.some((l) => l.includes('▸') && l.includes('503 UF,URX')), 30_000);
      expect(log.text).toContain('paused (f follows)');
      term.keys('q');
      expect(exitLine(await term.waitFor('the shell', (x) => exitLine(x) !== undefined))!.trim()).toBe('EXIT=0');
    } catch (error) {
      // Leave the UI, so the next test types into a shell and not into it.
      term.keys('q');
      await term.waitFor('the shell', (x) => exitLine(x) !== undefined).catch(() => undefined);
      throw error;
    }
  }, 120_000);

  test('meshdoctor runbook on a terminal walks the runbook, copies with OSC 52, and --record writes the incident log', async () => {
    const log = join(tmp, 'incident.md');
    await run(`${cmd} runbook MD6007 --for shop/checkout-canary --kubeconfig ${served.kubeconfig} --metrics-source proxies --record ${log}; echo "EXIT=$?"`);
    // The runbook is filled from the cluster's objects (and the callers from its metrics) before it opens.
    await term.waitFor('the walkthrough', (s) => s.text.includes('MD6007') && s.text.includes('for shop/checkout-canary') && s.text.includes('Step 1 of 10'), 60_000);
    term.keys('y');
    await term.waitFor('the copy message', (s) => s.text.includes('copied 3 commands of diagnosis-1'));
    expect(term.buffer()).toMatch(/^meshdoctor --context meshdoctor-demo-istio-shop proxy-config frontend-\S+ -n shop endpoints$/m);
    term.keys('j', 'j', 'j', 'j', 'v');
    await term.waitFor('the verify result', (s) => /[✔✖] check MD6007 → /.test(s.text), 60_000);
    term.keys('Space', 'q');
    const s = await term.waitFor('the shell', (x) => exitLine(x) !== undefined);
    expect(exitLine(s)!.trim()).toBe('EXIT=0');
    expect(existsSync(log)).toBe(true);
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/^# MD6007 — /);
    expect(text).toMatch(/diagnosis-5 · verify: check MD6007 → (pass|fail)/);
    expect(text).toMatch(/- \[x\] diagnosis-5: Verify after the change\./);
  });
});
