/**
 * `meshdoctor` when stdout is not a terminal (a pipe, a file, CI logs): one snapshot, one metrics
 * read and one run of the catalog, printed as a summary — the workloads worst first with their
 * golden metrics, and the findings by severity with the worst of them. Never imports React or Ink.
 */
import {allChecks} from '../../../checks/index.js';
import {goldenMetrics} from '../../core/golden.js';
import type {Service} from '../../core/kube-types/index.js';
import {runChecks} from '../../core/runner.js';
import {sanitizeLine} from '../../core/sanitize.js';
import {compareSeverity} from '../../core/severity.js';
import {GOLDEN_SIGNALS} from '../../core/signals.js';
import {subjectKey} from '../../core/subjects.js';
import type {CheckResult, Finding} from '../../core/types.js';
import {planFor} from '../../snapshot/plan.js';
import {selectResults, subjectSelected} from '../../snapshot/label-selection.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import {acquire} from '../acquire.js';
import {ExitCode} from '../exit-codes.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {severityOverrides} from '../selection.js';
import type {Settings} from '../settings.js';
import {statTable} from './stat-output.js';

const TOP_FINDINGS = 10;

export async function printSummary(settings: Settings, io: Readonly<{stdout: NodeJS.WritableStream; at?: Date}>): Promise<number> {
  const {config} = settings;
  const controlPlane = controlPlaneProviderFor(settings);
  const plan = planFor(allChecks, {kinds: ['services'], signals: GOLDEN_SIGNALS});
  const raw = await acquire({settings, input: {cluster: true}, plan, metrics: metricsProviderFor(settings), ...(controlPlane ? {controlPlane} : {})});
  const snapshot = buildSnapshot(raw);
  const run = runChecks(allChecks, snapshot, {
    now: new Date(snapshot.takenAt),
    options: settings.options,
    severityOverrides: severityOverrides(allChecks, config.overrides, config.file),
    suppressions: config.suppress,
  });
  let step = run.next();
  while (!step.done) step = run.next();
  const {selector} = settings;
  const results: readonly CheckResult[] = selector ? selectResults(step.value, (s) => subjectSelected(snapshot, selector, s)) : step.value;

  const out: string[] = [];
  const meshes = snapshot.meshes.map((m) => `${m.name}${m.version ? ` ${m.version}` : ''}`).join(', ') || 'no mesh detected';
  out.push(`meshdoctor summary — context ${sanitizeLine(snapshot.context ?? '-')} · ${sanitizeLine(meshes)} · ${snapshot.takenAt}`);
  if (io.at) out.push(`(--at is for the interactive view; this summary is live — use \`meshdoctor stat --at\` for a past instant)`);
  out.push('');
  const {workloadInventory} = await import('../../sources/metrics/inventory.js');
  const inventory = workloadInventory({
    pods: snapshot.objects.list('pods'), services: snapshot.objects.list('services') as readonly Service[],
    ownerOf: (pod) => snapshot.workloads.ownerOf(pod), includes: (ns) => snapshot.scope.includes(ns),
    ...(selector ? {selector} : {}),
  });
  if (snapshot.signals) {
    const rows = goldenMetrics(snapshot.signals, inventory);
    if (rows.length) out.push(statTable({at: snapshot.signals.at, window: snapshot.signals.window, source: snapshot.signals.source, sourceDetail: snapshot.metricsStatus.detail}, rows).trimEnd());
    else out.push('no meshed workloads found');
  } else {
    out.push(`metrics unavailable: ${sanitizeLine(snapshot.metricsStatus.detail ?? snapshot.metricsStatus.state)}`);
    out.push(`${inventory.length} meshed workload(s): ${inventory.slice(0, 20).map((w) => `${w.namespace}/${w.workload}`).join(', ')}${inventory.length > 20 ? ', …' : ''}`);
  }
  const findings: Finding[] = results.flatMap((r) => r.findings).sort((a, b) => compareSeverity(a.severity, b.severity) || a.checkId.localeCompare(b.checkId));
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const outcome = (o: string) => results.filter((r) => r.outcome === o).length;
  out.push('');
  out.push(`findings: ${count('error')} error, ${count('warning')} warning, ${count('info')} info (${results.length} checks: ${outcome('fail')} fail, ${outcome('skip')} skip, ${outcome('pass')} pass, ${outcome('not-applicable')} not applicable)`);
  for (const f of findings.slice(0, TOP_FINDINGS)) out.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.checkId} ${sanitizeLine(subjectKey(f.subject))}: ${sanitizeLine(f.message)}`);
  if (findings.length > TOP_FINDINGS) out.push(`  … ${findings.length - TOP_FINDINGS} more: meshdoctor check`);
  out.push('');
  out.push('Run meshdoctor in a terminal for the live view; `meshdoctor check` for the full report and CI exit codes.');
  io.stdout.write(`${out.join('\n')}\n`);
  return ExitCode.ok;
}
