/**
 * `meshdoctor` with no command: the TUI (docs/design.md §6). On a terminal it enters the alternate
 * screen and paints a first frame at once — before React, Ink and the Kubernetes client are loaded
 * — then hands over to src/tui/run.tsx. When stdout is not a terminal it prints a one-shot summary
 * instead (src/cli/commands/tui-summary.ts, no React). `meshdoctor demo` calls `runTuiCommand` with
 * the kubeconfig of its simulated world.
 */
import {ExitCode} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {durationFlag, usage, useColor} from '../options.js';
import type {Settings} from '../settings.js';

export type TuiFlags = GlobalFlags & {
  /** `--refresh DURATION`: metrics refresh interval (default 2s). */
  refresh?: string;
  /** `--at TIME`: frozen at a past instant (RFC 3339 or Unix seconds; Prometheus only). */
  at?: string;
};

export const DEFAULT_REFRESH_SECONDS = 2;

function scopeLabel({scope}: Settings): string {
  if (scope.mode === 'all') return 'all namespaces';
  if (scope.mode === 'namespaces') return `namespaces ${scope.namespaces.join(',')}`;
  return 'meshed namespaces';
}

export async function runTuiCommand(flags: TuiFlags, io: Readonly<{stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream}> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const refreshSeconds = durationFlag('--refresh', flags.refresh) ?? DEFAULT_REFRESH_SECONDS;
  if (refreshSeconds < 0.5) usage(`--refresh: "${flags.refresh}" is too short (at least 500ms)`);
  let at: Date | undefined;
  if (flags.at !== undefined) {
    const {parseAt} = await import('./stat.js');
    at = parseAt(flags.at);
    if (flags.metricsSource === 'proxies') usage('--at needs the Prometheus source (proxies have no history)');
  }
  if (!stdout.isTTY) {
    const [{loadSettings}, {printSummary}] = await Promise.all([import('../settings.js'), import('./tui-summary.js')]);
    const settings = await loadSettings(flags);
    return printSummary(settings, {stdout, ...(at ? {at} : {})});
  }

  const [{prepareEnvironment, TerminalSession}, {preframe}, {createTimings}] = await Promise.all([import('../../tui/terminal.js'), import('../../tui/preframe.js'), import('../../tui/timings.js')]);
  const color = useColor(flags.color === false, stdout);
  prepareEnvironment(process.env, {tty: true, color: color ? undefined : false});
  const timings = createTimings();
  const terminal = new TerminalSession(stdout, io.stdin ?? process.stdin);
  // The alternate screen and a first frame, before anything slow is loaded.
  terminal.enter();
  terminal.write(preframe({columns: stdout.columns || 80, rows: stdout.rows || 24}, {refreshSeconds, ...(at ? {at: at.getTime()} : {}), color}));
  timings.mark('first-frame');
  try {
    // Loaded after the first frame: the config's YAML parser is not needed to paint it.
    const [{loadSettings}, {createSession}] = await Promise.all([import('../settings.js'), import('../../tui/session.js')]);
    const settings = await loadSettings(flags);
    // The cluster is read while Ink loads.
    const session = createSession({
      settings,
      tui: {refreshSeconds, ...(at ? {at: at.getTime()} : {}), options: settings.options, scope: scopeLabel(settings)},
      ...(at ? {at} : {}),
      size: {columns: stdout.columns || 80, rows: stdout.rows || 24},
    });
    // Keys typed from now on wait for the UI (no echo over the first frame).
    const stdin = io.stdin ?? process.stdin;
    if (stdin.isTTY) stdin.setRawMode(true);
    session.engine.start();
    // React and Ink take most of a second of CPU to load: load them while the engine waits on the
    // network (between the first two proxy scrapes), not while it is busy — or after 2 s at most.
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([session.engine.idle, new Promise<void>((resolve) => (waited = setTimeout(resolve, 2000)))]);
    clearTimeout(waited);
    const {mountTui} = await import('../../tui/run.js');
    const outcome = await mountTui({session, terminal, timings, ...(io.stdout ? {stdout: io.stdout} : {}), ...(io.stdin ? {stdin: io.stdin} : {})});
    if (outcome.fatal !== undefined) throw outcome.fatal;
    return outcome.code === 0 ? ExitCode.ok : outcome.code;
  } finally {
    terminal.leave();
  }
}
