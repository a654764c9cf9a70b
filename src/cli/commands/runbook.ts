/**
 * `meshdoctor runbook`: without an id, the runbook library (id, block, title); with an id (or slug),
 * the runbook filled in for `--for NAMESPACE/NAME` — on a terminal as a walkthrough (the TUI's
 * Runbook view, `--record FILE` writes the incident log), otherwise printed as Markdown, ready for an
 * incident channel.
 */
import {join} from 'node:path';
import {allChecks} from '../../../checks/index.js';
import {sanitizeStrings, sanitizeText, toSafeJson} from '../../core/sanitize.js';
import {packageRoot} from '../../package-info.js';
import {loadRunbooks} from '../../runbooks/catalog.js';
import type {RunbookEntry} from '../../runbooks/catalog.js';
import type {PlaceholderGaps} from '../../runbooks/fill.js';
import {PLACEHOLDERS} from '../../runbooks/fill.js';
import {contextMarkdown, trafficOf} from '../../runbooks/context-summary.js';
import {startWalkthrough} from '../../runbooks/walkthrough.js';
import {fillRunbookMarkdown} from '../../runbooks/render.js';
import {RunbookError} from '../../runbooks/parse.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {loadSettings} from '../settings.js';
import {oneContext} from '../contexts.js';
import {kubeContext, resolveRunbookTarget} from './runbook-target.js';

export type RunbookFlags = GlobalFlags & {for?: string; runbooks?: string[]; record?: string; output?: string};

const NO_TARGET: PlaceholderGaps = Object.fromEntries(PLACEHOLDERS.filter((p) => p !== 'context').map((p) => [p, 'no object given: pass --for NAMESPACE/NAME']));

function library(flags: RunbookFlags, configDirs: readonly string[]): Map<string, RunbookEntry> {
  try {
    return loadRunbooks(join(packageRoot(), 'runbooks'), [...configDirs, ...(flags.runbooks ?? [])]);
  } catch (error) {
    throw new ExitError(ExitCode.usage, error instanceof RunbookError ? error.message : (error as Error).message);
  }
}

export function listing(entries: Map<string, RunbookEntry>): string {
  const rows = [...entries.values()]
    .sort((a, b) => a.runbook.front.check.localeCompare(b.runbook.front.check))
    .map((e) => {
      const check = allChecks.find((c) => c.id === e.runbook.front.check);
      return [e.runbook.front.check, check?.block ?? 'custom', e.runbook.front.title + (e.origin === 'custom' ? ' (custom)' : '')];
    });
  const widths = [6, Math.max(5, ...rows.map((r) => r[1].length))];
  return ['ID      BLOCK' + ' '.repeat(widths[1] - 3) + 'TITLE', ...rows.map((r) => `${r[0].padEnd(8)}${r[1].padEnd(widths[1] + 2)}${r[2]}`)].join('\n') + '\n';
}

export async function runRunbookCommand(id: string | undefined, flags: RunbookFlags): Promise<number> {
  const settings = await loadSettings(flags);
  const entries = library(flags, settings.config.runbooks.dirs);
  if (!id) {
    process.stdout.write(listing(entries));
    return ExitCode.ok;
  }
  // The filled commands name one context.
  oneContext(settings.cluster, 'runbook');
  const check = allChecks.find((c) => c.id === id.toUpperCase() || c.slug === id);
  const entry = entries.get(check?.id ?? id.toUpperCase());
  if (!entry) throw new ExitError(ExitCode.usage, `unknown runbook "${id}" (see \`meshdoctor runbook\` for the list)`);
  const owner = allChecks.find((c) => c.id === entry.runbook.front.check);
  const {values, gaps, note, context, envoy} = flags.for
    ? await resolveRunbookTarget(owner, flags.for, settings)
    : await kubeContext(settings.cluster).then((kube) => ({values: kube ? {context: kube} : {}, gaps: NO_TARGET, note: 'Not filled in for an object: pass --for NAMESPACE/NAME.', context: undefined, envoy: undefined}));
  if (flags.output === 'json') {
    // For scripts: the same filling as the walkthrough, every command with its kind and gaps.
    const w = startWalkthrough(entry.runbook, flags.for ?? 'the cluster', values, new Date().toISOString(), gaps);
    const doc = {
      schemaVersion: 1, checkId: w.checkId, title: w.title, severity: entry.runbook.front.severity, target: flags.for ?? null, note, values, gaps,
      context: context ? {selector: context.selector ?? null, pods: context.pods.map((p) => p.metadata.name), services: context.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`), ...trafficOf(context, envoy)} : null,
      steps: w.steps.map((s) => ({id: s.id, section: s.section, text: s.filledText, commands: s.commandLines.map((c) => ({text: c.text, kind: c.kind, gaps: c.gaps})), verifies: s.filledVerifies.map((v) => v.raw)})),
    };
    process.stdout.write(toSafeJson(sanitizeStrings(doc)));
    return ExitCode.ok;
  }
  if (process.stdout.isTTY && process.stdin.isTTY) {
    // On a terminal: the walkthrough (React and Ink load only on this path).
    const {runWalkthrough} = await import('./runbook-walkthrough.js');
    return runWalkthrough({settings, entry, values, gaps, target: flags.for ?? 'the cluster', ...(flags.record ? {record: flags.record} : {})});
  }
  if (flags.record) process.stderr.write('meshdoctor: warning: --record is for the walkthrough on a terminal; printing the runbook instead\n');
  const header = [`# ${entry.runbook.front.check} — ${entry.runbook.front.title}`, '', `Severity: ${entry.runbook.front.severity}. ${note}`, ''];
  const about = context ? contextMarkdown(context, Date.now(), envoy) : '';
  process.stdout.write(sanitizeText(header.join('\n') + '\n' + (about ? `${about}\n` : '') + fillRunbookMarkdown(entry.runbook.body, values, gaps).trim() + '\n'));
  return ExitCode.ok;
}
