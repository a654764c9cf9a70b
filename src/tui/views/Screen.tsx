/**
 * The whole frame for a state: header, breadcrumbs and summary, the current view, the command or
 * message line and the key hints — exactly one line shorter than the terminal, or the "terminal too
 * small" notice below 80×24. Presentational: no hooks, no I/O (the bench and tests render it).
 */
import {Box} from '../ink.js';
import React from 'react';
import {Footer} from '../components/Footer.js';
import {Header} from '../components/Header.js';
import type {Seg} from '../components/Line.js';
import {TitleBar} from '../components/TitleBar.js';
import {TooSmall} from '../components/TooSmall.js';
import {age, rate} from '../format.js';
import {completions} from '../state/commands.js';
import {compileFilter} from '../state/filter.js';
import {bodyHeight, frameHeight, tooSmall} from '../state/layout.js';
import {currentView} from '../state/reducer.js';
import {servicesSummary} from '../state/services.js';
import {freshness} from '../state/status.js';
import type {TuiState, ViewEntry} from '../state/types.js';
import {ChecksView} from './ChecksView.js';
import {ContextsView} from './ContextsView.js';
import {HelpView} from './HelpView.js';
import {NamespacesView} from './NamespacesView.js';
import {PodView} from './PodView.js';
import {RunbookView} from './RunbookView.js';
import {ServicesView} from './ServicesView.js';
import {WorkloadView} from './WorkloadView.js';

export type Props = Readonly<{state: TuiState}>;

function crumb(state: TuiState, e: ViewEntry): string {
  switch (e.view) {
    case 'services':
    {
      const scope = [state.workloadKind ? `${state.workloadKind}s` : '', state.namespace ? `ns ${state.namespace}` : ''].filter(Boolean).join(', ');
      return `Services${scope ? ` (${scope})` : ''}${state.services.filter ? ` /${state.services.filter}` : ''}`;
    }
    case 'workload':
      return `${e.namespace}/${e.workload}`;
    case 'checks':
      return `Checks${state.checksFilter ? ` /${state.checksFilter}` : ''}`;
    case 'runbook':
      return `Runbook ${state.walkthroughs[e.key]?.checkId ?? ''}`.trim();
    case 'pod':
      return `pod ${e.pod}`;
    case 'help':
      return 'Help';
    case 'namespaces':
      return 'Namespaces';
    case 'contexts':
      return 'Contexts';
  }
}

/** The findings count, or "checking…" before the catalog has run once (zero findings would read as healthy). */
function findingSegs(state: TuiState, counts: Readonly<Record<'error' | 'warning' | 'info', number>>, label: boolean): Seg[] {
  if (state.data.checksAt === undefined) return [{text: label ? 'findings checking…' : 'checking…', dim: true}];
  const mark = (sev: 'error' | 'warning' | 'info', sym: string): Seg => ({text: `${sym} ${counts[sev]}`, ...(counts[sev] ? {tone: sev} : {dim: true})});
  return [...(label ? [{text: 'findings ', dim: true}] : []), mark('error', '✖'), {text: ' '}, mark('warning', '‼'), {text: ' '}, mark('info', 'ℹ')];
}

/** The right side of the title line, most detailed first: the screen shows the first that fits. */
function summaries(state: TuiState, top: ViewEntry): Seg[][] {
  const stale = freshness(state, 'metrics').stale || freshness(state, 'kubernetes').stale;
  const staleSeg: Seg[] = stale ? [{text: 'STALE ', tone: 'error', bold: true}] : [];
  if (top.view === 'services' || top.view === 'workload') {
    const s = servicesSummary(state);
    const breach: Seg = {text: `${s.breaching} breaching`, ...(s.breaching > 0 ? {tone: 'error' as const, bold: true} : {tone: 'ok' as const})};
    const rps = s.rps === null ? '-' : rate(s.rps);
    return [
      [...staleSeg, breach, {text: ` of ${s.workloads} · ${rps} rps · `, dim: true}, ...findingSegs(state, s.findings, true)],
      [...staleSeg, breach, {text: `/${s.workloads} · ${rps} rps · `, dim: true}, ...findingSegs(state, s.findings, false)],
      [...staleSeg, breach, {text: ' · ', dim: true}, ...findingSegs(state, s.findings, false)],
      [...staleSeg, breach],
    ];
  }
  if (top.view === 'checks') {
    const rs = state.data.results;
    const count = (o: string) => rs.filter((r) => r.outcome === o).length;
    const fail: Seg = {text: `${count('fail')} fail`, ...(count('fail') ? {tone: 'error' as const} : {dim: true})};
    return [
      [...staleSeg, {text: `${rs.length} checks · `, dim: true}, fail, {text: ` · ${count('skip')} skip · ${count('crash')} crash · ${count('pass')} pass · ${count('not-applicable')} n/a`, dim: true}],
      [...staleSeg, fail, {text: ` · ${count('skip')} skip · ${count('pass')} pass`, dim: true}],
      [...staleSeg, fail],
    ];
  }
  return [staleSeg];
}

function status(state: TuiState): Seg[] {
  const segs: Seg[] = [];
  const kube = freshness(state, 'kubernetes');
  const metrics = freshness(state, 'metrics');
  const cp = freshness(state, 'control-plane');
  const retry = (f: typeof kube) => (f.retryInMs !== undefined ? ` · retry in ${Math.ceil(f.retryInMs / 1000)}s` : '');
  if (kube.reason && (kube.stale || kube.connecting)) segs.push({text: `cluster: ${kube.reason}${retry(kube)}`, tone: 'error'}, {text: '  '});
  else if (kube.degraded) segs.push({text: `cluster: ${kube.degraded}`, tone: 'warning'}, {text: '  '});
  if (metrics.reason && (metrics.stale || metrics.connecting)) segs.push({text: `metrics: ${metrics.reason}${retry(metrics)}`, tone: 'error'}, {text: '  '});
  else if (metrics.detail) segs.push({text: metrics.detail, dim: true}, {text: '  '});
  if (cp.reason && cp.stale) segs.push({text: `control plane: ${cp.reason}`, tone: 'warning'}, {text: '  '});
  const checksAge = state.data.checksAt !== undefined ? state.now - state.data.checksAt : undefined;
  const checks = state.data.checksRunning ? 'checks running…' : checksAge === undefined ? 'checks pending' : checksAge < 1000 ? 'checks just now' : `checks ${age(checksAge)} ago`;
  segs.push({text: checks, dim: true});
  return segs;
}

const HINTS: Readonly<Record<ViewEntry['view'], readonly (readonly [string, string])[]>> = {
  services: [['enter', 'open'], ['/', 'filter'], ['s/S', 'sort'], ['r', 'runbook'], ['c', 'checks'], [':', 'cmd'], ['?', 'help'], ['q', 'quit']],
  workload: [['↑↓', 'select'], ['enter', 'open'], ['e', 'proxy view'], ['r', 'runbook'], ['esc', 'back'], ['R', 'refresh'], ['?', 'help'], ['q', 'quit']],
  checks: [['↑↓', 'select'], ['enter', 'runbook'], ['/', 'filter'], ['esc', 'back'], ['?', 'help'], ['q', 'quit']],
  runbook: [['↑↓', 'step'], ['space', 'done'], ['v', 'verify'], ['y', 'copy'], ['x', 'skip'], ['PgDn', 'scroll'], ['esc', 'back']],
  help: [['↑↓', 'scroll'], ['esc', 'back'], ['q', 'quit']],
  namespaces: [['↑↓', 'select'], ['enter', 'show its workloads'], ['esc', 'back']],
  contexts: [['↑↓', 'select'], ['enter', 'switch to it'], ['esc', 'back']],
  pod: [['1/2/3', 'tab'], ['/', 'search'], ['n/N', 'match'], ['f', 'follow'], ['↑↓', 'scroll'], ['esc', 'back'], ['q', 'quit']],
};

function view(state: TuiState, top: ViewEntry, width: number, height: number): React.ReactElement {
  switch (top.view) {
    case 'services':
      return <ServicesView state={state} width={width} height={height} />;
    case 'workload':
      return <WorkloadView state={state} namespace={top.namespace} workload={top.workload} cursor={top.cursor} scroll={top.scroll} width={width} height={height} />;
    case 'checks':
      return <ChecksView state={state} cursor={top.cursor} scroll={top.scroll} width={width} height={height} />;
    case 'runbook':
      return <RunbookView state={state} walkthroughKey={top.key} scroll={top.scroll} width={width} height={height} />;
    case 'pod':
      return <PodView state={state} entry={top} width={width} height={height} />;
    case 'help':
      return <HelpView scroll={top.scroll} width={width} height={height} />;
    case 'namespaces':
      return <NamespacesView state={state} cursor={top.cursor} scroll={top.scroll} width={width} height={height} />;
    case 'contexts':
      return <ContextsView state={state} cursor={top.cursor} scroll={top.scroll} width={width} height={height} />;
  }
}

export function Screen({state}: Props): React.ReactElement {
  const {columns, rows} = state.size;
  if (tooSmall(state.size)) return <TooSmall columns={columns} rows={rows} />;
  const top = currentView(state);
  const mode = state.mode;
  const input = mode.kind === 'command'
    ? {prompt: ':' as const, text: mode.text, completions: completions(state, mode.text)}
    : mode.kind === 'filter' || mode.kind === 'search'
      ? {prompt: '/' as const, text: mode.text, ...(compileFilter(mode.text).literal ? {note: 'not a regular expression: matching as text'} : {})}
      : undefined;
  return (
    <Box flexDirection="column" width={columns} height={frameHeight(state.size)} overflowY="hidden">
      <Header
        width={columns}
        context={state.data.context}
        meshes={state.data.meshes}
        {...(state.data.metricsSource ? {metricsSource: state.data.metricsSource} : {})}
        metrics={freshness(state, 'metrics')}
        kube={freshness(state, 'kubernetes')}
        refreshSeconds={state.config.refreshSeconds}
        {...(state.config.at !== undefined ? {at: state.config.at} : {})}
        now={state.now}
      />
      <TitleBar width={columns} crumbs={state.stack.map((e) => crumb(state, e))} summaries={summaries(state, top)} />
      {view(state, top, columns, bodyHeight(state.size))}
      <Footer width={columns} {...(input ? {input} : {})} {...(state.flash && !input ? {flash: state.flash} : {})} status={status(state)} hints={HINTS[top.view]} />
    </Box>
  );
}
