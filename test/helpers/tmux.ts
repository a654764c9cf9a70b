/**
 * A real terminal for end-to-end tests: tmux on a private socket (no user configuration), a POSIX
 * shell in a window of a given size, keys sent with send-keys, the screen read with capture-pane
 * (with -e for colours). Tests poll the screen until a predicate holds, with a deadline — never a
 * fixed sleep. The tests never skip: a missing tmux fails them with the install hint.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {rmSync} from 'node:fs';

export const TMUX_BIN = (() => {
  const r = spawnSync('sh', ['-c', 'command -v tmux'], {encoding: 'utf8'});
  return r.status === 0 ? r.stdout.trim() : undefined;
})();

export function requireTmux(): void {
  if (TMUX_BIN) return;
  throw new Error(`tmux is needed for the terminal tests${process.env.CI ? ' in CI' : ''}: apt-get install -y tmux`);
}

export type Screen = Readonly<{text: string; lines: readonly string[]}>;

export class Tmux {
  private readonly socket = `md-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly session = 'e2e';

  constructor(readonly columns: number, readonly rows: number, readonly env: Readonly<Record<string, string>> = {}) {}

  tmux(...args: string[]): string {
    return execFileSync(TMUX_BIN!, ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
  }

  /** A shell with a known prompt (`$ `) in a window of the given size; `cwd` its directory. */
  start(cwd: string): void {
    const env = Object.entries({PS1: '$ ', TERM: 'xterm-256color', ...this.env}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('new-session', '-d', '-s', this.session, '-x', String(this.columns), '-y', String(this.rows), '-c', cwd, ...env, 'sh');
    this.tmux('set-option', '-g', 'set-clipboard', 'on');
    this.tmux('set-option', '-g', 'status', 'off');
  }

  /** Type a command line and press Enter. */
  run(line: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', line);
    this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Keys by tmux name (`Enter`, `Escape`, `Space`, `C-c`, `PageDown`) or literal text (`l:text`). */
  keys(...keys: string[]): void {
    for (const k of keys) {
      if (k.startsWith('l:')) this.tmux('send-keys', '-t', this.session, '-l', k.slice(2));
      else this.tmux('send-keys', '-t', this.session, k);
    }
  }

  capture(colours = false): Screen {
    const text = this.tmux('capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', this.session);
    return {text, lines: text.split('\n')};
  }

  /** The screen as text with wrapped lines joined (a long command line wraps on a narrow pane). */
  joinedText(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.session);
  }

  /** Poll the screen until `predicate` holds; the error shows the last screen. */
  async waitFor(what: string, predicate: (s: Screen) => boolean, timeoutMs = 60_000, colours = false): Promise<Screen> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.capture(colours);
      if (predicate(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${this.capture().text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(columns), '-y', String(rows));
  }

  /** The process running in the pane's shell (its child), if any. */
  childPid(): number | undefined {
    const shell = this.tmux('display-message', '-p', '-t', this.session, '#{pane_pid}').trim();
    const r = spawnSync('pgrep', ['-P', shell], {encoding: 'utf8'});
    const pid = Number(r.stdout.trim().split('\n')[0]);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  }

  buffer(): string {
    try {
      return this.tmux('show-buffer');
    } catch {
      return '';
    }
  }

  /** Stops the tmux server and removes its socket file. */
  kill(): void {
    let socketPath = '';
    try {
      socketPath = this.tmux('display-message', '-p', '#{socket_path}').trim();
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    if (socketPath) rmSync(socketPath, {force: true});
  }
}

/** The foreground colour (SGR 30–37, 90–97; 39 = default) in effect where `needle` starts on the line. */
export function colourAt(line: string, needle: string): number | undefined {
  const plain = stripSgr(line);
  const index = plain.indexOf(needle);
  if (index < 0) return undefined;
  const at = [...plain.slice(0, index)].length;
  let fg: number | undefined;
  let visible = 0;
  const re = /\u001b\[([0-9;]*)m|([^\u001b]+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[1] !== undefined) {
      for (const p of (m[1] === '' ? '0' : m[1]).split(';').map(Number)) {
        if (p === 0 || p === 39) fg = undefined;
        else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) fg = p;
      }
    } else {
      const len = [...m[2]].length;
      if (visible + len > at) return fg;
      visible += len;
    }
  }
  return fg;
}

export function stripSgr(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
