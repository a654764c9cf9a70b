/**
 * Keys → actions and effects, pure. k9s conventions: `:` command mode, `/` filter (`!` inverts),
 * `?` help, `esc` back, `enter` drill down, arrows and `j/k/g/G`, PgUp/PgDn, `s`/`S` sort, `q`
 * quit. No key changes the cluster: the only effects are quitting, refreshing, copying a command
 * to the clipboard, running a runbook's verify step (reads) and reading another context (`:ctx`).
 */
import {clipboardRefusal} from '../../core/sanitize.js';
import {copyCommands} from '../../runbooks/walkthrough.js';
import {parseCommand} from './commands.js';
import {currentView, selectedFinding} from './reducer.js';
import {podEntry} from './pod-view.js';
import {POD_TABS} from './types.js';
import {workloadDetail} from './workload.js';
import type {Action, Effect, TuiState} from './types.js';

export {KEY_HELP} from './help.js';

/** The subset of Ink's key object the keymap reads. */
export type KeyInfo = Readonly<{
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}>;

export type KeyResult = Readonly<{actions: readonly Action[]; effects: readonly Effect[]}>;

const NONE: KeyResult = {actions: [], effects: []};

function act(...actions: Action[]): KeyResult {
  return {actions, effects: []};
}

/** Reading another context: the state forgets the old cluster and the app points the engine at the new one. */
function switchTo(state: TuiState, context: string | undefined): KeyResult | undefined {
  if (context === undefined || context === state.data.context || !state.contexts.includes(context)) return undefined;
  return {actions: [{type: 'context-switch', context, at: state.now}], effects: [{kind: 'switch-context', context}]};
}

/** Typing a command or a filter: actions are relative (type, erase), so keys that arrive together all count. */
function lineInput(state: TuiState, input: string, key: KeyInfo): KeyResult {
  if (key.escape) return act({type: 'mode', mode: {kind: 'normal'}});
  if (key.return && state.mode.kind === 'command') {
    const cmd = parseCommand(state.mode.text);
    return (cmd?.kind === 'context' && switchTo(state, cmd.context)) || act({type: 'submit'});
  }
  if (key.return) return act({type: 'submit'});
  if (key.tab) return state.mode.kind === 'command' ? act({type: 'complete'}) : NONE;
  if (key.backspace || key.delete) return act({type: 'erase'});
  if (key.ctrl && input === 'u') return act({type: 'input', text: ''});
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return NONE;
  // Pasted text arrives as one string: keep printable characters only.
  const printable = [...input].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return printable ? act({type: 'type', chars: printable}) : NONE;
}

function runbookKeys(state: TuiState, input: string, key: KeyInfo): KeyResult | undefined {
  const top = currentView(state);
  if (top.view !== 'runbook' || key.ctrl || key.meta) return undefined;
  const w = state.walkthroughs[top.key];
  if (!w) return undefined;
  const at = new Date(state.now).toISOString();
  const step = w.steps[w.current];
  if (input === ' ') return act({type: 'walkthrough', key: top.key, action: {type: 'toggle-done', at}});
  if (input === 'x') return act({type: 'walkthrough', key: top.key, action: {type: 'skip', at}});
  if (input === 'v') {
    if (!step) return NONE;
    const runnable = step.filledVerifies.map((spec, index) => ({spec, index})).filter((v) => v.spec.kind !== 'invalid');
    if (runnable.length === 0) return act({type: 'flash', text: 'this step has no verify line (```meshdoctor)', level: 'warn', at: state.now});
    const actions: Action[] = [];
    const effects: Effect[] = [];
    for (const {spec, index} of runnable) {
      if (state.verifying[`${top.key}|${step.id}|${index}`]) continue;
      actions.push({type: 'verify-started', key: top.key, stepId: step.id, index});
      effects.push({kind: 'verify', key: top.key, stepId: step.id, index, spec: spec as Extract<Effect, {kind: 'verify'}>['spec'], target: w.target});
    }
    return {actions, effects};
  }
  if (input === 'y') {
    const copy = step ? copyCommands(step) : undefined;
    if (!step || !copy || copy.count + copy.unfilled === 0) return act({type: 'flash', text: 'this step has no command to copy', level: 'warn', at: state.now});
    if (copy.count === 0) return act({type: 'flash', text: `not copied: ${copy.unfilled === 1 ? 'its command is' : `its ${copy.unfilled} commands are`} not filled in for this finding`, level: 'warn', at: state.now});
    // The clipboard gets exactly what the screen shows, or nothing: pasted control characters act as keys in a shell.
    const refusal = clipboardRefusal(copy.text);
    if (refusal) return act({type: 'flash', text: `not copied: ${refusal} — a name from the cluster cannot be shown safely; type the command yourself`, level: 'error', at: state.now});
    const left = copy.unfilled ? ` (${copy.unfilled} not filled in, left out)` : '';
    return {actions: [], effects: [{kind: 'copy', text: copy.text, what: `${copy.count} command${copy.count === 1 ? '' : 's'} of ${step.id}${left}`}]};
  }
  return undefined;
}

function podKeys(state: TuiState, input: string, key: KeyInfo): KeyResult | undefined {
  const top = currentView(state);
  if (top.view !== 'pod' || key.ctrl || key.meta) return undefined;
  if (key.tab) return act({type: 'pod-tab', tab: 'next'});
  if (input === '1' || input === '2' || input === '3') return act({type: 'pod-tab', tab: POD_TABS[Number(input) - 1]});
  if (top.tab === 'proxy') return undefined;
  if (input === '/') return act({type: 'mode', mode: {kind: 'search', text: '', previous: top.search}});
  if (input === 'n' || input === 'N') return act({type: 'pod-search-next', direction: input === 'n' ? 1 : -1});
  if (input === 'f') return act({type: 'pod-follow'});
  return undefined;
}

/** `e` on an edge: the pod view of the sidecar that sent its requests, on its proxy's view of that upstream. */
function edgeProxy(state: TuiState): KeyResult {
  const top = currentView(state);
  if (top.view !== 'workload') return NONE;
  const line = workloadDetail(state, top.namespace, top.workload).lines[top.cursor];
  if (line?.kind === 'pod') return act({type: 'navigate', entry: podEntry(top.namespace, line.pod.name, 'proxy')});
  if (line?.kind !== 'edge') return act({type: 'flash', text: 'select an edge (or a pod) to see its proxy\'s view', level: 'warn', at: state.now});
  const p = line.edge.proxy;
  if (!p) return act({type: 'flash', text: 'no running pod with a proxy sent these requests', level: 'warn', at: state.now});
  return act({type: 'navigate', entry: podEntry(p.namespace, p.pod, 'proxy', p.host)});
}

export function interpretKey(state: TuiState, input: string, key: KeyInfo): KeyResult {
  if (state.mode.kind !== 'normal') return lineInput(state, input, key);
  const top = currentView(state);
  const special = runbookKeys(state, input, key) ?? podKeys(state, input, key);
  if (special) return special;

  if (key.upArrow || input === 'k') return act({type: 'move', by: -1});
  if (key.downArrow || input === 'j') return act({type: 'move', by: 1});
  if (key.pageUp || (key.ctrl && input === 'b')) return act({type: 'move', by: 'page-up'});
  if (key.pageDown || (key.ctrl && input === 'f')) return act({type: 'move', by: 'page-down'});
  if (key.home || input === 'g') return act({type: 'move', by: 'top'});
  if (key.end || input === 'G') return act({type: 'move', by: 'bottom'});
  if (key.return && top.view === 'contexts') return switchTo(state, state.contexts[top.cursor]) ?? act({type: 'open'});
  if (key.return) return act({type: 'open'});
  if (key.escape) return act({type: 'back'});
  if (key.ctrl || key.meta) return NONE;

  switch (input) {
    case 'q':
      return {actions: [{type: 'quit'}], effects: [{kind: 'quit'}]};
    case '?':
      return top.view === 'help' ? act({type: 'back'}) : act({type: 'navigate', entry: {view: 'help', scroll: 0}});
    case ':':
      return act({type: 'mode', mode: {kind: 'command', text: ''}});
    case 'e':
      return edgeProxy(state);
    case 'l': {
      if (top.view !== 'workload') return NONE;
      const line = workloadDetail(state, top.namespace, top.workload).lines[top.cursor];
      return line?.kind === 'pod' ? act({type: 'navigate', entry: podEntry(top.namespace, line.pod.name, 'logs')}) : NONE;
    }
    case '/': {
      if (top.view !== 'services' && top.view !== 'checks') return act({type: 'flash', text: 'the filter works on the Services and Checks views (and searches a pod\'s log)', level: 'warn', at: state.now});
      const previous = top.view === 'checks' ? state.checksFilter : state.services.filter;
      return act({type: 'mode', mode: {kind: 'filter', text: '', previous}});
    }
    case 's':
    case 'S':
      if (top.view !== 'services') return act({type: 'flash', text: 'sorting works on the Services view', level: 'warn', at: state.now});
      return act({type: input === 's' ? 'sort-next' : 'sort-reverse'});
    case 't':
      return top.view === 'services' ? act({type: 'trend-toggle'}) : NONE;
    case 'c':
      return act({type: 'navigate', entry: {view: 'checks', cursor: -1, scroll: 0}});
    case 'r': {
      const finding = selectedFinding(state);
      if (!finding) return act({type: 'flash', text: top.view === 'services' ? 'this workload has no finding' : 'no finding selected', level: 'warn', at: state.now});
      return act({type: 'open-runbook', finding, at: state.now});
    }
    case 'R':
      return {actions: [{type: 'flash', text: 'refreshing…', at: state.now}], effects: [{kind: 'refresh'}]};
    default:
      return NONE;
  }
}
