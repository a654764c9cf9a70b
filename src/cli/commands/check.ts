/**
 * `meshdoctor check`: collect → snapshot → run the selected checks → present → exit code; over several
 * contexts (`--context a,b`, `--all-contexts`) the same for each cluster, a few at once, in one report.
 * Never imports React or Ink (a test proves it).
 */
import {appendFile, writeFile} from 'node:fs/promises';
import {allChecks} from '../../../checks/index.js';
import type {Check} from '../../core/check.js';
import {formatDuration} from '../../core/duration.js';
import {buildReport} from '../../core/report.js';
import {runChecks} from '../../core/runner.js';
import {atLeast} from '../../core/severity.js';
import {subjectKey} from '../../core/subjects.js';
import type {CheckResult, ClusterReport, Report, Severity} from '../../core/types.js';
import {meshdoctorVersion} from '../../package-info.js';
import {planFor} from '../../snapshot/plan.js';
import {selectResults, subjectSelected} from '../../snapshot/label-selection.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import type {SourceFlags, WorldInput} from '../acquire.js';
import {acquire, worldInput} from '../acquire.js';
import {contextChoice, overContexts, toClusterReports} from '../contexts.js';
import {ExitCode, ExitError, exitCodeForClusters, exitCodeForReport, hasFindingsAtOrAbove} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {durationFlag, severityFlag, usage, useColor} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {outputTargets, renderClusters, renderReport} from '../render.js';
import {selectChecks, severityOverrides} from '../selection.js';
import type {Settings} from '../settings.js';
import {loadSettings} from '../settings.js';

export type CheckFlags = GlobalFlags & SourceFlags & {
  sample?: string;
  only?: string;
  skip?: string;
  block?: string;
  /** `-o FORMAT[=FILE]`, repeatable (commander collects them; a caller may pass one). */
  output?: string | string[];
  outputFile?: string;
  failOn: string;
  wait?: string;
  strict?: boolean;
  showSuppressed?: boolean;
  requireMetrics?: boolean;
  verbose?: boolean;
  /** `--all-contexts`: every context of the kubeconfig, one report. */
  allContexts?: boolean;
};

const RETRY_INTERVAL_MS = 5_000;

async function runOnce(settings: Settings, input: WorldInput, checks: readonly Check[], requireMetrics: boolean): Promise<Report> {
  const metrics = metricsProviderFor(settings);
  const controlPlane = controlPlaneProviderFor(settings, input);
  const raw = await acquire({settings, input, plan: planFor(checks), metrics, ...(controlPlane ? {controlPlane} : {})});
  const snapshot = buildSnapshot(raw);
  const run = runChecks(checks, snapshot, {
    now: new Date(snapshot.takenAt),
    options: {...settings.options, requireMetrics},
    severityOverrides: severityOverrides(checks, settings.config.overrides, settings.config.file),
    suppressions: settings.config.suppress,
  });
  let step = run.next();
  while (!step.done) step = run.next();
  const {selector} = settings;
  const results: readonly CheckResult[] = selector ? selectResults(step.value, (s) => subjectSelected(snapshot, selector, s)) : step.value;
  return buildReport(
    {
      meshdoctorVersion: meshdoctorVersion(),
      context: snapshot.context,
      takenAt: snapshot.takenAt,
      mode: snapshot.mode,
      meshes: snapshot.meshes,
      sources: snapshot.sources,
      evaluated: snapshot.evaluated,
    },
    results,
  );
}

/** A cluster's findings at or above --fail-on, named by cluster when there are several. */
function blocking(reports: readonly ClusterReport[], failOn: Severity, several: boolean): string {
  const items = reports.flatMap((c) => (c.report?.results ?? []).flatMap((r) => r.findings
    .filter((f) => atLeast(f.severity, failOn))
    .map((f) => `${several ? `${c.cluster}: ` : ''}${f.checkId} ${subjectKey(f.subject)}`)));
  return items.slice(0, 3).join(', ') + (items.length > 3 ? `, +${items.length - 3} more` : '');
}

export async function runCheckCommand(flags: CheckFlags): Promise<number> {
  const settings = await loadSettings(flags);
  const config = settings.config;
  const input = worldInput(flags);
  const failOn = severityFlag('--fail-on', flags.failOn);
  const targets = outputTargets(flags.output, flags.outputFile);
  const waitSeconds = durationFlag('--wait', flags.wait);
  const checks = selectChecks(allChecks, flags);
  const deadline = waitSeconds ? Date.now() + waitSeconds * 1000 : 0;
  const requireMetrics = flags.requireMetrics === true;
  const choice = contextChoice({...settings.cluster, ...(flags.allContexts ? {allContexts: true} : {})});
  if (choice.several && (input.snapshot !== undefined || !input.cluster)) usage(`${flags.allContexts ? '--all-contexts' : '--context a,b'}: reads clusters, so it cannot be combined with ${input.snapshot !== undefined ? '--snapshot' : '--no-cluster'}`);
  if (choice.several && input.files?.includes('-')) usage('-f -: stdin can be read once, not over several contexts (pass a file)');

  // One cluster: its errors end the run as before. Several: each one's error is its part of the report.
  const runAll = async (): Promise<ClusterReport[]> => choice.several
    ? toClusterReports(await overContexts(choice.contexts, (context) => runOnce({...settings, cluster: {...settings.cluster, context}}, input, checks, requireMetrics)))
    : [{cluster: settings.cluster.context ?? '', report: await runOnce(settings, input, checks, requireMetrics)}];
  const stillBlocked = (reports: readonly ClusterReport[]) => reports.some((c) => c.report && hasFindingsAtOrAbove(c.report, failOn));

  let reports = await runAll();
  while (waitSeconds && stillBlocked(reports) && Date.now() + RETRY_INTERVAL_MS < deadline) {
    const left = Math.round((deadline - Date.now()) / 1000);
    process.stderr.write(`meshdoctor: waiting: ${blocking(reports, failOn, choice.several)}; checking again in ${RETRY_INTERVAL_MS / 1000}s (${formatDuration(left)} left)\n`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    reports = await runAll();
  }

  // One collection, rendered once per target.
  for (const target of targets) {
    const options = {
      color: target.file === undefined && useColor(settings.noColor),
      verbose: flags.verbose === true,
      showSuppressed: flags.showSuppressed === true,
      runbookBaseUrl: config.runbooks.baseUrl,
    };
    const {output, summary} = choice.several ? renderClusters(target.format, reports, options) : renderReport(target.format, reports[0].report!, options);
    if (target.file === undefined) process.stdout.write(output);
    else {
      await writeFile(target.file, output).catch((error: NodeJS.ErrnoException) => {
        throw new ExitError(ExitCode.usage, `${target.file}: cannot write the ${target.format} report (${error.code ?? error.message})`);
      });
    }
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summary !== undefined && summaryFile) await appendFile(summaryFile, summary);
  }
  return choice.several ? exitCodeForClusters(reports, failOn, flags.strict === true) : exitCodeForReport(reports[0].report!, failOn, flags.strict === true);
}
