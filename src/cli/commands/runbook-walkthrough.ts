/**
 * `meshdoctor runbook ID [--for NS/NAME]` on a terminal: the runbook as a walkthrough in the TUI's
 * Runbook view — steps marked done, verify steps run against the cluster (when one is reachable;
 * the walkthrough works without), commands copied with OSC 52 — and, with `--record FILE`, the
 * Markdown incident log (what was checked when, with results) written on exit.
 */
import {writeFile} from 'node:fs/promises';
import type {RunbookEntry} from '../../runbooks/catalog.js';
import type {PlaceholderGaps, PlaceholderValues} from '../../runbooks/fill.js';
import {incidentLog, startWalkthrough} from '../../runbooks/walkthrough.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import {useColor} from '../options.js';
import type {Settings} from '../settings.js';

export type WalkthroughOptions = Readonly<{
  settings: Settings;
  entry: RunbookEntry;
  values: PlaceholderValues;
  gaps: PlaceholderGaps;
  /** What it is for, as the user named it (`shop/cart`), or "the cluster". */
  target: string;
  record?: string;
}>;

export async function runWalkthrough(options: WalkthroughOptions): Promise<number> {
  const stdout = process.stdout;
  const [{prepareEnvironment, TerminalSession}, {createTimings}, {createSession}] = await Promise.all([
    import('../../tui/terminal.js'), import('../../tui/timings.js'), import('../../tui/session.js'),
  ]);
  prepareEnvironment(process.env, {tty: true, color: useColor(options.settings.noColor, stdout) ? undefined : false});
  const terminal = new TerminalSession(stdout);
  terminal.enter();
  try {
    const {values, gaps} = options;
    const session = createSession({
      settings: options.settings,
      tui: {refreshSeconds: 2, options: options.settings.options, scope: 'meshed namespaces'},
      size: {columns: stdout.columns || 80, rows: stdout.rows || 24},
      configErrorsAreFatal: false,
    });
    const {runbook} = options.entry;
    const key = `${runbook.front.check} ${options.target}`;
    session.store.dispatch({type: 'runbooks', runbooks: new Map([[runbook.front.check, runbook]])});
    session.store.dispatch({type: 'walkthrough-open', key, root: true, walkthrough: startWalkthrough(runbook, options.target, values, new Date().toISOString(), gaps)});
    session.engine.start();
    const {mountTui} = await import('../../tui/run.js');
    const outcome = await mountTui({session, terminal, timings: createTimings()});
    const walkthrough = outcome.walkthroughs[key];
    if (options.record && walkthrough) {
      try {
        await writeFile(options.record, incidentLog(walkthrough, new Date().toISOString()));
      } catch (error) {
        throw new ExitError(ExitCode.usage, `--record: cannot write ${options.record} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    return outcome.code === 0 ? ExitCode.ok : outcome.code;
  } finally {
    terminal.leave();
  }
}
