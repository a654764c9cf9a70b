/**
 * The TUI's state, its actions and the effects keys ask for. Plain data (the Snapshot held here is
 * immutable), so the reducer is a pure function tested without Ink, and components only render
 * what selectors derive from it. Data flows one way: sources → actions → state → selectors → views.
 */
import type {PointSeries} from './history.js';
import type {EdgeMetrics, GoldenMetrics, WorkloadRef} from '../../core/golden.js';
import type {ResolvedOptions} from '../../core/options.js';
import type {SignalSet} from '../../core/signals.js';
import type {CheckResult, Finding, MeshInfo} from '../../core/types.js';
import type {Runbook} from '../../runbooks/parse.js';
import type {VerifySpec} from '../../runbooks/verify.js';
import type {Walkthrough, WalkthroughAction} from '../../runbooks/walkthrough.js';
import type {Snapshot} from '../../snapshot/snapshot.js';

/** The sources a header reports on. `checks` is the catalog run over the latest data. */
export type SourceKey = 'kubernetes' | 'metrics' | 'control-plane' | 'checks';

export type SourceHealth = Readonly<{
  /** connecting: no answer yet; ok; stale: it answered before but the last attempt failed; off: not used. */
  state: 'connecting' | 'ok' | 'stale' | 'off';
  /** When it last answered (ms since the epoch). */
  lastOk?: number;
  /** Why the last attempt failed (one line). */
  reason?: string;
  /** What it is, e.g. `proxies: 12 pod(s) scraped`. */
  detail?: string;
  /** Consecutive failures (the retry backoff grows with it). */
  failures: number;
  /** Answering, but not fully: e.g. watches forbidden and re-listed, or throttled (one line). */
  degraded?: string;
  /** When the next attempt is due after a failure. */
  retryAt?: number;
}>;

export type SortColumn = 'worst' | 'namespace' | 'workload' | 'pods' | 'success' | 'rps' | 'p50' | 'p95' | 'p99' | 'finding';
export const SORT_COLUMNS: readonly SortColumn[] = ['worst', 'namespace', 'workload', 'pods', 'success', 'rps', 'p50', 'p95', 'p99', 'finding'];

export type SortSpec = Readonly<{column: SortColumn; reverse: boolean}>;

/**
 * A point of a workload's golden-metric history (sparklines, the workload chart): the figures the
 * Services row shows, at instant `t`. `live`: the newest refresh's figures (Prometheus source),
 * replaced by the next refresh and dropped once a history load covers its instant.
 */
export type HistoryPoint = Readonly<{t: number; rps: number | null; successRate: number | null; p99?: number | null; live?: true}>;

export type ServicesViewState = Readonly<{
  /** `namespace/workload` of the selected row; the selection follows the workload when rows re-sort. */
  selected: string | null;
  scroll: number;
  sort: SortSpec;
  filter: string;
  /** The sparkline column: recent success rate or requests per second. */
  trend: 'success' | 'rps';
}>;

/** The pod view's tabs: the application's log, the proxy's log, the proxy's own view (Envoy admin, Linkerd metrics). */
export type PodTab = 'logs' | 'proxy-logs' | 'proxy';
export const POD_TABS: readonly PodTab[] = ['logs', 'proxy-logs', 'proxy'];

export type PodEntry = Readonly<{
  view: 'pod';
  namespace: string;
  pod: string;
  tab: PodTab;
  /** First line shown; with `follow` the view sticks to the newest lines. */
  scroll: number;
  follow: boolean;
  /** Highlighted in the logs; `n`/`N` jump between matches. */
  search: string;
  /** The line of the current match (`n`/`N` go on from it). */
  match?: number;
  /** The upstream this pod was opened for (a failing edge): its clusters, endpoints, routes and stats come first. */
  focusHost?: string;
}>;

export type ViewEntry =
  | Readonly<{view: 'services'}>
  | PodEntry
  | Readonly<{view: 'workload'; namespace: string; workload: string; cursor: number; scroll: number}>
  | Readonly<{view: 'checks'; cursor: number; scroll: number}>
  | Readonly<{view: 'runbook'; key: string; scroll: number}>
  | Readonly<{view: 'help'; scroll: number}>
  /** `:ns` without a name: pick one (or all) from a list. */
  | Readonly<{view: 'namespaces'; cursor: number; scroll: number}>
  /** `:ctx` without a name: pick a context of the kubeconfig. */
  | Readonly<{view: 'contexts'; cursor: number; scroll: number}>;

export type ViewName = ViewEntry['view'];

export type InputMode =
  | Readonly<{kind: 'normal'}>
  | Readonly<{kind: 'search'; text: string; previous: string}>
  | Readonly<{kind: 'filter'; text: string; previous: string}>
  | Readonly<{kind: 'command'; text: string}>;

export type Flash = Readonly<{text: string; level: 'info' | 'warn' | 'error'; until: number}>;

export type TuiConfig = Readonly<{
  refreshSeconds: number;
  /** `--at`: frozen at this instant (ms); metrics come from Prometheus at that time. */
  at?: number;
  options: ResolvedOptions;
  /** How the run is scoped (`-n`, `-A`, default: meshed namespaces), for the header. */
  scope: string;
}>;

/** A container's log as read so far (newest last, bounded). */
export type LogBuffer = Readonly<{lines: readonly string[]; following: boolean; error?: string}>;

/** What the engine read for one pod the view is about (src/tui/state/pod.ts). */
export type PodData = Readonly<{
  logs: Readonly<Record<string, LogBuffer>>;
  /** The pod's Envoy admin view (Istio, Consul, OSM). */
  envoy?: import('../../sources/proxy/envoy-view.js').EnvoyView;
  /** The pod's Linkerd proxy metrics, by direction and peer (two reads apart for rates). */
  linkerd?: import('../../mesh/linkerd/proxy-view.js').LinkerdProxyView;
  proxyAt?: number;
  proxyError?: string;
}>;

export type TuiData = Readonly<{
  context: string | null;
  meshes: readonly MeshInfo[];
  snapshot?: Snapshot;
  inventory: readonly WorkloadRef[];
  signals?: SignalSet;
  golden: readonly GoldenMetrics[];
  edges: readonly EdgeMetrics[];
  /** `prometheus` or `proxies` once a refresh succeeded. */
  metricsSource?: 'prometheus' | 'proxies';
  /** `namespace/workload` → recent points, oldest first. */
  history: Readonly<Record<string, PointSeries>>;
  results: readonly CheckResult[];
  checksAt?: number;
  checksRunning: boolean;
  runbooks: ReadonlyMap<string, Runbook>;
  /** `namespace/pod` → what the engine read for the pods on screen (logs, the proxy's view). */
  pods: Readonly<Record<string, PodData>>;
}>;

export type TuiState = Readonly<{
  config: TuiConfig;
  startedAt: number;
  now: number;
  size: Readonly<{columns: number; rows: number}>;
  sources: Readonly<Record<SourceKey, SourceHealth>>;
  data: TuiData;
  /** The view stack: the last entry is on screen; `esc` pops (the breadcrumbs). */
  stack: readonly ViewEntry[];
  services: ServicesViewState;
  checksFilter: string;
  /** The kubeconfig's contexts, for `:ctx` (empty until read, or when there is no kubeconfig). */
  contexts: readonly string[];
  /** `:ns NAME`: only this namespace's rows (null: every namespace in scope). */
  namespace: string | null;
  /** `:deploy`, `:sts`, `:ds`: only workloads of this kind (null: every kind). */
  workloadKind: string | null;
  mode: InputMode;
  flash?: Flash;
  walkthroughs: Readonly<Record<string, Walkthrough>>;
  /** `walkthroughKey|stepId|index` of verify steps that are running. */
  verifying: Readonly<Record<string, true>>;
  quitting: boolean;
}>;

export type Action =
  | Readonly<{type: 'resize'; columns: number; rows: number}>
  | Readonly<{type: 'tick'; now: number}>
  | Readonly<{type: 'source-ok'; source: SourceKey; at: number; detail?: string}>
  | Readonly<{type: 'source-failed'; source: SourceKey; at: number; reason: string; retryAt?: number}>
  | Readonly<{type: 'source-off'; source: SourceKey; detail: string}>
  | Readonly<{type: 'source-degraded'; source: SourceKey; detail?: string}>
  | Readonly<{type: 'snapshot'; snapshot: Snapshot; inventory: readonly WorkloadRef[]; at: number}>
  | Readonly<{type: 'metrics'; signals: SignalSet; source: 'prometheus' | 'proxies'; at: number; detail?: string}>
  /** Golden signals at each step of [from, to] (Prometheus range queries), oldest first. */
  | Readonly<{type: 'history'; from: number; to: number; sets: readonly SignalSet[]}>
  | Readonly<{type: 'checks-started'}>
  | Readonly<{type: 'checks-done'; results: readonly CheckResult[]; at: number}>
  | Readonly<{type: 'runbooks'; runbooks: ReadonlyMap<string, Runbook>}>
  | Readonly<{type: 'move'; by: number | 'top' | 'bottom' | 'page-up' | 'page-down'}>
  | Readonly<{type: 'open'}>
  | Readonly<{type: 'navigate'; entry: ViewEntry}>
  | Readonly<{type: 'back'}>
  | Readonly<{type: 'sort-next'}>
  | Readonly<{type: 'sort-reverse'}>
  | Readonly<{type: 'trend-toggle'}>
  | Readonly<{type: 'mode'; mode: InputMode}>
  | Readonly<{type: 'input'; text: string}>
  | Readonly<{type: 'type'; chars: string}>
  | Readonly<{type: 'erase'}>
  | Readonly<{type: 'submit'}>
  | Readonly<{type: 'complete'}>
  | Readonly<{type: 'flash'; text: string; level?: Flash['level']; at: number}>
  | Readonly<{type: 'open-runbook'; finding: Finding; at: number}>
  | Readonly<{type: 'walkthrough'; key: string; action: WalkthroughAction}>
  /** Open a walkthrough prepared outside (`meshdoctor runbook ID`); `root`: it is the only view. */
  | Readonly<{type: 'walkthrough-open'; key: string; walkthrough: Walkthrough; root?: boolean}>
  | Readonly<{type: 'verify-started'; key: string; stepId: string; index: number}>
  | Readonly<{type: 'pod-log'; key: string; container: string; lines: readonly string[]; reset?: boolean}>
  | Readonly<{type: 'pod-log-state'; key: string; container: string; following: boolean; error?: string}>
  | Readonly<{type: 'pod-proxy'; key: string; at: number; envoy?: PodData['envoy']; linkerd?: PodData['linkerd']; error?: string}>
  | Readonly<{type: 'pod-tab'; tab: PodTab | 'next'}>
  | Readonly<{type: 'pod-follow'}>
  | Readonly<{type: 'pod-search-next'; direction: 1 | -1}>
  | Readonly<{type: 'quit'}>
  | Readonly<{type: 'contexts'; names: readonly string[]}>
  /** `:ctx NAME`: what was read of the previous cluster goes; the engine reconnects (the Effect below). */
  | Readonly<{type: 'context-switch'; context: string; at: number}>;

/** What a key asks for beyond a state change: done by the app, never by the reducer. */
export type Effect =
  | Readonly<{kind: 'quit'}>
  | Readonly<{kind: 'refresh'}>
  /** Stop reading the current context and read this one instead. */
  | Readonly<{kind: 'switch-context'; context: string}>
  | Readonly<{kind: 'copy'; text: string; what: string}>
  | Readonly<{kind: 'verify'; key: string; stepId: string; index: number; spec: Exclude<VerifySpec, {kind: 'invalid'}>; target?: string}>;
