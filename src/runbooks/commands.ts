/**
 * Shell commands of a runbook step. A fence's info string says what a block is:
 *   ```sh            read-only commands (kubectl get/describe/logs…, meshdoctor): safe to run now;
 *   ```sh write      a change for the user to review and apply (meshdoctor never runs it);
 *   ```sh external   commands of other tools (istioctl, linkerd) that need their own install.
 * A block holds one command per line (`\` continues a line; `#` lines are comments). A command
 * whose placeholders cannot all be filled is kept with its gaps, so it is shown as not filled —
 * never as a wrong command — and never copied. Pure.
 */
import type {Placeholder, PlaceholderGaps, PlaceholderValues} from './fill.js';
import {fillCommand, isPlaceholder, placeholdersIn} from './fill.js';

export type CommandKind = 'read' | 'write' | 'external';

export type FilledCommand = Readonly<{
  /** The command as the runbook writes it (placeholders unfilled). */
  template: string;
  /** Filled and shell-quoted; a missing value shows as `'<name>'`. */
  text: string;
  kind: CommandKind;
  /** Placeholders without a value, with the reason. Empty: the command is ready. */
  gaps: readonly Readonly<{placeholder: Placeholder; reason: string}>[];
}>;

/** A fence's info string → the kind of its commands; undefined for blocks that are not shell commands. */
export function commandKind(lang: string | undefined): CommandKind | undefined {
  const [first, ...flags] = (lang ?? '').trim().split(/\s+/);
  if (!['sh', 'bash', 'shell', ''].includes(first)) return undefined;
  if (flags.includes('write')) return 'write';
  if (flags.includes('external')) return 'external';
  return 'read';
}

/** One command per logical line: continuations joined, blank lines and comments dropped. */
export function logicalLines(block: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of block.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1).trimEnd() + ' ';
      continue;
    }
    out.push((current + line.trim()).trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export function fillCommands(block: string, kind: CommandKind, values: PlaceholderValues, gaps: PlaceholderGaps = {}): FilledCommand[] {
  return logicalLines(block).map((template) => {
    const missing = [...new Set(placeholdersIn(template).filter(isPlaceholder).filter((p) => values[p] === undefined))];
    return {
      template,
      text: fillCommand(template, values),
      kind,
      gaps: missing.map((placeholder) => ({placeholder, reason: gaps[placeholder] ?? 'not known for this finding'})),
    };
  });
}

/** What `y` copies: the ready commands of a step (none with a gap), one per line. */
export function copyable(commands: readonly FilledCommand[]): {text: string; count: number; unfilled: number} {
  const ready = commands.filter((c) => c.gaps.length === 0);
  return {text: ready.map((c) => c.text).join('\n'), count: ready.length, unfilled: commands.length - ready.length};
}
