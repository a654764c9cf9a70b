/**
 * A runbook walked for one finding: the current step (prose as terminal Markdown, its commands
 * filled in and shell-quoted, its verify lines with ✔/✖ and the measured value), then Meaning and
 * Impact, on the left; the step list with done/skipped marks on the right.
 */
import {Box} from '../ink.js';
import React from 'react';
import type {Runbook} from '../../runbooks/parse.js';
import {fillText} from '../../runbooks/fill.js';
import type {Walkthrough} from '../../runbooks/walkthrough.js';
import {progress} from '../../runbooks/walkthrough.js';
import type {Seg} from '../components/Line.js';
import {Line, padSegs} from '../components/Line.js';
import {clip} from '../format.js';
import type {MdLine} from '../markdown.js';
import {renderMarkdown} from '../markdown.js';
import {runbookSideWidth} from '../state/layout.js';
import type {TuiState} from '../state/types.js';

export type Props = Readonly<{state: TuiState; walkthroughKey: string; scroll: number; width: number; height: number}>;

function mdSegs(line: MdLine): Seg[] {
  return line.map((s) => ({
    text: s.text,
    ...(s.code ? {tone: 'accent' as const} : {}),
    ...(s.bold || s.heading ? {bold: true} : {}),
    ...(s.dim ? {dim: true} : {}),
    ...(s.italic ? {italic: true} : {}),
    ...(s.underline || s.heading ? {underline: true} : {}),
  }));
}

function sectionText(runbook: Runbook | undefined, name: 'Meaning' | 'Impact'): string {
  return (runbook?.sections[name] ?? []).map((t) => t.raw).join('');
}

const VERIFY_MARK = {pass: ['✔', 'ok'], fail: ['✖', 'error'], error: ['?', 'warning']} as const;

/** The left pane's document for the current step. */
export function stepDocument(w: Walkthrough, runbook: Runbook | undefined, verifying: Readonly<Record<string, true>>, key: string, width: number): Seg[][] {
  const step = w.steps[w.current];
  const out: Seg[][] = [];
  if (!step) {
    out.push([{text: 'This runbook has no steps.', dim: true}]);
  } else {
    const st = w.states[step.id];
    const status = st.status === 'done' ? ' · done' : st.status === 'skipped' ? ' · skipped' : '';
    out.push([{text: `Step ${w.current + 1} of ${w.steps.length}`, bold: true}, {text: ` · ${step.section}${status}`, ...(st.status === 'done' ? {tone: 'ok' as const} : {dim: true})}]);
    out.push([]);
    for (const l of renderMarkdown(step.filledText, width)) out.push(mdSegs(l));
    if (step.commandLines.length) {
      const ready = step.commandLines.filter((c) => c.gaps.length === 0).length;
      out.push([], [{text: 'Commands', bold: true}, {text: ready ? `  (y copies the ${ready === step.commandLines.length ? '' : `${ready} `}filled ones)` : '  (none can be filled in for this finding)', dim: true}]);
      const noted = new Set<string>();
      for (const c of step.commandLines) {
        if (c.kind !== 'read' && !noted.has(c.kind)) {
          noted.add(c.kind);
          out.push([{text: c.kind === 'write' ? '  a change: review it and apply it yourself — meshdoctor never runs it' : '  another tool (istioctl, linkerd): run it where that tool is installed', tone: c.kind === 'write' ? 'warning' : 'info'}]);
        }
        for (const g of c.gaps) out.push([{text: '  ✗ not filled ', tone: 'warning'}, {text: `{{${g.placeholder}}}`, bold: true}, {text: `: ${g.reason}`, dim: true}]);
        // Long commands wrap on screen (y copies them whole).
        const chars = [...c.text];
        const room = Math.max(10, width - 4);
        const mark = c.kind === 'write' ? '  ✎ ' : c.kind === 'external' ? '  ⇢ ' : '  $ ';
        for (let i = 0; i < chars.length || i === 0; i += room) {
          out.push([{text: i === 0 ? mark : '    ', dim: true}, {text: chars.slice(i, i + room).join(''), ...(c.gaps.length ? {dim: true} : {tone: c.kind === 'write' ? ('warning' as const) : ('accent' as const)})}]);
        }
      }
    }
    if (step.filledVerifies.length) {
      out.push([], [{text: 'Verify', bold: true}, {text: '  (v runs it)', dim: true}]);
      step.filledVerifies.forEach((spec, i) => {
        const result = st.verifies[i];
        const running = verifying[`${key}|${step.id}|${i}`];
        const head: Seg[] = spec.kind === 'invalid' ? [{text: '  ✖ ', tone: 'error'}, {text: `${spec.raw} (${spec.reason})`, dim: true}] : [];
        if (spec.kind !== 'invalid') {
          if (running) head.push({text: '  … ', tone: 'info'}, {text: spec.raw}, {text: '  running', tone: 'info'});
          else if (result) {
            const [mark, tone] = VERIFY_MARK[result.status];
            head.push({text: `  ${mark} `, tone, bold: true}, {text: spec.raw}, {text: ` → ${result.value}`, tone}, {text: `  ${result.at.slice(11, 19)}`, dim: true});
          } else head.push({text: '  ○ ', dim: true}, {text: spec.raw}, {text: '  not run', dim: true});
        }
        out.push(head);
      });
    }
    for (const n of st.notes) out.push([{text: `  note ${n.at.slice(11, 19)} `, dim: true}, {text: n.text}]);
  }
  for (const name of ['Meaning', 'Impact'] as const) {
    const text = fillText(sectionText(runbook, name), w.values);
    if (!text.trim()) continue;
    out.push([], [{text: name, bold: true, underline: true}]);
    for (const l of renderMarkdown(text, width)) out.push(mdSegs(l));
  }
  return out;
}

export function stepListLines(w: Walkthrough, width: number): {lines: Seg[][]; current: number} {
  const lines: Seg[][] = [[{text: 'Steps', bold: true, underline: true}]];
  let section = '';
  let current = 0;
  w.steps.forEach((s, i) => {
    if (s.section !== section) {
      section = s.section;
      lines.push([{text: section, dim: true}]);
    }
    const st = w.states[s.id];
    const mark = st.status === 'done' ? '✔' : st.status === 'skipped' ? '–' : '○';
    const verified = st.verifies.filter((v) => v !== null);
    const vmark = verified.length === 0 ? '' : verified.every((v) => v!.status === 'pass') ? ' ✔' : verified.some((v) => v!.status === 'fail') ? ' ✖' : ' ?';
    const first = (s.filledText.split('\n').find((l) => l.trim()) ?? s.id).replace(/[*_`]/g, '');
    if (i === w.current) current = lines.length;
    lines.push(padSegs([
      {text: i === w.current ? '▸' : ' ', bold: true},
      {text: `${mark} `, ...(st.status === 'done' ? {tone: 'ok' as const} : {dim: true})},
      {text: `${i + 1}. `, dim: true},
      {text: clip(first, Math.max(4, width - 8 - vmark.length))},
      ...(vmark ? [{text: vmark, tone: vmark === ' ✔' ? 'ok' as const : vmark === ' ✖' ? 'error' as const : 'warning' as const}] : []),
    ], width));
  });
  return {lines, current};
}

export function RunbookView({state, walkthroughKey, scroll, width, height}: Props): React.ReactElement {
  const w = state.walkthroughs[walkthroughKey];
  if (!w) {
    return (
      <Box height={height}>
        <Line segs={[{text: '  this walkthrough is gone', dim: true}]} />
      </Box>
    );
  }
  const side = runbookSideWidth(state.size);
  const left = Math.max(20, width - side - 3);
  const p = progress(w);
  const head: Seg[] = [{text: ` ${w.checkId} `, bold: true, inverse: true}, {text: ` ${w.title}`, bold: true}, {text: `  for ${w.target}`, dim: true}, {text: `  ${p.done}/${p.total} done${p.skipped ? `, ${p.skipped} skipped` : ''}`, tone: p.done === p.total ? 'ok' : 'info'}];
  const doc = stepDocument(w, state.data.runbooks.get(w.checkId), state.verifying, walkthroughKey, left);
  const bodyRows = Math.max(1, height - 1);
  const top = Math.min(scroll, Math.max(0, doc.length - bodyRows));
  const shown = doc.slice(top, top + bodyRows);
  const steps = stepListLines(w, side);
  const stepTop = Math.max(0, Math.min(steps.current - Math.floor(bodyRows / 2), steps.lines.length - bodyRows));
  const stepShown = steps.lines.slice(stepTop, stepTop + bodyRows);
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line segs={padSegs(head, width)} />
      <Box flexDirection="row" height={bodyRows}>
        <Box flexDirection="column" width={left + 1} height={bodyRows} overflowY="hidden">
          {shown.map((l, i) => (
            <Line key={i} segs={padSegs([{text: ' '}, ...l], left + 1)} />
          ))}
        </Box>
        <Box flexDirection="column" width={2} height={bodyRows}>
          {Array.from({length: bodyRows}, (_, i) => (
            <Line key={i} segs={[{text: ' │', dim: true}]} />
          ))}
        </Box>
        <Box flexDirection="column" width={side} height={bodyRows} overflowY="hidden">
          {stepShown.map((l, i) => (
            <Line key={i} segs={padSegs(l, side)} inverse={stepTop + i === steps.current} />
          ))}
        </Box>
      </Box>
    </Box>
  );
}
