/** The help screen's content: every key, and how to read the Services view. */

/** One row of the help screen. */
export type KeyHelp = Readonly<{keys: string; what: string; views?: string}>;

export const KEY_HELP: readonly KeyHelp[] = [
  {keys: '↑ ↓  k j', what: 'move the selection (steps in a runbook)'},
  {keys: 'g G  Home End', what: 'first / last row'},
  {keys: 'PgUp PgDn  ^b ^f', what: 'one page up / down'},
  {keys: 'enter', what: 'drill down: workload, edge → its peer, finding → runbook'},
  {keys: 'esc', what: 'back (the breadcrumbs; twice quickly: back twice); clears the filter, the kind, the namespace on Services'},
  {keys: '/', what: 'filter rows (regular expression; a leading ! inverts; on Services also the Services selecting a workload)', views: 'Services, Checks'},
  {keys: ':', what: 'command: svc, deploy/sts/ds, pods, checks, help, ns (a picker), ns NAME, ns all, sort COLUMN, runbook, note TEXT, ctx (a picker), ctx NAME (read another context, no restart), q (Tab completes)'},
  {keys: 's  S', what: 'sort by the next column / reverse the order', views: 'Services'},
  {keys: 't', what: 'trend column: success rate or requests per second', views: 'Services'},
  {keys: 'c', what: 'the Checks view'},
  {keys: 'r', what: 'runbook of the selected finding (worst finding of a workload)'},
  {keys: 'space', what: 'mark the current step done (again: not done)', views: 'Runbook'},
  {keys: 'v', what: 'run the step\'s verify lines and show ✔/✖ with the measured value', views: 'Runbook'},
  {keys: 'y', what: 'copy the step\'s commands to the clipboard (OSC 52)', views: 'Runbook'},
  {keys: 'x', what: 'skip the current step', views: 'Runbook'},
  {keys: 'enter  l', what: 'on a pod: its logs, containers and proxy view', views: 'Workload'},
  {keys: 'e', what: 'on an edge: the calling sidecar\'s Envoy view of that upstream (endpoints, ejections, routes, stats)', views: 'Workload'},
  {keys: '1 2 3  Tab', what: 'pod tabs: application log, proxy log, the proxy\'s own view', views: 'Pod'},
  {keys: '/  n N  f', what: 'search the log (regular expression), next / previous match, follow new lines', views: 'Pod'},
  {keys: 'R', what: 'refresh now'},
  {keys: '?', what: 'this help'},
  {keys: 'q  ^c', what: 'quit'},
];

/** How to read the Services view (the help screen's second part). */
export const HELP_LEGEND: readonly (readonly [string, string])[] = [
  ['SUCCESS', 'the worse of server side (s) and client side (c: what callers saw, incl. requests that never reached a pod); o: a gateway or client, what it sent as it saw it'],
  ['colours', 'red: below the error SLO (or p99 above its error bound); yellow: below the warning SLO; green: within'],
  ['low traffic', 'too few requests in the window to judge (metrics.minRequests / minRps); never shown as 0'],
  ['no traffic', 'the workload served and sent no request in the window (RPS: idle)'],
  ['TCP only', 'no HTTP requests, only TCP connections (RPS: open connections)'],
  ['no data', 'the metrics source has nothing for it (yet)'],
  ['FLAGS', 'Envoy response flags as a share of the requests (UF,URX: connection failures, retries exhausted)'],
  ['TREND', 'recent success rate (t: requests per second)'],
  ['columns', 'on a narrow terminal, dropped in this order: p50, p95, trend, pods, flags, namespace (workload, success, RPS, p99 and the finding stay)'],
  ['STALE', 'a source stopped answering: the last data stays on screen, dimmed, until it recovers'],
  ['order', 'worst first: SLO breach, then error rate, then latency (s/S change it)'],
];

/** Lines of the help screen: heading, keys, blank, heading, legend, blank, closing line. */
export function helpLineCount(): number {
  return 1 + KEY_HELP.length + 2 + HELP_LEGEND.length + 2;
}
