/**
 * `meshdoctor check`: collect → snapshot → run the selected checks → present → exit code.
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
import type {CheckResult, Report, Severity} from '../../core/types.js';
import {meshdoctorVersion} from '../../package-info.js';
import {planFor} from '../../snapshot/plan.js';
import {selectResults, subjectSelected} from '../../snapshot/label-selection.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import type {SourceFlags, WorldInput} from '../acquire.js';
import {acquire, worldInput} from '../acquire.js';
import {ExitCode, ExitError, exitCodeForReport, hasFindingsAtOrAbove} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {durationFlag, severityFlag, useColor} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {outputTargets, renderReport} from '../render.js';
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

function blocking(report: Report, failOn: Severity): string {
  const items = report.results.flatMap((r) => r.findings.filter((f) => atLeast(f.severity, failOn)).map((f) => `${f.checkId} ${subjectKey(f.subject)}`));
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

  let report = await runOnce(settings, input, checks, requireMetrics);
  while (waitSeconds && hasFindingsAtOrAbove(report, failOn) && Date.now() + RETRY_INTERVAL_MS < deadline) {
    const left = Math.round((deadline - Date.now()) / 1000);
    process.stderr.write(`meshdoctor: waiting: ${blocking(report, failOn)}; checking again in ${RETRY_INTERVAL_MS / 1000}s (${formatDuration(left)} left)\n`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    report = await runOnce(settings, input, checks, requireMetrics);
  }

  // One collection, rendered once per target.
  for (const target of targets) {
    const {output, summary} = renderReport(target.format, report, {
      color: target.file === undefined && useColor(settings.noColor),
      verbose: flags.verbose === true,
      showSuppressed: flags.showSuppressed === true,
      runbookBaseUrl: config.runbooks.baseUrl,
    });
    if (target.file === undefined) process.stdout.write(output);
    else {
      await writeFile(target.file, output).catch((error: NodeJS.ErrnoException) => {
        throw new ExitError(ExitCode.usage, `${target.file}: cannot write the ${target.format} report (${error.code ?? error.message})`);
      });
    }
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summary !== undefined && summaryFile) await appendFile(summaryFile, summary);
  }
  return exitCodeForReport(report, failOn, flags.strict === true);
}
