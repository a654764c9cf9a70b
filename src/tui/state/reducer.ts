/**
 * The TUI reducer: (state, action) → state. Pure — no I/O, no clock: times come in actions — so
 * every key and every source event is tested without Ink. Source failures are state (stale with a
 * reason and an age), never exceptions.
 */
import type {GoldenMetrics} from '../../core/golden.js';
import {goldenMetrics} from '../../core/golden.js';
import type {SignalSet} from '../../core/signals.js';
import {startWalkthrough, reduceWalkthrough} from '../../runbooks/walkthrough.js';
import type {Finding} from '../../core/types.js';
import {nextSelectable, checksLines} from './checks.js';
import {complete, parseCommand} from './commands.js';
import {placeholderValues, targetLabel, walkthroughKey, workloadKey} from './findings.js';
import {bodyHeight, followCursor, tableRows, workloadDetailRows} from './layout.js';
import {namespaceRows, selectedIndex, serviceRows} from './services.js';
import type {Action, HistoryPoint, SourceHealth, SourceKey, TuiConfig, TuiState, ViewEntry} from './types.js';
import {SORT_COLUMNS} from './types.js';
import {isSelectable, workloadDetail} from './workload.js';
import {addPoint, historyPoint, mergeLoaded, PointSeries} from './history.js';
import {reducePodData} from './pod.js';
import {movePod, podEntry, reducePodView, setPodSearch} from './pod-view.js';
import {helpLineCount} from './help.js';

/** Points of history kept per workload: 15 minutes of 15 s steps from Prometheus, 5 minutes of 2 s refreshes from the proxies (their only history). */
export const HISTORY_POINTS = 150;
const FLASH_MS = 4000;

export function initialState(config: TuiConfig, size: Readonly<{columns: number; rows: number}>, now: number): TuiState {
  const source = (state: SourceHealth['state'] = 'connecting'): SourceHealth => ({state, failures: 0});
  return {
    config,
    startedAt: now,
    now,
    size,
    sources: {kubernetes: source(), metrics: source(), 'control-plane': source(), checks: source()},
    data: {context: null, meshes: [], inventory: [], golden: [], edges: [], history: {}, results: [], checksRunning: false, runbooks: new Map(), pods: {}},
    stack: [{view: 'services'}],
    services: {selected: null, scroll: 0, sort: {column: 'worst', reverse: false}, filter: '', trend: 'success'},
    checksFilter: '',
    contexts: [],
    namespace: null,
    workloadKind: null,
    mode: {kind: 'normal'},
    walkthroughs: {},
    verifying: {},
    quitting: false,
  };
}

export function currentView(state: TuiState): ViewEntry {
  return state.stack[state.stack.length - 1];
}

function replaceTop(state: TuiState, entry: ViewEntry): TuiState {
  return {...state, stack: [...state.stack.slice(0, -1), entry]};
}

function flash(state: TuiState, text: string, at: number, level: 'info' | 'warn' | 'error' = 'info'): TuiState {
  return {...state, flash: {text, level, until: at + FLASH_MS}};
}

function push(state: TuiState, entry: ViewEntry): TuiState {
  const top = currentView(state);
  if (top.view === entry.view && entry.view !== 'workload' && entry.view !== 'runbook') return replaceTop(state, entry);
  return {...state, stack: [...state.stack, entry]};
}

function source(state: TuiState, key: SourceKey, patch: Partial<SourceHealth>): TuiState {
  return {...state, sources: {...state.sources, [key]: {...state.sources[key], ...patch}}};
}

/** Golden metrics of a signal set for the workloads of the inventory (or, before it is known, those the metrics name). */
function goldenOf(state: TuiState, signals: SignalSet): GoldenMetrics[] {
  return goldenMetrics(signals, state.data.inventory.length > 0 ? state.data.inventory : undefined);
}

/** New golden metrics (signals × inventory), and one more history point per workload. */
function withGolden(state: TuiState, appendAt?: number): TuiState {
  const signals = state.data.signals;
  if (!signals) return state;
  const golden = goldenOf(state, signals);
  let history = state.data.history;
  if (appendAt !== undefined) {
    const next: Record<string, PointSeries> = {...history};
    // Prometheus: the range history is the record and this refresh only extends it to now.
    const live = state.data.metricsSource === 'prometheus';
    for (const g of golden) {
      const key = workloadKey(g.namespace, g.workload);
      const point = historyPoint(g, appendAt, signals.windowSeconds, state.config.options);
      next[key] = addPoint(next[key] ?? PointSeries.EMPTY, live ? {...point, live: true} : point, HISTORY_POINTS);
    }
    history = next;
  }
  return {...state, data: {...state.data, golden, history}};
}

/** History loaded from Prometheus: each step's signals through the same golden metrics as the current figures. */
function withHistory(state: TuiState, action: Extract<Action, {type: 'history'}>): TuiState {
  const loaded = new Map<string, HistoryPoint[]>();
  for (const set of action.sets) {
    const t = Date.parse(set.at);
    for (const g of goldenOf(state, set)) {
      const key = workloadKey(g.namespace, g.workload);
      (loaded.get(key) ?? loaded.set(key, []).get(key)!).push(historyPoint(g, t, set.windowSeconds, state.config.options));
    }
  }
  const history: Record<string, PointSeries> = {...state.data.history};
  for (const [key, points] of loaded) history[key] = mergeLoaded(history[key] ?? PointSeries.EMPTY, points, action.from, action.to, HISTORY_POINTS);
  return {...state, data: {...state.data, history}};
}

function moveServices(state: TuiState, by: Extract<Action, {type: 'move'}>['by']): TuiState {
  const rows = serviceRows(state);
  if (rows.length === 0) return state;
  const page = tableRows(state.size);
  const from = selectedIndex(state, rows);
  const to = by === 'top' ? 0 : by === 'bottom' ? rows.length - 1 : by === 'page-up' ? from - page : by === 'page-down' ? from + page : from + by;
  const index = Math.max(0, Math.min(rows.length - 1, to));
  return {...state, services: {...state.services, selected: rows[index].key, scroll: followCursor(index, state.services.scroll, page, rows.length)}};
}

/** Cursor moves over selectable lines; where there is none, the page scrolls. */
function moveLines<L>(lines: readonly L[], selectable: (l: L) => boolean, cursor: number, scroll: number, height: number, by: Extract<Action, {type: 'move'}>['by']): {cursor: number; scroll: number} {
  const pick = (from: number, dir: 1 | -1): number => {
    for (let i = from; i >= 0 && i < lines.length; i += dir) if (selectable(lines[i])) return i;
    return -1;
  };
  let next = cursor;
  if (by === 'top') next = pick(0, 1);
  else if (by === 'bottom') next = pick(lines.length - 1, -1);
  else if (by === 'page-up' || by === 'page-down') {
    const dir = by === 'page-up' ? -1 : 1;
    const target = Math.max(0, Math.min(lines.length - 1, cursor + dir * height));
    next = pick(target, dir === 1 ? -1 : 1);
    if (next < 0 || (dir === 1 ? next <= cursor : next >= cursor)) next = pick(target, dir);
    if (next < 0) next = cursor;
    const s = Math.max(0, Math.min(Math.max(0, lines.length - height), scroll + dir * height));
    return {cursor: next, scroll: next >= 0 ? followCursor(next, s, height, lines.length) : s};
  } else {
    const dir = by < 0 ? -1 : 1;
    let at = cursor;
    for (let n = 0; n < Math.abs(by); n++) {
      const found = pick(at + dir, dir);
      if (found < 0) break;
      at = found;
    }
    next = at;
    if (next === cursor) {
      // Nothing selectable further on: scroll the text instead.
      const s = Math.max(0, Math.min(Math.max(0, lines.length - height), scroll + dir));
      return {cursor, scroll: s};
    }
  }
  if (next < 0) return {cursor, scroll};
  return {cursor: next, scroll: followCursor(next, scroll, height, lines.length)};
}

function move(state: TuiState, by: Extract<Action, {type: 'move'}>['by']): TuiState {
  const top = currentView(state);
  switch (top.view) {
    case 'services':
      return moveServices(state, by);
    case 'workload': {
      const lines = workloadDetail(state, top.namespace, top.workload).lines;
      const cursor = top.cursor >= 0 && top.cursor < lines.length && isSelectable(lines[top.cursor]) ? top.cursor : lines.findIndex(isSelectable);
      const r = moveLines(lines, isSelectable, cursor < 0 ? 0 : cursor, top.scroll, workloadDetailRows(state.size), by);
      return replaceTop(state, {...top, ...r});
    }
    case 'checks': {
      const lines = checksLines(state);
      const first = nextSelectable(lines, 0, 1);
      const cursor = top.cursor >= 0 && top.cursor < lines.length && lines[top.cursor].kind !== 'block' ? top.cursor : first;
      const r = moveLines(lines, (l) => l.kind !== 'block', cursor < 0 ? 0 : cursor, top.scroll, bodyHeight(state.size), by);
      return replaceTop(state, {...top, ...r});
    }
    case 'runbook': {
      const w = state.walkthroughs[top.key];
      if (!w) return state;
      if (by === 'page-up' || by === 'page-down') return replaceTop(state, {...top, scroll: Math.max(0, top.scroll + (by === 'page-up' ? -1 : 1) * Math.max(1, bodyHeight(state.size) - 4))});
      const index = by === 'top' ? 0 : by === 'bottom' ? w.steps.length - 1 : w.current + by;
      return {...replaceTop(state, {...top, scroll: 0}), walkthroughs: {...state.walkthroughs, [top.key]: reduceWalkthrough(w, {type: 'goto', index})}};
    }
    case 'contexts':
    case 'namespaces': {
      const count = top.view === 'contexts' ? state.contexts.length : namespaceRows(state).length;
      const page = Math.max(1, bodyHeight(state.size) - 1);
      const to = by === 'top' ? 0 : by === 'bottom' ? count - 1 : by === 'page-up' ? top.cursor - page : by === 'page-down' ? top.cursor + page : top.cursor + by;
      const cursor = Math.max(0, Math.min(count - 1, to));
      return replaceTop(state, {...top, cursor, scroll: followCursor(cursor, top.scroll, page, count)});
    }
    case 'pod':
      return movePod(state, top, by);
    case 'help': {
      const page = bodyHeight(state.size);
      const max = Math.max(0, helpLineCount() - page);
      const scroll = by === 'top' ? 0 : by === 'bottom' ? max : by === 'page-up' ? top.scroll - page : by === 'page-down' ? top.scroll + page : top.scroll + by;
      return replaceTop(state, {...top, scroll: Math.max(0, Math.min(max, scroll))});
    }
  }
}

/** Open the walkthrough of a finding's runbook (kept across visits: reopening shows the same state). */
function openRunbook(state: TuiState, finding: Pick<Finding, 'checkId' | 'subject'>, at: number): TuiState {
  const key = walkthroughKey(finding);
  if (state.walkthroughs[key]) return push(state, {view: 'runbook', key, scroll: 0});
  const runbook = state.data.runbooks.get(finding.checkId);
  if (!runbook) {
    return flash(state, state.data.runbooks.size === 0 ? 'runbooks are still loading' : `no runbook for ${finding.checkId}`, at, 'warn');
  }
  const {values, gaps} = placeholderValues(finding, state.data.snapshot, state.data.signals, state.config.options.clusterDomain);
  const w = startWalkthrough(runbook, targetLabel(finding.subject), values, new Date(at).toISOString(), gaps);
  return push({...state, walkthroughs: {...state.walkthroughs, [key]: w}}, {view: 'runbook', key, scroll: 0});
}

/** The finding `r` (and enter on a finding) acts on, in the current view. */
export function selectedFinding(state: TuiState): Finding | undefined {
  const top = currentView(state);
  if (top.view === 'services') {
    const rows = serviceRows(state);
    return rows[selectedIndex(state, rows)]?.finding;
  }
  if (top.view === 'workload') {
    const lines = workloadDetail(state, top.namespace, top.workload).lines;
    const line = lines[top.cursor];
    if (line?.kind === 'finding') return line.finding;
    const first = lines.find((l) => l.kind === 'finding');
    return first?.kind === 'finding' ? first.finding : undefined;
  }
  if (top.view === 'checks') {
    const line = checksLines(state)[top.cursor];
    if (line?.kind === 'finding') return line.finding;
    if (line?.kind === 'check') return line.result.findings[0];
  }
  return undefined;
}

function open(state: TuiState): TuiState {
  const top = currentView(state);
  switch (top.view) {
    case 'services': {
      const rows = serviceRows(state);
      const row = rows[selectedIndex(state, rows)];
      return row ? push(state, {view: 'workload', namespace: row.namespace, workload: row.workload, cursor: -1, scroll: 0}) : state;
    }
    case 'workload': {
      const lines = workloadDetail(state, top.namespace, top.workload).lines;
      const line = lines[top.cursor];
      if (line?.kind === 'finding') return openRunbook(state, line.finding, state.now);
      if (line?.kind === 'edge' && line.edge.peerKey) {
        const [namespace, workload] = line.edge.peerKey.split('/');
        return push(state, {view: 'workload', namespace, workload, cursor: -1, scroll: 0});
      }
      if (line?.kind === 'pod') return push(state, podEntry(top.namespace, line.pod.name, 'logs'));
      return state;
    }
    case 'checks': {
      const line = checksLines(state)[top.cursor];
      if (line?.kind === 'finding') return openRunbook(state, line.finding, state.now);
      if (line?.kind === 'check') return openRunbook(state, line.result.findings[0] ?? {checkId: line.result.check.id, subject: null}, state.now);
      return state;
    }
    case 'namespaces': {
      const row = namespaceRows(state)[top.cursor];
      if (!row) return state;
      return {...state, stack: state.stack.slice(0, -1), namespace: row.namespace, services: {...state.services, scroll: 0}};
    }
    case 'contexts':
      // The current context (or none): the picker closes; another one is switched to by the key (keymap).
      return {...state, stack: state.stack.slice(0, -1)};
    default:
      return state;
  }
}

/**
 * Another context: everything read from the previous cluster goes (rows, numbers, findings,
 * history, what was drilled into); walkthroughs and their notes stay — they are the user's.
 */
function switchContext(state: TuiState, context: string, at: number): TuiState {
  const fresh = initialState(state.config, state.size, at);
  return flash({
    ...state,
    now: at,
    mode: {kind: 'normal'},
    sources: fresh.sources,
    data: {...fresh.data, context, runbooks: state.data.runbooks},
    stack: fresh.stack,
    services: {...fresh.services, sort: state.services.sort, trend: state.services.trend},
    checksFilter: '',
    namespace: null,
    workloadKind: null,
  }, `switched to context ${context}`, at);
}

/** The Services view on top of the stack (the view `:svc`, `:deploy`, `:ns` lead to). */
function toServices(state: TuiState): TuiState {
  return {...state, stack: [{view: 'services'}], services: {...state.services, scroll: 0}};
}

function submitCommand(state: TuiState, text: string): TuiState {
  const normal: TuiState = {...state, mode: {kind: 'normal'}};
  const cmd = parseCommand(text);
  if (!cmd) return normal;
  switch (cmd.kind) {
    case 'view':
      if (cmd.view === 'services') return {...normal, stack: [{view: 'services'}]};
      if (cmd.view === 'checks') return push(normal, {view: 'checks', cursor: -1, scroll: 0});
      return push(normal, {view: 'help', scroll: 0});
    case 'workload-kind':
      return {...toServices(normal), workloadKind: cmd.workloadKind};
    case 'pods': {
      // The selected workload (or the one on screen) at its Pods section.
      const top = currentView(state);
      const rows = serviceRows(state);
      const target = top.view === 'workload' ? top : rows[selectedIndex(state, rows)];
      if (!target) return flash(normal, 'no workload selected', state.now, 'warn');
      const lines = workloadDetail(state, target.namespace, target.workload).lines;
      const at = Math.max(0, lines.findIndex((l) => l.kind === 'heading' && l.text.startsWith('Pods')));
      const entry: ViewEntry = {view: 'workload', namespace: target.namespace, workload: target.workload, cursor: lines.findIndex((l, i) => i > at && isSelectable(l)), scroll: at};
      return top.view === 'workload' ? replaceTop(normal, entry) : push(normal, entry);
    }
    case 'namespace': {
      const known = cmd.namespace === null || state.data.inventory.some((w) => w.namespace === cmd.namespace);
      const next = {...toServices(normal), namespace: cmd.namespace};
      return known ? next : flash(next, `no meshed workload in namespace ${cmd.namespace} (yet)`, state.now, 'warn');
    }
    case 'namespace-picker': {
      const current = namespaceRows(state).findIndex((r) => r.namespace === state.namespace);
      return push(normal, {view: 'namespaces', cursor: Math.max(0, current), scroll: 0});
    }
    case 'sort':
      return {...normal, services: {...normal.services, sort: {column: cmd.column, reverse: false}, scroll: 0}};
    case 'note': {
      const top = currentView(state);
      if (top.view !== 'runbook' || !state.walkthroughs[top.key]) return flash(normal, ':note works on a runbook', state.now, 'warn');
      return {...normal, walkthroughs: {...state.walkthroughs, [top.key]: reduceWalkthrough(state.walkthroughs[top.key], {type: 'note', text: cmd.text, at: new Date(state.now).toISOString()})}};
    }
    case 'runbook': {
      const f = selectedFinding(state);
      return f ? openRunbook(normal, f, state.now) : flash(normal, 'no finding selected', state.now, 'warn');
    }
    case 'context-picker': {
      if (state.contexts.length === 0) return flash(normal, `context ${state.data.context ?? '(not connected yet)'}: the kubeconfig names no other`, state.now, 'warn');
      return push(normal, {view: 'contexts', cursor: Math.max(0, state.contexts.indexOf(state.data.context ?? '')), scroll: 0});
    }
    case 'context':
      // A known context other than the current one is switched to by the key itself (keymap: an effect); what is left here says why not.
      if (cmd.context === state.data.context) return flash(normal, `already on context ${cmd.context}`, state.now);
      return flash(normal, `:ctx: no context "${cmd.context}" in the kubeconfig (:ctx lists them)`, state.now, 'error');
    case 'quit':
      return {...normal, quitting: true};
    case 'error':
      return flash(normal, cmd.message, state.now, 'error');
  }
}

function setFilter(state: TuiState, text: string): TuiState {
  const top = currentView(state);
  if (top.view === 'checks') return {...replaceTop(state, {...top, cursor: -1, scroll: 0}), checksFilter: text};
  return {...state, services: {...state.services, filter: text, scroll: 0}};
}

export function reduce(state: TuiState, action: Action): TuiState {
  switch (action.type) {
    case 'resize':
      return {...state, size: {columns: action.columns, rows: action.rows}};
    case 'tick': {
      const expired = state.flash && state.flash.until <= action.now;
      return {...state, now: action.now, ...(expired ? {flash: undefined} : {})};
    }
    case 'source-ok':
      return source(state, action.source, {state: 'ok', lastOk: action.at, failures: 0, reason: undefined, retryAt: undefined, ...(action.detail !== undefined ? {detail: action.detail} : {})});
    case 'source-failed': {
      const prev = state.sources[action.source];
      return source(state, action.source, {state: prev.lastOk !== undefined ? 'stale' : 'connecting', reason: action.reason, failures: prev.failures + 1, retryAt: action.retryAt});
    }
    case 'source-off':
      return source(state, action.source, {state: 'off', detail: action.detail, reason: undefined});
    case 'source-degraded':
      return source(state, action.source, {degraded: action.detail});
    case 'snapshot': {
      const s = action.snapshot;
      const next: TuiState = {...state, data: {...state.data, snapshot: s, context: s.context, meshes: s.meshes, inventory: action.inventory}};
      return withGolden(next);
    }
    case 'metrics':
      return withGolden({...state, data: {...state.data, signals: action.signals, metricsSource: action.source}}, action.at);
    case 'history':
      return withHistory(state, action);
    case 'checks-started':
      return {...state, data: {...state.data, checksRunning: true}};
    case 'checks-done':
      return {...state, data: {...state.data, results: action.results, checksAt: action.at, checksRunning: false}};
    case 'runbooks':
      return {...state, data: {...state.data, runbooks: action.runbooks}};
    case 'move':
      return move(state, action.by);
    case 'open':
      return open(state);
    case 'navigate':
      return push(state, action.entry);
    case 'back': {
      const top = currentView(state);
      if (state.stack.length > 1) return {...state, stack: state.stack.slice(0, -1)};
      if (top.view === 'services' && state.services.filter) return {...state, services: {...state.services, filter: '', scroll: 0}};
      if (top.view === 'services' && state.workloadKind !== null) return {...state, workloadKind: null};
      if (top.view === 'services' && state.namespace !== null) return {...state, namespace: null};
      return state;
    }
    case 'sort-next': {
      const i = SORT_COLUMNS.indexOf(state.services.sort.column);
      const column = SORT_COLUMNS[(i + 1) % SORT_COLUMNS.length];
      return {...state, services: {...state.services, sort: {column, reverse: false}, scroll: 0}};
    }
    case 'sort-reverse':
      return {...state, services: {...state.services, sort: {...state.services.sort, reverse: !state.services.sort.reverse}, scroll: 0}};
    case 'trend-toggle':
      return {...state, services: {...state.services, trend: state.services.trend === 'success' ? 'rps' : 'success'}};
    case 'mode': {
      const next = {...state, mode: action.mode};
      // Leaving the filter (or a pod's log search) with esc restores what was there before.
      if (state.mode.kind === 'filter' && action.mode.kind === 'normal') return setFilter(next, state.mode.previous);
      if (state.mode.kind === 'search' && action.mode.kind === 'normal') return setPodSearch(next, state.mode.previous, false);
      return next;
    }
    case 'input': {
      if (state.mode.kind === 'filter') return setFilter({...state, mode: {...state.mode, text: action.text}}, action.text);
      if (state.mode.kind === 'search') return setPodSearch({...state, mode: {...state.mode, text: action.text}}, action.text, false);
      if (state.mode.kind === 'command') return {...state, mode: {...state.mode, text: action.text}};
      return state;
    }
    case 'type': {
      if (state.mode.kind === 'normal') return state;
      return reduce(state, {type: 'input', text: state.mode.text + action.chars});
    }
    case 'erase': {
      if (state.mode.kind === 'normal') return state;
      if (state.mode.text === '') return reduce(state, {type: 'mode', mode: {kind: 'normal'}});
      return reduce(state, {type: 'input', text: [...state.mode.text].slice(0, -1).join('')});
    }
    case 'complete':
      return state.mode.kind === 'command' ? {...state, mode: {kind: 'command', text: complete(state, state.mode.text)}} : state;
    case 'submit': {
      if (state.mode.kind === 'filter') return setFilter({...state, mode: {kind: 'normal'}}, state.mode.text);
      if (state.mode.kind === 'search') return setPodSearch({...state, mode: {kind: 'normal'}}, state.mode.text, true);
      if (state.mode.kind === 'command') return submitCommand(state, state.mode.text);
      return state;
    }
    case 'flash':
      return flash(state, action.text, action.at, action.level);
    case 'open-runbook':
      return openRunbook(state, action.finding, action.at);
    case 'walkthrough': {
      const w = state.walkthroughs[action.key];
      if (!w) return state;
      const walkthroughs = {...state.walkthroughs, [action.key]: reduceWalkthrough(w, action.action)};
      if (action.action.type !== 'verify-result') return {...state, walkthroughs};
      const {[`${action.key}|${action.action.stepId}|${action.action.index}`]: _done, ...verifying} = state.verifying;
      return {...state, walkthroughs, verifying};
    }
    case 'walkthrough-open': {
      const walkthroughs = {...state.walkthroughs, [action.key]: state.walkthroughs[action.key] ?? action.walkthrough};
      const entry: ViewEntry = {view: 'runbook', key: action.key, scroll: 0};
      return action.root ? {...state, walkthroughs, stack: [entry]} : push({...state, walkthroughs}, entry);
    }
    case 'verify-started':
      return {...state, verifying: {...state.verifying, [`${action.key}|${action.stepId}|${action.index}`]: true}};
    case 'pod-log':
    case 'pod-log-state':
    case 'pod-proxy':
      return reducePodData(state, action) ?? state;
    case 'pod-tab':
    case 'pod-follow':
    case 'pod-search-next':
      return reducePodView(state, action);
    case 'quit':
      return {...state, quitting: true};
    case 'contexts':
      return {...state, contexts: action.names};
    case 'context-switch':
      return switchContext(state, action.context, action.at);
  }
}
