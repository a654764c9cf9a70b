/**
 * A runbook filled in for one finding, as Markdown (what `meshdoctor runbook ID --for NS/NAME`
 * prints when stdout is not a terminal — ready to paste into an incident channel). Commands in
 * shell fences are filled shell-quoted; a command with a placeholder that has no value is turned
 * into comments naming what is missing and why (pasting the block never runs a wrong command);
 * prose and verify lines are filled as text.
 */
import {commandKind} from './commands.js';
import type {PlaceholderGaps, PlaceholderValues} from './fill.js';
import {fillCommand, fillText, missingValues} from './fill.js';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`]*?)\s*$/;

function fillBlock(lines: readonly string[], values: PlaceholderValues, gaps: PlaceholderGaps): string[] {
  const out: string[] = [];
  let command: string[] = [];
  const flush = () => {
    if (command.length === 0) return;
    const text = command.join('\n');
    const indent = /^\s*/.exec(command[0])![0];
    const missing = missingValues(text, values);
    if (missing.length === 0) out.push(fillCommand(text, values));
    else {
      for (const m of missing) out.push(`${indent}# not filled: {{${m}}}: ${gaps[m] ?? 'not known for this finding'}`);
      out.push(...fillCommand(text, values).split('\n').map((l) => `${indent}# ${l.trimStart()}`));
    }
    command = [];
  };
  for (const line of lines) {
    const trimmed = line.trim();
    if (command.length === 0 && (trimmed === '' || trimmed.startsWith('#'))) {
      out.push(fillText(line, values));
      continue;
    }
    command.push(line);
    if (!line.trimEnd().endsWith('\\')) flush();
  }
  flush();
  return out;
}

export function fillRunbookMarkdown(body: string, values: PlaceholderValues, gaps: PlaceholderGaps = {}): string {
  const out: string[] = [];
  let fence: {marker: string; lang: string; lines: string[]} | undefined;
  for (const line of body.split('\n')) {
    const m = FENCE.exec(line);
    if (m && !fence) {
      fence = {marker: m[2], lang: m[3], lines: []};
      out.push(line);
      continue;
    }
    if (m && fence && m[2].startsWith(fence.marker[0]) && m[2].length >= fence.marker.length && m[3] === '') {
      if (commandKind(fence.lang)) out.push(...fillBlock(fence.lines, values, gaps));
      else out.push(...fence.lines.map((l) => fillText(l, values)));
      fence = undefined;
      out.push(line);
      continue;
    }
    if (fence) fence.lines.push(line);
    else out.push(fillText(line, values));
  }
  if (fence) out.push(...fence.lines.map((l) => fillText(l, values)));
  return out.join('\n');
}
