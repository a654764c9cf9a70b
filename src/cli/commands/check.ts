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
import {buildSnapshot} from '../../snapshot/snapshot.js';
import type {SourceFlags} from '../acquire.js';
import {acquire} from '../acquire.js';
import {loadConfig} from '../config.js';
import type {MeshdoctorConfig} from '../config.js';
import {exitCodeForReport, hasFindingsAtOrAbove} from '../exit-codes.js';
import {durationFlag, severityFlag, useColor} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {renderReport} from '../render.js';
import type {OutputFormat} from '../render.js';
import {selectChecks, severityOverrides} from '../selection.js';

export type CheckFlags = SourceFlags & {
  only?: string;
  skip?: string;
  block?: string;
  output: OutputFormat;
  outputFile?: string;
  failOn: string;
  wait?: string;
  strict?: boolean;
  showSuppressed?: boolean;
  requireMetrics?: boolean;
  verbose?: boolean;
};

const RETRY_INTERVAL_MS = 5_000;

async function runOnce(flags: CheckFlags, checks: readonly Check[], config: MeshdoctorConfig): Promise<Report> {
  const [metrics, controlPlane] = await Promise.all([metricsProviderFor(flags, config), controlPlaneProviderFor(flags, config)]);
  const raw = await acquire({flags, plan: planFor(checks), ...(metrics ? {metrics} : {}), ...(controlPlane ? {controlPlane} : {})});
  const snapshot = buildSnapshot(raw);
  const windowSeconds = durationFlag('--window', flags.window);
  const thresholds = windowSeconds ? {...config.options.thresholds, metrics: {...config.options.thresholds.metrics, windowSeconds}} : config.options.thresholds;
  const options = {
    ...config.options,
    thresholds,
    ...(flags.clusterDomain ? {clusterDomain: flags.clusterDomain} : {}),
    requireMetrics: flags.requireMetrics === true,
  };
  const run = runChecks(checks, snapshot, {
    now: new Date(snapshot.takenAt),
    options,
    severityOverrides: severityOverrides(checks, config.overrides, config.file),
    suppressions: config.suppress,
  });
  let step = run.next();
  while (!step.done) step = run.next();
  const results: readonly CheckResult[] = step.value;
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
  const config = await loadConfig(flags.config);
  const failOn = severityFlag('--fail-on', flags.failOn);
  const waitSeconds = durationFlag('--wait', flags.wait);
  const checks = selectChecks(allChecks, flags);
  const deadline = waitSeconds ? Date.now() + waitSeconds * 1000 : 0;

  let report = await runOnce(flags, checks, config);
  while (waitSeconds && hasFindingsAtOrAbove(report, failOn) && Date.now() + RETRY_INTERVAL_MS < deadline) {
    const left = Math.round((deadline - Date.now()) / 1000);
    process.stderr.write(`meshdoctor: waiting: ${blocking(report, failOn)}; checking again in ${RETRY_INTERVAL_MS / 1000}s (${formatDuration(left)} left)\n`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    report = await runOnce(flags, checks, config);
  }

  const color = flags.outputFile ? false : useColor(flags);
  const {output, summary} = renderReport(flags.output, report, {
    color,
    verbose: flags.verbose === true,
    showSuppressed: flags.showSuppressed === true,
    runbookBaseUrl: config.runbooks.baseUrl,
  });
  if (flags.outputFile) await writeFile(flags.outputFile, output);
  else process.stdout.write(output);
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summaryFile) await appendFile(summaryFile, summary);
  return exitCodeForReport(report, failOn, flags.strict === true);
}
