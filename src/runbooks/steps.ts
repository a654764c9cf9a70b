/**
 * A runbook's Diagnosis and Mitigation sections as ordered steps: each list item (or, for prose
 * without a list, each paragraph) is a step, with the fenced ```sh commands and ```meshdoctor
 * verify steps it holds.
 */
import type {Token, Tokens} from 'marked';
import type {Runbook, SectionName} from './parse.js';
import type {CommandKind} from './commands.js';
import {commandKind} from './commands.js';
import type {VerifySpec} from './verify.js';
import {parseVerify} from './verify.js';

export type Step = Readonly<{
  /** Stable id within the runbook: `diagnosis-1`, `mitigation-3`. */
  id: string;
  section: Extract<SectionName, 'Diagnosis' | 'Mitigation'>;
  /** The step's prose as Markdown (placeholders not yet filled). */
  text: string;
  /** Shell blocks as written (placeholders unfilled). */
  commands: readonly string[];
  /** What each block of `commands` is (read-only, a change to apply, another tool's command). */
  commandKinds: readonly CommandKind[];
  verifies: readonly VerifySpec[];
}>;

type Collected = {text: string[]; commands: string[]; commandKinds: CommandKind[]; verifies: VerifySpec[]};

function collect(tokens: readonly Token[], into: Collected): void {
  for (const t of tokens) {
    if (t.type === 'code') {
      const code = t as Tokens.Code;
      const lang = (code.lang ?? '').trim();
      const kind = commandKind(lang);
      if (lang === 'meshdoctor') {
        for (const line of code.text.split('\n').map((l) => l.trim()).filter(Boolean)) into.verifies.push(parseVerify(line));
      } else if (kind) {
        into.commands.push(code.text);
        into.commandKinds.push(kind);
      } else {
        into.text.push(code.raw.trim());
      }
      continue;
    }
    if (t.type === 'list') {
      // A nested list stays part of this step's prose.
      into.text.push(t.raw.trimEnd());
      continue;
    }
    const children = (t as {tokens?: Token[]}).tokens;
    if ((t.type === 'paragraph' || t.type === 'text') && t.raw.trim()) into.text.push(t.raw.trim());
    else if (children && t.type !== 'paragraph' && t.type !== 'text') collect(children, into);
  }
}

function stepFrom(id: string, section: Step['section'], tokens: readonly Token[]): Step {
  const into: Collected = {text: [], commands: [], commandKinds: [], verifies: []};
  collect(tokens, into);
  return {id, section, text: into.text.join('\n\n'), commands: into.commands, commandKinds: into.commandKinds, verifies: into.verifies};
}

function sectionSteps(runbook: Runbook, section: Step['section']): Step[] {
  const tokens = runbook.sections[section] ?? [];
  const prefix = section.toLowerCase();
  const steps: Step[] = [];
  const list = tokens.find((t): t is Tokens.List => t.type === 'list');
  if (list) {
    list.items.forEach((item, i) => steps.push(stepFrom(`${prefix}-${i + 1}`, section, item.tokens)));
    // Anything after the list (a closing paragraph, a stray code block) is one more step.
    const after = tokens.slice(tokens.indexOf(list) + 1).filter((t) => t.type !== 'space');
    if (after.length > 0) steps.push(stepFrom(`${prefix}-${steps.length + 1}`, section, after));
    return steps;
  }
  // No list: paragraphs are steps; a code block belongs to the paragraph before it.
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.type === 'space') continue;
    if (t.type !== 'code' && current.length > 0) {
      steps.push(stepFrom(`${prefix}-${steps.length + 1}`, section, current));
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) steps.push(stepFrom(`${prefix}-${steps.length + 1}`, section, current));
  return steps;
}

export function runbookSteps(runbook: Runbook): Step[] {
  return [...sectionSteps(runbook, 'Diagnosis'), ...sectionSteps(runbook, 'Mitigation')];
}
