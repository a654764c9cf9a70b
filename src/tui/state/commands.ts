/**
 * `:` command mode, k9s style: `:svc`, `:deploy` (`:sts`, `:ds`: only workloads of that kind),
 * `:pods` (the selected workload's pods), `:checks`, `:help`, `:ns` (a namespace picker), `:ns NAME`
 * (`:ns all` clears it), `:sort COLUMN`, `:note TEXT` (on a runbook), `:ctx` (a picker of the
 * kubeconfig's contexts), `:ctx NAME` (switch to it, no restart), `:q`. Parsing and Tab completion
 * are pure.
 */
import type {SortColumn, TuiState} from './types.js';
import {SORT_COLUMNS} from './types.js';

export type Command =
  | Readonly<{kind: 'view'; view: 'services' | 'checks' | 'help'}>
  /** Services view with only this kind of workload (null: every kind). */
  | Readonly<{kind: 'workload-kind'; workloadKind: string | null}>
  | Readonly<{kind: 'pods'}>
  | Readonly<{kind: 'namespace'; namespace: string | null}>
  | Readonly<{kind: 'namespace-picker'}>
  | Readonly<{kind: 'sort'; column: SortColumn}>
  | Readonly<{kind: 'note'; text: string}>
  | Readonly<{kind: 'runbook'}>
  | Readonly<{kind: 'context-picker'}>
  | Readonly<{kind: 'context'; context: string}>
  | Readonly<{kind: 'quit'}>
  | Readonly<{kind: 'error'; message: string}>;

const VIEWS: Readonly<Record<string, 'services' | 'checks' | 'help'>> = {
  svc: 'services', services: 'services', service: 'services', workloads: 'services', wl: 'services',
  checks: 'checks', check: 'checks', ck: 'checks',
  help: 'help', '?': 'help',
};

/** k9s resource names → the workload kind the Services view then lists. */
const KINDS: Readonly<Record<string, string>> = {
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment', dp: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
};

const PODS = new Set(['pods', 'pod', 'po']);

export const COMMAND_WORDS = ['svc', 'services', 'deploy', 'sts', 'ds', 'pods', 'checks', 'help', 'ns', 'sort', 'runbook', 'note', 'ctx', 'quit'];

export function parseCommand(text: string): Command | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const [word, ...rest] = trimmed.split(/\s+/);
  const arg = rest.join(' ');
  const lower = word.toLowerCase();
  if (VIEWS[lower] === 'services') return {kind: 'workload-kind', workloadKind: null};
  if (VIEWS[lower]) return {kind: 'view', view: VIEWS[lower]};
  if (KINDS[lower]) return {kind: 'workload-kind', workloadKind: KINDS[lower]};
  if (PODS.has(lower)) return {kind: 'pods'};
  if (lower === 'q' || lower === 'q!' || lower === 'quit' || lower === 'exit') return {kind: 'quit'};
  if (lower === 'ns' || lower === 'namespace' || lower === 'namespaces') {
    if (arg === '') return {kind: 'namespace-picker'};
    if (arg === 'all' || arg === '-A' || arg === '*') return {kind: 'namespace', namespace: null};
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(arg)) return {kind: 'error', message: `:ns: "${arg}" is not a namespace name`};
    return {kind: 'namespace', namespace: arg};
  }
  if (lower === 'sort') {
    const column = SORT_COLUMNS.find((c) => c === arg.toLowerCase());
    return column ? {kind: 'sort', column} : {kind: 'error', message: `:sort: one of ${SORT_COLUMNS.join(', ')}`};
  }
  if (lower === 'note') return arg ? {kind: 'note', text: arg} : {kind: 'error', message: ':note needs some text'};
  if (lower === 'runbook' || lower === 'rb') return {kind: 'runbook'};
  if (lower === 'ctx' || lower === 'context' || lower === 'contexts') return arg === '' ? {kind: 'context-picker'} : {kind: 'context', context: arg};
  return {kind: 'error', message: `unknown command "${word}" (try :svc, :deploy, :pods, :checks, :ns, :sort COLUMN, :help, :q)`};
}

/** Namespaces the user can switch to: those of the workloads in scope. */
export function namespaceChoices(state: TuiState): string[] {
  return [...new Set(state.data.inventory.map((w) => w.namespace))].sort();
}

/** Completions of what has been typed so far (whole command texts). */
export function completions(state: TuiState, text: string): string[] {
  const m = /^(\S*)(\s+)?(.*)$/.exec(text) ?? ['', '', undefined, ''];
  const word = m[1] ?? '';
  const hasArg = m[2] !== undefined;
  const arg = m[3] ?? '';
  if (!hasArg) return COMMAND_WORDS.filter((w) => w.startsWith(word.toLowerCase()));
  const lower = word.toLowerCase();
  if (lower === 'ns' || lower === 'namespace') return ['all', ...namespaceChoices(state)].filter((n) => n.startsWith(arg)).map((n) => `${word} ${n}`);
  if (lower === 'ctx' || lower === 'context') return state.contexts.filter((c) => c.startsWith(arg)).map((c) => `${word} ${c}`);
  if (lower === 'sort') return SORT_COLUMNS.filter((c) => c.startsWith(arg.toLowerCase())).map((c) => `${word} ${c}`);
  return [];
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const v of values) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Tab: the single completion (plus a space after a command word that takes an argument), or the longest common prefix. */
export function complete(state: TuiState, text: string): string {
  const options = completions(state, text);
  if (options.length === 0) return text;
  if (options.length === 1) {
    const only = options[0];
    return ['ns', 'sort', 'note', 'ctx'].includes(only) ? `${only} ` : only;
  }
  const prefix = commonPrefix(options);
  return prefix.length > text.length ? prefix : text;
}
