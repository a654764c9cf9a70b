/**
 * The pod view's navigation, pure: tabs, scrolling that follows the newest log lines until the user
 * scrolls up (`f` or `G` follows again), the `/` search with `n`/`N` from match to match.
 */
import {bodyHeight} from './layout.js';
import {nextMatch, podDetail, tabAfter} from './pod.js';
import type {Action, PodEntry, PodTab, TuiState} from './types.js';

/** A fresh pod view (following its log). */
export function podEntry(namespace: string, pod: string, tab: PodTab, focusHost?: string): PodEntry {
  return {view: 'pod', namespace, pod, tab, scroll: 0, follow: true, search: '', ...(focusHost ? {focusHost} : {})};
}

/** Lines of the pod view's scrolling pane: the body minus its title, the containers (at most 3) and the tab line. */
export function podPaneRows(size: Readonly<{rows: number}>, containers: number): number {
  return Math.max(3, bodyHeight(size) - 2 - Math.min(3, containers));
}

function top(state: TuiState): PodEntry | undefined {
  const t = state.stack[state.stack.length - 1];
  return t.view === 'pod' ? t : undefined;
}

function replace(state: TuiState, entry: PodEntry): TuiState {
  return {...state, stack: [...state.stack.slice(0, -1), entry]};
}

/** The first line shown: the end when following. */
export function podScroll(entry: PodEntry, lineCount: number, rows: number): number {
  const max = Math.max(0, lineCount - rows);
  return entry.follow && entry.tab !== 'proxy' ? max : Math.min(entry.scroll, max);
}

export function movePod(state: TuiState, entry: PodEntry, by: Extract<Action, {type: 'move'}>['by']): TuiState {
  const d = podDetail(state, entry);
  const rows = podPaneRows(state.size, d.containers.length);
  const max = Math.max(0, d.lines.length - rows);
  const from = podScroll(entry, d.lines.length, rows);
  const to = by === 'top' ? 0 : by === 'bottom' ? max : by === 'page-up' ? from - rows : by === 'page-down' ? from + rows : from + by;
  const scroll = Math.max(0, Math.min(max, to));
  // At the end of a log the view follows new lines again; anywhere else it stays put.
  return replace(state, {...entry, scroll, follow: entry.tab !== 'proxy' && scroll >= max});
}

export function setPodSearch(state: TuiState, text: string, jump: boolean): TuiState {
  const entry = top(state);
  if (!entry) return state;
  const {match: _match, ...rest} = entry;
  const next: PodEntry = {...rest, search: text};
  if (!jump || !text) return replace(state, next);
  // Enter: the newest matching line (logs grow at the end).
  return jumpTo(replace(state, next), next, (lines) => nextMatch(lines, lines.length, -1));
}

function jumpTo(state: TuiState, entry: PodEntry, find: (lines: ReturnType<typeof podDetail>['lines']) => number): TuiState {
  const d = podDetail(state, entry);
  const rows = podPaneRows(state.size, d.containers.length);
  const at = d.lines.length ? find(d.lines) : -1;
  if (at < 0) return {...state, flash: {text: entry.search ? `no line matches /${entry.search}` : 'type / to search', level: 'warn', until: state.now + 4000}};
  // The match goes near the top of the pane (two lines of context above); the view stops following so it stays there.
  return replace(state, {...entry, match: at, scroll: Math.max(0, Math.min(at - 2, d.lines.length - rows)), follow: false});
}

export function reducePodView(state: TuiState, action: Extract<Action, {type: 'pod-tab' | 'pod-follow' | 'pod-search-next'}>): TuiState {
  const entry = top(state);
  if (!entry) return state;
  switch (action.type) {
    case 'pod-tab': {
      const tab = action.tab === 'next' ? tabAfter(entry.tab) : action.tab;
      const {match: _match, ...rest} = entry;
      return replace(state, {...rest, tab, scroll: 0, follow: tab !== 'proxy'});
    }
    case 'pod-follow':
      return replace(state, {...entry, follow: !entry.follow});
    case 'pod-search-next': {
      const d = podDetail(state, entry);
      const from = entry.match ?? podScroll(entry, d.lines.length, podPaneRows(state.size, d.containers.length));
      return jumpTo(state, entry, (lines) => nextMatch(lines, from, action.direction));
    }
  }
}
