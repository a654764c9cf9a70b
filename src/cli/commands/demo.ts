/**
 * `meshdoctor demo [SCENARIO] [--serve] [--prometheus]`: a simulated mesh with a real incident on
 * this machine. Starts the scenario's world (src/sim/demo/) on loopback, then either opens the UI
 * against it or, with `--serve`, prints its kubeconfig and example commands and serves until
 * interrupted. Whatever it started stops on every way out — normal return, error, Ctrl-C, SIGTERM —
 * and its temporary directory (kubeconfig, Prometheus data) is removed.
 */
import {DEFAULT_SCENARIO, scenarioListText} from '../../sim/demo/catalog.js';
import type {RunningDemo} from '../../sim/demo/index.js';
import type {PrometheusBinaries} from '../../sim/demo/prometheus.js';
import type {Scenario} from '../../sim/demo/scenario.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';

export type DemoFlags = GlobalFlags & {serve?: boolean; prometheus?: boolean; list?: boolean};

/** Flags equivalent to `meshdoctor --kubeconfig <tmp> [--prometheus-url <url>] --metrics-source …` (the UI's contract). */
export type UiFlags = GlobalFlags;

export type OpenUi = (flags: UiFlags, demo: RunningDemo) => Promise<number>;

/**
 * Until the terminal UI exists (issue 7), the demo prints what the UI would show first: the check
 * report and the golden metrics table.
 */
export async function printReportAndStat(flags: UiFlags, demo: RunningDemo): Promise<number> {
  const [{runCheckCommand}, {runStatCommand}] = await Promise.all([import('./check.js'), import('./stat.js')]);
  const story = demo.scenario.story ? `\n${demo.scenario.story.trim().replace(/^/gm, '  ')}\n` : '';
  process.stdout.write(`meshdoctor demo: ${demo.scenario.name} — a simulated cluster on ${demo.apiUrl}\n${story}\nChecking it (metrics: two scrapes of the simulated proxies, 5s apart)…\n\n`);
  await runCheckCommand({...flags, output: 'text', failOn: 'error'});
  process.stdout.write('\n');
  await runStatCommand({...flags, output: 'table'});
  process.stdout.write(`\nThe simulated cluster is gone now; \`meshdoctor demo ${demo.scenario.name} --serve\` keeps it running for kubectl and meshdoctor.\n`);
  return ExitCode.ok;
}

// The UI the demo opens. On a terminal the TUI (issue 7); piped (tests, CI logs), the report and the stat table as before.
const openUi: OpenUi = async (flags, demo) => (process.stdout.isTTY ? (await import('./tui.js')).runTuiCommand(flags) : printReportAndStat(flags, demo));

/** The flags a meshdoctor command needs to read the demo's world. */
export function demoUiFlags(flags: DemoFlags, demo: Pick<RunningDemo, 'kubeconfig' | 'prometheusUrl'>): UiFlags {
  // The demo's world is the whole cluster: no other context, Prometheus, istiod or identity to ask for.
  const {serve: _serve, prometheus: _prometheus, list: _list, context: _context, prometheusUrl: _url, istiodUrl: _istiod, as: _as, asGroup: _groups, ...globals} = flags;
  return {
    ...globals,
    kubeconfig: demo.kubeconfig,
    ...(demo.prometheusUrl ? {prometheusUrl: demo.prometheusUrl, metricsSource: 'prometheus'} : {metricsSource: 'proxies'}),
  };
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What `--serve` prints: where the world is, and what to run against it. */
export function servingText(demo: RunningDemo, readyMs: number): string {
  const kc = shellWord(demo.kubeconfig);
  const metrics = demo.prometheusUrl ? `--prometheus-url ${demo.prometheusUrl}` : '--metrics-source proxies';
  const lines = [
    `meshdoctor demo: ${demo.scenario.name} is serving (ready in ${readyMs} ms)`,
    `  ${demo.scenario.description}`,
    '',
    `kubeconfig: ${demo.kubeconfig}`,
    `api-server: ${demo.apiUrl}`,
    ...(demo.prometheusUrl ? [`prometheus: ${demo.prometheusUrl}`] : []),
    '',
    'Try, from another terminal:',
    `  kubectl --kubeconfig ${kc} get pods -A`,
    `  meshdoctor check --kubeconfig ${kc} ${metrics}`,
    `  meshdoctor stat --kubeconfig ${kc} ${metrics}`,
    `  meshdoctor --kubeconfig ${kc} ${metrics}    # the terminal UI`,
    '',
    demo.prometheusUrl
      ? 'Metrics: a real Prometheus with the last minutes of history, scraping the simulated proxies.'
      : 'Metrics: read from the simulated proxies (add --prometheus for a real Prometheus with history).',
    'The incident keeps developing while this runs. Ctrl-C stops the demo and removes its temporary files.',
    '',
  ];
  return lines.join('\n');
}

/** SIGINT/SIGTERM → `onSignal`; a second signal, or process exit, removes everything synchronously. */
function guard(demo: RunningDemo, onSignal: (signal: NodeJS.Signals) => void): () => void {
  let signalled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) {
      demo.stopNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    signalled = true;
    onSignal(signal);
  };
  const exit = () => demo.stopNow();
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', exit);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    process.off('exit', exit);
  };
}

export async function runDemoCommand(name: string | undefined, flags: DemoFlags): Promise<number> {
  if (flags.list) {
    process.stdout.write(scenarioListText());
    return ExitCode.ok;
  }
  // The UI's first frame before anything heavy loads or the world starts, so the terminal answers at
  // once (docs/design.md §8); a bad scenario or a missing binary then restores the screen and says why.
  const frame = !flags.serve && process.stdout.isTTY ? await paintStartingFrame(flags, name ?? DEFAULT_SCENARIO) : undefined;
  try {
    const [{loadScenario, ScenarioError}, {startDemo}, {GraphError}] = await Promise.all([
      import('../../sim/demo/scenario.js'), import('../../sim/demo/index.js'), import('../../sim/traffic/graph.js'),
    ]);
    let scenario;
    try {
      scenario = loadScenario(name ?? DEFAULT_SCENARIO);
    } catch (error) {
      if (error instanceof ScenarioError || error instanceof GraphError) throw new ExitError(ExitCode.usage, error.message);
      throw error;
    }
    let binaries: PrometheusBinaries | undefined;
    if (flags.prometheus) {
      const {prometheusBinaries} = await import('../../sim/demo/prometheus.js');
      const found = prometheusBinaries();
      if ('missing' in found) {
        throw new ExitError(ExitCode.unavailable, `--prometheus needs ${found.missing} on PATH (Debian/Ubuntu: apt-get install prometheus); without --prometheus the demo reads the simulated proxies directly`);
      }
      binaries = found;
    }
    return await runWorld(flags, scenario, binaries, startDemo, frame);
  } finally {
    frame?.leave();
  }
}

async function paintStartingFrame(flags: DemoFlags, scenario: string): Promise<{leave(): void; handOver(): void}> {
  const [{paintEarly, prepareEnvironment}, {preframe}, {createTimings}, {useColor}] = await Promise.all([
    import('../../tui/terminal.js'), import('../../tui/preframe.js'), import('../../tui/timings.js'), import('../options.js'),
  ]);
  const color = useColor(flags.color === false);
  prepareEnvironment(process.env, {tty: true, color: color ? undefined : false});
  const size = {columns: process.stdout.columns || 80, rows: process.stdout.rows || 24};
  const painted = paintEarly(process.stdout, preframe(size, {context: `demo ${scenario} (starting…)`, refreshSeconds: 2, color}));
  createTimings().mark('first-frame');
  return painted;
}

async function runWorld(
  flags: DemoFlags,
  scenario: Scenario,
  binaries: PrometheusBinaries | undefined,
  startDemo: typeof import('../../sim/demo/index.js').startDemo,
  earlyFrame: {leave(): void; handOver(): void} | undefined,
): Promise<number> {
  // A signal while the world starts: finish starting (startDemo cleans up after its own failures), then stop.
  let early: NodeJS.Signals | undefined;
  const onEarly = (signal: NodeJS.Signals) => (early ??= signal);
  process.on('SIGINT', onEarly);
  process.on('SIGTERM', onEarly);
  let demo: RunningDemo;
  try {
    demo = await startDemo(scenario, binaries ? {prometheus: binaries} : {});
  } catch (error) {
    earlyFrame?.leave();
    if (early) return flags.serve ? ExitCode.ok : early === 'SIGINT' ? 130 : 143;
    const {PrometheusStartError} = await import('../../sim/demo/prometheus.js');
    if (error instanceof PrometheusStartError) throw new ExitError(ExitCode.unavailable, error.message);
    throw error;
  } finally {
    process.off('SIGINT', onEarly);
    process.off('SIGTERM', onEarly);
  }
  if (early) {
    await demo.stop();
    return flags.serve ? ExitCode.ok : early === 'SIGINT' ? 130 : 143;
  }

  let interrupted: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => (interrupted = resolve));
  const release = guard(demo, (signal) => interrupted(signal));
  try {
    if (flags.serve) {
      process.stdout.write(servingText(demo, Math.round(performance.now())));
      await signalled;
      return ExitCode.ok;
    }
    // The UI (or, for now, the report) runs until it returns; a signal ends the demo early.
    earlyFrame?.handOver();
    const ui = openUi(demoUiFlags(flags, demo), demo);
    ui.catch(() => undefined);
    const outcome = await Promise.race([ui, signalled]);
    if (typeof outcome === 'number') return outcome;
    await demo.stop();
    process.exit(outcome === 'SIGINT' ? 130 : 143);
  } finally {
    await demo.stop();
    release();
    // Nothing of the demo keeps the process alive after this; a stuck client socket must not either.
    setTimeout(() => process.exit(), 2000).unref();
  }
}
