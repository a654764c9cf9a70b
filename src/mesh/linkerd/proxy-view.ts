/**
 * A Linkerd proxy's own view, from its metrics (the admin port's `/metrics`, what `linkerd viz stat`
 * aggregates): per direction and peer the responses it counted — `response_total` with
 * `classification` success/failure, outbound by `dst_<kind>` (or `dst_service` when no pod answered,
 * with the proxy's own `error`), inbound by the client's identity — as totals since the proxy
 * started and, from two reads, as rates. Pure.
 */

export type LinkerdFlow = Readonly<{
  direction: 'inbound' | 'outbound';
  /** `namespace/workload` (outbound), the client's identity or `(no identity)` (inbound). */
  peer: string;
  requests: number;
  successes: number;
  /** Failures by status code and proxy error (`503 unavailable`). */
  failures: Readonly<Record<string, number>>;
}>;

export type LinkerdRate = Readonly<{direction: 'inbound' | 'outbound'; peer: string; rps: number; success: number | null}>;

export type LinkerdProxyView = Readonly<{
  at: number;
  flows: readonly LinkerdFlow[];
  /** Over the time since the previous read (absent on the first). */
  rates?: readonly LinkerdRate[];
  windowSeconds?: number;
  version?: string;
}>;

type Sample = Readonly<{name: string; labels: Readonly<Record<string, string>>; value: number}>;

const DST_KINDS = ['deployment', 'statefulset', 'daemonset', 'job', 'pod'];

function peerOf(labels: Readonly<Record<string, string>>): string {
  if (labels.direction === 'inbound') return labels.client_id ? labels.client_id.split('.serviceaccount.')[0].split('.').reverse().join('/') : '(no identity)';
  const kind = DST_KINDS.find((k) => labels[`dst_${k}`]);
  const ns = labels.dst_namespace ?? '';
  if (kind) return `${ns}/${labels[`dst_${kind}`]}`;
  return `${ns}/${labels.dst_service ?? '?'} (no pod answered)`;
}

export function linkerdProxyView(samples: readonly Sample[], at: number, previous?: LinkerdProxyView): LinkerdProxyView {
  const flows = new Map<string, {direction: 'inbound' | 'outbound'; peer: string; requests: number; successes: number; failures: Record<string, number>}>();
  let version: string | undefined;
  for (const s of samples) {
    if (s.name === 'proxy_build_info' && s.labels.version) version = s.labels.version;
    if (s.name !== 'response_total') continue;
    const direction = s.labels.direction === 'inbound' ? 'inbound' : 'outbound';
    const peer = peerOf(s.labels);
    const key = `${direction}|${peer}`;
    const f = flows.get(key) ?? {direction, peer, requests: 0, successes: 0, failures: {}};
    f.requests += s.value;
    if (s.labels.classification === 'success') f.successes += s.value;
    else {
      const why = `${s.labels.status_code ?? '-'}${s.labels.error ? ` ${s.labels.error}` : ''}`;
      f.failures[why] = (f.failures[why] ?? 0) + s.value;
    }
    flows.set(key, f);
  }
  const list = [...flows.values()].sort((a, b) => a.direction.localeCompare(b.direction) || b.requests - a.requests);
  const seconds = previous ? (at - previous.at) / 1000 : 0;
  const rates = previous && seconds > 0 ? list.map((f) => {
    const before = previous.flows.find((p) => p.direction === f.direction && p.peer === f.peer);
    const requests = Math.max(0, f.requests - (before?.requests ?? 0));
    const successes = Math.max(0, f.successes - (before?.successes ?? 0));
    return {direction: f.direction, peer: f.peer, rps: requests / seconds, success: requests > 0 ? successes / requests : null};
  }) : undefined;
  return {at, flows: list, ...(rates ? {rates, windowSeconds: seconds} : {}), ...(version ? {version} : {})};
}
