/**
 * Copying a runbook command (`y`, OSC 52) and pasting it into a real shell runs nothing but the
 * command shown. The walkthrough runs in tmux (which takes OSC 52 into its paste buffer), the buffer
 * is pasted into bash in another window, and bash tells what it ran. Runbooks are filled from the
 * cluster's objects (a fixture API server): a Service whose selector's label value holds shell
 * syntax is copied shell-quoted and reaches the command as one literal argument; one whose value
 * holds control characters — the end of a bracketed paste, Ctrl-U (kill the line), Ctrl-O (run it),
 * ESC, OSC, CSI, C1 CSI, RLO, BS, BEL — is refused for copy, with a message, so nothing reaches the
 * shell. (`--for` itself must be a NAMESPACE/NAME Kubernetes could hold: anything else is exit 2.)
 */
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {BIN, servedCluster} from '../helpers/cli.js';
import {requireTmux, Tmux} from '../helpers/tmux.js';
import type {Screen} from '../helpers/tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'md-paste-'));
const cmd = `${process.execPath} ${BIN}`;
const SHELL = 'e2e:shell';

/** Typed into bash after the end of the bracketed paste: Ctrl-U kills the line, Ctrl-O runs what follows. */
const ESCAPE_AND_RUN = '\u001b[201~\u0015touch${IFS}pwned-keys\u000f';
const HOSTILE = [
  ['bracketed-paste escape', `x${ESCAPE_AND_RUN}`],
  ['terminal sequences', 'x\u001b]0;title\u0007\u001b]52;c;dG91Y2ggcHduZWQ=\u0007\u001b[2J\u009b31m\u202eevil\u0008\u0007'],
] as const;
const SHELL_SYNTAX = '$(touch${IFS}pwned-subst);touch${IFS}pwned-semicolon';

/** A YAML double-quoted string holding exactly `value` (every character outside printable ASCII escaped). */
function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Service shop/cart-N selects `app: <value>`: the runbook's step 3 lists its pods with `-l app=<value>`. */
const VALUES = [SHELL_SYNTAX, ...HOSTILE.map(([, value]) => value)];
const served = servedCluster(dir, () => VALUES.map((value, i) => [
  'apiVersion: v1', 'kind: Service', `metadata: {name: cart-${i}, namespace: shop}`, `spec: {selector: {app: ${yamlString(value)}}, ports: [{port: 8080}]}`,
].join('\n')).join('\n---\n'));

function shellScreen(term: Tmux): string {
  return term.tmux('capture-pane', '-p', '-t', SHELL);
}

function buffers(term: Tmux): string[] {
  return term.tmux('list-buffers', '-F', '#{buffer_name}').split('\n').filter(Boolean);
}

let marker = 0;
/** Paste the newest buffer into bash, press Enter, and wait until bash has dealt with all of it. */
async function pasteIntoBash(term: Tmux): Promise<void> {
  term.tmux('paste-buffer', '-p', '-t', SHELL);
  term.tmux('send-keys', '-t', SHELL, 'Enter');
  // Whatever the paste left (an open quote), Ctrl-C discards it; then a marker proves bash caught up.
  const done = `DONE-${++marker}`;
  term.tmux('send-keys', '-t', SHELL, 'C-c');
  term.tmux('send-keys', '-t', SHELL, '-l', `echo ${done}`);
  term.tmux('send-keys', '-t', SHELL, 'Enter');
  const deadline = Date.now() + 30_000;
  while (!shellScreen(term).split('\n').some((l) => l.trim() === done)) {
    if (Date.now() > deadline) throw new Error(`bash did not finish the paste:\n${shellScreen(term)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('runbook commands copied with OSC 52 and pasted into bash', () => {
  const term = new Tmux(120, 40, {NO_COLOR: '1', CI: process.env.CI ?? ''});
  beforeAll(() => {
    requireTmux();
    term.start(dir);
    term.tmux('new-window', '-d', '-n', 'shell', '-c', dir, '-e', 'PS1=$ ', '-e', 'HISTFILE=/dev/null', 'bash', '--norc', '--noprofile');
    // kubectl stand-in: records each argument on its own line.
    term.tmux('send-keys', '-t', SHELL, '-l', `kubectl() { printf '<%s>\\n' "$@" >> ${join(dir, 'args.txt')}; }`);
    term.tmux('send-keys', '-t', SHELL, 'Enter');
  });
  afterAll(() => term.kill());

  /** MD6007's walkthrough for Service shop/cart-N, at step 3 (the Service's ports and its pods by selector). */
  async function openWalkthrough(index: number): Promise<void> {
    term.run(`clear; ${cmd} runbook MD6007 --for shop/cart-${index} --kubeconfig ${served.kubeconfig}; echo "EXIT=$?"`);
    await term.waitFor('the walkthrough', (s) => s.text.includes('MD6007') && /Step 1 of \d+/.test(s.text), 60_000);
    const deadline = Date.now() + 60_000;
    for (let step = 1; step < 3; ) {
      term.keys('j');
      try {
        await term.waitFor(`step ${step + 1}`, (s) => s.text.includes(`Step ${step + 1} of`), 3_000);
        step++;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Press `y` until the app answers: a key typed before the UI reads the keyboard (a loaded machine) is lost. */
  async function copy(answered: RegExp): Promise<Screen> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      term.keys('y');
      try {
        return await term.waitFor('the copy message', (s) => answered.test(s.text), 3_000);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async function quit(): Promise<void> {
    term.keys('q');
    await term.waitFor('the shell', (s) => s.lines.some((l) => /^EXIT=\d+$/.test(l.trim())), 30_000);
  }

  test('a value with shell syntax is copied quoted and pasted as one literal argument', async () => {
    await openWalkthrough(0);
    const screen = await copy(/copied \d+ commands? of/);
    const copied = term.buffer();
    expect(copied).toContain(`get service cart-0`);
    expect(copied).toContain(`get pods -l 'app=${SHELL_SYNTAX}'`);
    // What was copied is what the screen shows.
    for (const line of copied.split('\n')) expect(screen.text.replace(/\n {4}/g, '')).toContain(line.slice(0, 60));
    await quit();

    await pasteIntoBash(term);
    const args = readFileSync(join(dir, 'args.txt'), 'utf8');
    expect(args).toContain('<cart-0>');
    expect(args).toContain(`<app=${SHELL_SYNTAX}>`);
    for (const f of ['pwned-subst', 'pwned-semicolon']) expect(existsSync(join(dir, f)), f).toBe(false);
  });

  test.each(HOSTILE.map(([what], i) => [what, i + 1] as const))('a value with control characters (%s) is refused for copy, and nothing runs', async (_what, index) => {
    const before = buffers(term);
    await openWalkthrough(index);
    await copy(/not copied: it holds a control or bidi character|copied \d+ command/);
    const after = buffers(term);
    await quit();
    // Whatever reached tmux's clipboard goes into bash, as a user would paste it.
    if (after.length > before.length) await pasteIntoBash(term);
    expect(existsSync(join(dir, 'pwned-keys')), 'the pasted name ran a command').toBe(false);
    expect(after, 'something was put on the clipboard').toEqual(before);
  });
});
