/**
 * The terminal around the TUI: the alternate screen (Ink 6 has no option for it), entered before
 * the first frame and left on every exit path — quit, Ctrl-C, SIGTERM/SIGHUP, a crash, an uncaught
 * error — with the cursor shown and raw mode off, so the shell gets its screen back intact. Also the
 * environment Ink and chalk read at import time. No React here.
 */

const ENTER = '\u001b[?1049h\u001b[H\u001b[2J';
const LEAVE = '\u001b[?25h\u001b[?1049l';
export const CLEAR = '\u001b[H\u001b[2J';

/**
 * A frame painted on the alternate screen before the TUI exists — by `meshdoctor demo`, whose world
 * takes a moment to start. No signal handlers (the caller owns them); the screen is restored by
 * `leave()` or on process exit — until `handOver()` gives it to the TUI's own session.
 */
export function paintEarly(stdout: NodeJS.WriteStream, frame: string): {leave(): void; handOver(): void} {
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    process.off('exit', leave);
    try {
      stdout.write(LEAVE);
    } catch {
      // a closed terminal needs nothing more
    }
  };
  process.on('exit', leave);
  stdout.write(ENTER + frame);
  // The TUI's session now owns the screen: it restores it on every exit path.
  const handOver = () => {
    left = true;
    process.off('exit', leave);
  };
  return {leave, handOver};
}

/**
 * Before React and Ink are imported: Ink decides "CI" at import time (is-in-ci: `CI`/`CONTINUOUS_INTEGRATION`
 * set and not `0`/`false`) and then draws only a final frame — but a TTY is a TTY, so say so. chalk
 * ignores NO_COLOR: map it (and --no-color, TERM=dumb) to FORCE_COLOR=0.
 */
export function prepareEnvironment(env: NodeJS.ProcessEnv, options: Readonly<{tty: boolean; color: boolean | undefined}>): void {
  if (options.tty) {
    if ('CI' in env) env.CI = 'false';
    if ('CONTINUOUS_INTEGRATION' in env) env.CONTINUOUS_INTEGRATION = 'false';
  }
  const noColor = (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || options.color === false || env.TERM === 'dumb';
  if (noColor) env.FORCE_COLOR = '0';
  // React's production build: its development build re-renders several times slower.
  env.NODE_ENV ??= 'production';
}

export type SignalExit = Readonly<{signal: NodeJS.Signals; code: number}>;

export class TerminalSession {
  private active = false;
  private readonly handlers: [string, (...args: never[]) => void][] = [];

  constructor(private readonly stdout: NodeJS.WriteStream, private readonly stdin: NodeJS.ReadStream = process.stdin) {}

  get isActive(): boolean {
    return this.active;
  }

  write(data: string): void {
    if (this.active) this.stdout.write(data);
  }

  private onSignal: ((s: SignalExit) => void) | undefined;
  private onCrash: ((error: unknown) => void) | undefined;

  /** What a signal or a crash does once the app runs (default: restore the screen and exit). */
  handle(onSignal: (s: SignalExit) => void, onCrash: (error: unknown) => void): void {
    this.onSignal = onSignal;
    this.onCrash = onCrash;
  }

  /** Enter the alternate screen; from now on every way out restores the terminal. */
  enter(): void {
    if (this.active) return;
    this.active = true;
    this.stdout.write(ENTER);
    const on = (event: string, fn: (...args: never[]) => void) => {
      process.on(event as 'exit', fn as () => void);
      this.handlers.push([event, fn]);
    };
    on('exit', () => this.leave());
    const signals: [NodeJS.Signals, number][] = [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]];
    for (const [signal, code] of signals) {
      on(signal, () => {
        if (this.onSignal) return this.onSignal({signal, code});
        this.leave();
        process.exit(code);
      });
    }
    const crash = (error: unknown) => {
      this.leave();
      if (this.onCrash) return this.onCrash(error);
      process.stderr.write(`meshdoctor: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(3);
    };
    on('uncaughtException', crash as never);
    on('unhandledRejection', crash as never);
  }

  /** Leave the alternate screen (idempotent); raw mode off and cursor shown. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    try {
      if (this.stdin.isTTY && this.stdin.isRaw) this.stdin.setRawMode(false);
    } catch {
      // the stream may be gone already
    }
    try {
      this.stdout.write(LEAVE);
    } catch {
      // nothing more can be done for a closed terminal
    }
    for (const [event, fn] of this.handlers.splice(0)) process.off(event as 'exit', fn as () => void);
    this.onSignal = undefined;
    this.onCrash = undefined;
  }
}
