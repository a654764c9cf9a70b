/**
 * `meshdoctor runbook`: without an id, the runbook library (id, block, title); with an id (or slug),
 * the runbook filled in for `--for NAMESPACE/NAME` — on a terminal as a walkthrough (the TUI's
 * Runbook view, `--record FILE` writes the incident log), otherwise printed as Markdown, ready for an
 * incident channel.
 */
import {join} from 'node:path';
import {allChecks} from '../../../checks/index.js';
import {sanitizeText} from '../../core/sanitize.js';
import {packageRoot} from '../../package-info.js';
import {loadRunbooks} from '../../runbooks/catalog.js';
import type {RunbookEntry} from '../../runbooks/catalog.js';
import type {PlaceholderValues} from '../../runbooks/fill.js';
import {fillRunbookMarkdown} from '../../runbooks/render.js';
import {RunbookError} from '../../runbooks/parse.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {usage} from '../options.js';
import {loadSettings} from '../settings.js';

export type RunbookFlags = GlobalFlags & {for?: string; runbooks?: string[]; record?: string};

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

/** `ns/name` → placeholder values. The kind is not known here, so workload and service are assumed to share the name. */
export function valuesFor(target: string | undefined, context: string | undefined): {values: PlaceholderValues; note?: string} {
  const values: Record<string, string> = {};
  if (context) values.context = context;
  if (!target) return {values};
  const m = /^([a-z0-9][-a-z0-9]*)\/([^/\s]+)$/.exec(target);
  if (!m) usage(`--for: "${target}" must be NAMESPACE/NAME`);
  Object.assign(values, {namespace: m[1], name: m[2], workload: m[2], service: m[2]});
  return {values, note: `Filled in for ${target}; the workload and Service are assumed to be named ${m[2]}.`};
}

export async function runRunbookCommand(id: string | undefined, flags: RunbookFlags): Promise<number> {
  const settings = await loadSettings(flags);
  const entries = library(flags, settings.config.runbooks.dirs);
  if (!id) {
    process.stdout.write(listing(entries));
    return ExitCode.ok;
  }
  const check = allChecks.find((c) => c.id === id.toUpperCase() || c.slug === id);
  const entry = entries.get(check?.id ?? id.toUpperCase());
  if (!entry) throw new ExitError(ExitCode.usage, `unknown runbook "${id}" (see \`meshdoctor runbook\` for the list)`);
  const {values, note} = valuesFor(flags.for, flags.context);
  if (process.stdout.isTTY && process.stdin.isTTY) {
    // On a terminal: the walkthrough (React and Ink load only on this path).
    const {runWalkthrough} = await import('./runbook-walkthrough.js');
    return runWalkthrough({settings, entry, values, target: flags.for ?? 'the cluster', ...(flags.record ? {record: flags.record} : {})});
  }
  if (flags.record) process.stderr.write('meshdoctor: warning: --record is for the walkthrough on a terminal; printing the runbook instead\n');
  const header = [`# ${entry.runbook.front.check} — ${entry.runbook.front.title}`, '', `Severity: ${entry.runbook.front.severity}${note ? `. ${note}` : ''}`, ''];
  process.stdout.write(sanitizeText(header.join('\n') + '\n' + fillRunbookMarkdown(entry.runbook.body, values).trim() + '\n'));
  return ExitCode.ok;
}
