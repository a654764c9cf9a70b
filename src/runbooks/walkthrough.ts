/**
 * A runbook walkthrough as a pure state machine: the current step, done/skipped marks, verify
 * results with their time, and notes. Serialisable, so a walkthrough can be recorded and turned
 * into a Markdown incident log (a timeline for the postmortem).
 */
import type {Runbook} from './parse.js';
import type {FilledCommand} from './commands.js';
import {copyable, fillCommands} from './commands.js';
import type {PlaceholderGaps, PlaceholderValues} from './fill.js';
import {fillCommand, fillText} from './fill.js';
import type {Step} from './steps.js';
import {runbookSteps} from './steps.js';
import type {VerifyResult, VerifySpec} from './verify.js';
import {parseVerify} from './verify.js';

export type FilledStep = Step & Readonly<{
  filledText: string;
  /** Each shell block filled (shell-quoted). */
  filledCommands: readonly string[];
  /** Each command on its own, with its kind and the placeholders it could not fill. */
  commandLines: readonly FilledCommand[];
  filledVerifies: readonly VerifySpec[];
}>;

export type StepState = Readonly<{
  status: 'todo' | 'done' | 'skipped';
  at?: string;
  verifies: readonly (VerifyResult | null)[];
  notes: readonly Readonly<{at: string; text: string}>[];
}>;

export type LogEntry = Readonly<{at: string; stepId: string; event: 'done' | 'skipped' | 'reopened' | 'verify' | 'note'; detail: string}>;

export type Walkthrough = Readonly<{
  checkId: string;
  title: string;
  /** What the walkthrough is for, e.g. "VirtualService shop/cart". */
  target: string;
  values: PlaceholderValues;
  /** Why some placeholders have no value. */
  gaps: PlaceholderGaps;
  startedAt: string;
  steps: readonly FilledStep[];
  states: Readonly<Record<string, StepState>>;
  current: number;
  log: readonly LogEntry[];
}>;

export type WalkthroughAction =
  | Readonly<{type: 'next'}>
  | Readonly<{type: 'prev'}>
  | Readonly<{type: 'goto'; index: number}>
  | Readonly<{type: 'toggle-done'; at: string}>
  | Readonly<{type: 'skip'; at: string}>
  | Readonly<{type: 'verify-result'; stepId: string; index: number; result: VerifyResult}>
  | Readonly<{type: 'note'; text: string; at: string}>;

export function fillStep(step: Step, values: PlaceholderValues, gaps: PlaceholderGaps = {}): FilledStep {
  return {
    ...step,
    filledText: fillText(step.text, values),
    filledCommands: step.commands.map((c) => fillCommand(c, values)),
    commandLines: step.commands.flatMap((c, i) => fillCommands(c, step.commandKinds[i] ?? 'read', values, gaps)),
    filledVerifies: step.verifies.map((v) => parseVerify(fillText(v.raw, values))),
  };
}

export function startWalkthrough(runbook: Runbook, target: string, values: PlaceholderValues, startedAt: string, gaps: PlaceholderGaps = {}): Walkthrough {
  const steps = runbookSteps(runbook).map((s) => fillStep(s, values, gaps));
  const states: Record<string, StepState> = {};
  for (const s of steps) states[s.id] = {status: 'todo', verifies: s.verifies.map(() => null), notes: []};
  return {checkId: runbook.front.check, title: runbook.front.title, target, values, gaps, startedAt, steps, states, current: 0, log: []};
}

/**
 * What `y` copies from a step: its commands that are filled, one per line (a command with a gap is
 * never copied), how many, and how many were left out. The one place the copy text is made.
 */
export function copyCommands(step: FilledStep): {text: string; count: number; unfilled: number} {
  return copyable(step.commandLines);
}

function clamp(index: number, w: Walkthrough): number {
  return Math.max(0, Math.min(w.steps.length - 1, index));
}

export function reduceWalkthrough(w: Walkthrough, action: WalkthroughAction): Walkthrough {
  const step = w.steps[w.current];
  switch (action.type) {
    case 'next':
      return {...w, current: clamp(w.current + 1, w)};
    case 'prev':
      return {...w, current: clamp(w.current - 1, w)};
    case 'goto':
      return {...w, current: clamp(action.index, w)};
    case 'toggle-done': {
      if (!step) return w;
      const s = w.states[step.id];
      const done = s.status !== 'done';
      const states = {...w.states, [step.id]: {...s, status: done ? ('done' as const) : ('todo' as const), at: action.at}};
      const log = [...w.log, {at: action.at, stepId: step.id, event: done ? ('done' as const) : ('reopened' as const), detail: firstLine(step.filledText)}];
      // Marking done moves on, like ticking a checklist.
      return {...w, states, log, current: done ? clamp(w.current + 1, w) : w.current};
    }
    case 'skip': {
      if (!step) return w;
      const states = {...w.states, [step.id]: {...w.states[step.id], status: 'skipped' as const, at: action.at}};
      return {...w, states, log: [...w.log, {at: action.at, stepId: step.id, event: 'skipped', detail: firstLine(step.filledText)}], current: clamp(w.current + 1, w)};
    }
    case 'verify-result': {
      const s = w.states[action.stepId];
      const target = w.steps.find((x) => x.id === action.stepId);
      if (!s || !target || action.index < 0 || action.index >= s.verifies.length) return w;
      const verifies = s.verifies.map((v, i) => (i === action.index ? action.result : v));
      const spec = target.filledVerifies[action.index];
      const detail = `${spec.raw} → ${action.result.status}${action.result.value ? ` (${action.result.value})` : ''}`;
      return {...w, states: {...w.states, [action.stepId]: {...s, verifies}}, log: [...w.log, {at: action.result.at, stepId: action.stepId, event: 'verify', detail}]};
    }
    case 'note': {
      if (!step || !action.text.trim()) return w;
      const s = w.states[step.id];
      const states = {...w.states, [step.id]: {...s, notes: [...s.notes, {at: action.at, text: action.text.trim()}]}};
      return {...w, states, log: [...w.log, {at: action.at, stepId: step.id, event: 'note', detail: action.text.trim()}]};
    }
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

export function progress(w: Walkthrough): {done: number; skipped: number; total: number} {
  const states = Object.values(w.states);
  return {done: states.filter((s) => s.status === 'done').length, skipped: states.filter((s) => s.status === 'skipped').length, total: states.length};
}

/** The incident log: what was checked when, with results — ready to paste into a postmortem. */
export function incidentLog(w: Walkthrough, endedAt: string): string {
  const p = progress(w);
  const lines = [
    `# ${w.checkId} — ${w.title}`,
    '',
    `- target: ${w.target}`,
    `- started: ${w.startedAt}`,
    `- ended: ${endedAt}`,
    `- steps: ${p.done} done, ${p.skipped} skipped, ${p.total - p.done - p.skipped} open of ${p.total}`,
    '',
    '## Timeline',
    '',
  ];
  if (w.log.length === 0) lines.push('_nothing recorded_');
  for (const e of w.log) lines.push(`- ${e.at} · ${e.stepId} · ${e.event}: ${e.detail}`);
  lines.push('', '## Steps', '');
  for (const s of w.steps) {
    const st = w.states[s.id];
    const mark = st.status === 'done' ? '[x]' : st.status === 'skipped' ? '[-]' : '[ ]';
    lines.push(`- ${mark} ${s.id}: ${firstLine(s.filledText)}`);
    st.verifies.forEach((v, i) => {
      if (v) lines.push(`  - verify \`${s.filledVerifies[i].raw}\`: ${v.status} (${v.value}) at ${v.at}`);
    });
    for (const n of st.notes) lines.push(`  - note (${n.at}): ${n.text}`);
  }
  return lines.join('\n') + '\n';
}
