/**
 * The command table. Each command's module is imported only when it runs, so `--help` and
 * `meshdoctor checks` never pay for the Kubernetes client or React. Every failure ends here:
 * one line on stderr and an exit code from exit-codes.ts, never a stack trace.
 */
import {Argument, Command, CommanderError, Option} from 'commander';
import {meshdoctorVersion} from '../package-info.js';
import {ExitCode, exitCodesHelp} from './exit-codes.js';
import {describeError, usageErrorLine} from './errors.js';
import {sanitizeLine} from '../core/sanitize.js';
import {DEFAULT_SCENARIO, scenarioListText} from '../sim/demo/catalog.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('meshdoctor');
  program
    .description('Read-only diagnostics and golden metrics for service meshes on Kubernetes (Istio, Linkerd; Consul and OSM basics).')
    .version(meshdoctorVersion(), '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Every subcommand's --help lists the global flags too (`stat --help` shows -n, --window, --kubeconfig).
    .configureHelp({showGlobalOptions: true})
    .addHelpText('afterAll', exitCodesHelp)
    .showSuggestionAfterError(true)
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (check, stat: a,b,c for several clusters in one report)')
    .option('-n, --namespace <ns[,ns]>', 'evaluate exactly these namespaces')
    .option('-A, --all-namespaces', 'evaluate every namespace (default: namespaces that belong to a mesh)')
    .option('-l, --selector <selector>', 'only objects whose labels match, or whose pods\' do (kubectl syntax: app=cart,tier!=db,env in (a,b))')
    .option('--mesh <mesh>', 'auto, istio, linkerd, consul or osm', 'auto')
    .option('--request-timeout <duration>', 'timeout for each API request', '30s')
    .option('--as <user>', 'impersonate this user for every API request (Impersonate-User; still read-only)')
    .option('--as-group <group>', 'impersonate this group too, with --as (repeatable)', collect)
    .option('--prometheus-url <url>', 'Prometheus to query (default: discover the mesh\'s Prometheus)')
    .option('--prometheus-header <header>', '"Name: value" header for Prometheus requests (repeatable)', collect)
    .addOption(new Option('--metrics-source <source>', 'where golden metrics come from').choices(['auto', 'prometheus', 'proxies']).default('auto'))
    .option('--window <duration>', 'metrics window', undefined)
    .option('--cluster-domain <domain>', 'cluster DNS domain (default cluster.local)')
    .option('--config <file>', 'config file (default: .meshdoctor.yaml in the working directory, if present)')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)');
  program.option('--istiod-url <url>', 'read istiod debug endpoints (/debug/syncz) from this URL instead of a port-forward to each replica');
  // (global options: add new ones above this line)

  program
    .command('check')
    .description('run the check catalog and report findings (CI-friendly exit codes)')
    .option('-f, --filename <file|dir|->', 'manifest file, directory or - for stdin (repeatable)', collect)
    .option('--no-cluster', 'use the files alone; do not contact a cluster')
    .option('--snapshot <file>', 'check a saved snapshot instead of a live cluster')
    .option('--only <ids>', 'run only these checks (ids or slugs, comma-separated)')
    .option('--skip <ids>', 'do not run these checks')
    .option('--block <names>', 'run only these blocks (cluster, control-plane, data-plane, security, traffic-config, traffic-health)')
    .option('-o, --output <format[=file]>', 'text (default), json, junit, sarif or github; repeatable, each to its own file: -o junit=report.xml -o sarif=out.sarif -o text', collect)
    .option('--output-file <file>', 'write the report (the -o without =file) to this file instead of stdout')
    .option('--all-contexts', 'check every context of the kubeconfig (at most 4 at once), one report grouped by cluster')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
    .option('--wait <duration>', 're-run until no finding at or above --fail-on, or until the deadline')
    .option('--strict', 'exit 3 when any check was skipped or crashed')
    .option('--show-suppressed', 'list suppressed findings too')
    .option('--require-metrics', 'a missing Prometheus is an error, not a warning')
    .option('--sample <duration>', 'proxy source (no Prometheus): time between the two scrapes', '5s')
    .option('-v, --verbose', 'also list checks that were not applicable')
    .action(async (_opts, cmd: Command) => {
      const {runCheckCommand} = await import('./commands/check.js');
      process.exitCode = await runCheckCommand(cmd.optsWithGlobals());
    });

  program
    .command('checks')
    .description('list the check catalog: id, slug, severity, meshes, inputs, runbook')
    .addOption(new Option('-o, --output <format>', 'output format (markdown: the docs/checks.md page)').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (_opts, cmd: Command) => {
      const {runChecksCommand} = await import('./commands/checks.js');
      process.exitCode = await runChecksCommand(cmd.optsWithGlobals());
    });

  const snapshot = program.command('snapshot').description('save what meshdoctor sees, to replay it later with check --snapshot');
  snapshot
    .command('save')
    .description('collect from the cluster (or -f files) and write a snapshot file; Secrets are redacted')
    .argument('<file>', 'where to write the snapshot (JSON)')
    .option('-f, --filename <file|dir|->', 'manifest file, directory or - for stdin (repeatable)', collect)
    .option('--no-cluster', 'use the files alone; do not contact a cluster')
    .option('--full', 'keep whole objects (Secret data still redacted), not only the fields checks read')
    .action(async (file: string, _opts, cmd: Command) => {
      const {runSnapshotSave} = await import('./commands/snapshot.js');
      process.exitCode = await runSnapshotSave(file, cmd.optsWithGlobals());
    });

  program
    .command('runbook')
    .description('list runbooks, or print one filled in for a finding (NAMESPACE/NAME)')
    .argument('[id]', 'check id or slug')
    .option('--for <namespace/name>', 'the object the runbook is for')
    .option('--runbooks <dir>', 'your own runbooks; they override built-in ones with the same check id (repeatable)', collect)
    .option('--record <file>', 'on a terminal: write the walkthrough\'s Markdown incident log to this file on exit')
    .addOption(new Option('-o, --output <format>', 'piped output: the filled runbook as Markdown, or JSON (commands with their kind and what could not be filled)').choices(['markdown', 'json']).default('markdown'))
    .action(async (id: string | undefined, _opts, cmd: Command) => {
      const {runRunbookCommand} = await import('./commands/runbook.js');
      process.exitCode = await runRunbookCommand(id, cmd.optsWithGlobals());
    });

  program
    .command('stat')
    .description('golden metrics per workload, once: success rate, RPS, latency, mTLS share (table or JSON)')
    .option('--at <time>', 'evaluate at a past instant: RFC 3339 or Unix seconds (Prometheus only)')
    .option('--no-cluster', 'work from Prometheus alone (workloads from metric labels; needs --prometheus-url)')
    .option('--sample <duration>', 'proxy source: time between the two scrapes', '5s')
    .option('--all-contexts', 'every context of the kubeconfig (at most 4 at once), one table with a CLUSTER column')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (_opts, cmd: Command) => {
      const {runStatCommand} = await import('./commands/stat.js');
      process.exitCode = await runStatCommand(cmd.optsWithGlobals());
    });

  program
    .command('describe')
    .description('effective Istio configuration of a pod or workload (Services, VirtualServices, DestinationRules and subsets, mTLS per port, policies) and the findings on it')
    .argument('<kind>', 'pod or workload')
    .argument('<target>', 'NAMESPACE/NAME')
    .option('-f, --filename <file|dir|->', 'manifest file, directory or - for stdin (repeatable)', collect)
    .option('--no-cluster', 'use the files alone; do not contact a cluster')
    .option('--snapshot <file>', 'describe from a saved snapshot')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (kind: string, target: string, _opts, cmd: Command) => {
      const {runDescribeCommand} = await import('./commands/describe.js');
      process.exitCode = await runDescribeCommand(kind, target, cmd.optsWithGlobals());
    });

  program
    .command('rbac')
    .description('print the minimal read-only ClusterRole meshdoctor needs (derived from the check catalog)')
    .action(async () => {
      const [{allChecks}, {minimalRbac}] = await Promise.all([import('../../checks/index.js'), import('./rbac.js')]);
      process.stdout.write(minimalRbac(allChecks));
    });

  program
    .command('demo')
    .description('a simulated mesh with a real incident, on this machine (no cluster needed); --serve keeps it running for kubectl and meshdoctor')
    .argument('[scenario]', `scenario to run (default ${DEFAULT_SCENARIO}; --list shows them)`)
    .option('--serve', 'do not open the UI: print the kubeconfig and example commands, and serve until interrupted')
    .option('--prometheus', 'also start a real Prometheus with history, scraping the simulated proxies (needs prometheus and promtool on PATH)')
    .option('--list', 'list the scenarios')
    .addHelpText('after', () => `\n${scenarioListText()}`)
    .action(async (scenario: string | undefined, _opts, cmd: Command) => {
      const {runDemoCommand} = await import('./commands/demo.js');
      process.exitCode = await runDemoCommand(scenario, cmd.optsWithGlobals());
    });

  program
    .command('tui', {isDefault: true})
    .description('the interactive terminal UI (the default when no command is given): live golden metrics, findings, drill-down, runbooks')
    .option('--refresh <duration>', 'metrics refresh interval', '2s')
    .option('--at <time>', 'frozen at a past instant for post-incident review: RFC 3339 or Unix seconds (Prometheus only)')
    // A word that is no command lands here (tui is the default): say so, rather than "too many arguments".
    .argument('[command]')
    .usage('[options]')
    .action(async (unknown: string | undefined, _opts, cmd: Command) => {
      if (unknown !== undefined) {
        process.stderr.write(`meshdoctor: ${sanitizeLine(unknown)}: unknown command (see meshdoctor --help)\n`);
        process.exitCode = ExitCode.usage;
        return;
      }
      const {runTuiCommand} = await import('./commands/tui.js');
      process.exitCode = await runTuiCommand(cmd.optsWithGlobals());
    });

  program
    .command('completion')
    .description('print a shell completion script (commands, flags, check ids, scenarios, contexts, namespaces)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', '\nbash: source <(meshdoctor completion bash)   zsh: source <(meshdoctor completion zsh)   fish: meshdoctor completion fish | source\nkubectl meshdoctor <TAB> (kubectl 1.26+): put bin/kubectl_complete-meshdoctor on PATH.')
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const {completionScript} = await import('./commands/completion.js');
      process.stdout.write(completionScript(shell));
    });

  program
    .command('proxy-config')
    .description('what a pod\'s Envoy sidecar knows (clusters, endpoints with health and outlier ejection, listeners, routes with weights), read-only from its admin endpoint')
    .argument('<pod>', 'POD (with -n) or NAMESPACE/POD')
    .argument('[kind]', 'clusters, endpoints, listeners or routes', 'clusters')
    .option('--fqdn <host>', 'only what concerns this upstream (part of a Service FQDN or cluster name)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (pod: string, kind: string, _opts, cmd: Command) => {
      const {runProxyConfigCommand} = await import('./commands/proxy-config.js');
      process.exitCode = await runProxyConfigCommand(pod, kind, cmd.optsWithGlobals());
    });

  program
    .command('logs')
    .description('a container\'s log (default: the application container; -c proxy for the mesh proxy), read through the API server')
    .argument('<pod>', 'POD (with -n) or NAMESPACE/POD')
    .option('-c, --container <name>', 'container name, or "proxy" for the mesh proxy')
    .option('--tail <lines>', 'only the last N lines')
    .option('--since <duration>', 'only lines newer than this (e.g. 5m)')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (pod: string, _opts, cmd: Command) => {
      const {runLogsCommand} = await import('./commands/logs.js');
      process.exitCode = await runLogsCommand(pod, cmd.optsWithGlobals());
    });

  // (commands: register new commands above this line, each importing its module lazily)
  return program;
}

let pipesWatched = false;

/**
 * A reader that went away (`meshdoctor checks -o json | head -1`) ends the program quietly with 0, as
 * git and kubectl do, instead of Node's EPIPE stack trace. Any other failure to write is one line.
 */
function endQuietlyOnClosedPipe(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(ExitCode.ok);
      if (stream !== process.stderr) process.stderr.write(`meshdoctor: cannot write the output: ${error.code ?? error.message}\n`);
      process.exit(ExitCode.unavailable);
    });
  }
}

/**
 * Runs the CLI on `argv` (node's form: [node, script, ...args]) and resolves to the exit code; never
 * rejects. bin/meshdoctor.js calls it whatever name the program was started under (a symlink such as
 * `md`, krew's `kubectl-meshdoctor`, the single executable): a module that decided by its own path
 * whether to run printed nothing and exited 0 under another name.
 */
export async function main(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  // Shell completion (cobra's protocol: what kubectl asks a plugin): the words are not parsed as flags.
  if (argv[2] === '__complete') {
    const {runComplete} = await import('./commands/completion.js');
    return runComplete(program, argv.slice(3));
  }
  // Every command, nested ones included: errors in our one style, exit codes through main().
  const configure = (command: Command, path: string): void => {
    command.exitOverride().configureOutput({
      outputError: (text, write) => write(`meshdoctor: ${sanitizeLine(usageErrorLine(text, path))}\n`),
    });
    for (const sub of command.commands) configure(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  configure(program, '');
  try {
    await program.parseAsync(argv as string[], {from: 'node'});
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exits with code 0; everything else commander rejects is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    const {code, message} = describeError(error);
    process.stderr.write(`meshdoctor: ${message}\n`);
    return code;
  }
}
