/**
 * The Prometheus HTTP API through `prometheus-query`: instant and range queries, the scrape interval
 * from `/api/v1/status/config`. GET only; at most `concurrency` queries in flight (default 4) and a
 * timeout on each, so meshdoctor never becomes the load that topples Prometheus mid-incident. Every
 * failure becomes a one-line PrometheusError saying what happened: unreachable, too slow, an HTTP
 * error, Prometheus' own error, an answer that is not the Prometheus API (garbage) or larger than
 * the cap, or a redirect to another origin.
 *
 * Redirects are followed within the configured origin only. Configured headers
 * (`--prometheus-header`: tenants, API keys), the token and the API server's credentials are meant
 * for that origin: as browsers and curl drop credentials on a cross-origin redirect, meshdoctor
 * does not follow one at all and says where it led.
 */
import {parse as parseYaml} from 'yaml';
import {parseDuration} from '../../core/duration.js';
import type {Sample} from '../../mesh/metric-query.js';
import {redactUserinfo} from '../../core/sanitize.js';
import {capMessage, LIMITS} from '../limits.js';

export type PrometheusFailure = 'unreachable' | 'timeout' | 'http' | 'garbage' | 'query' | 'redirect' | 'too-large';

export class PrometheusError extends Error {
  constructor(readonly failure: PrometheusFailure, message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

export type PrometheusTarget = Readonly<{
  /** Base URL: `http://prometheus:9090`, or the API server's service-proxy URL. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** How it was found, for messages: `--prometheus-url`, `service istio-system/prometheus via the API server`. */
  description: string;
  /** Adds credentials per request (the API server's, for the service proxy). */
  authorize?: () => Promise<Readonly<{headers: Record<string, string | string[]>; agent?: unknown}>>;
}>;

export type RangeSeries = Readonly<{labels: Readonly<Record<string, string>>; points: readonly (readonly [number, number])[]}>;

export interface PrometheusClient {
  readonly target: PrometheusTarget;
  /** Instant query at `at`; vector results only. */
  instant(query: string, at: Date): Promise<Sample[]>;
  range(query: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]>;
  /** `global.scrape_interval` in seconds (Prometheus' default 1m when the config does not set it); undefined if unreadable. */
  scrapeInterval(): Promise<number | undefined>;
  /** Queries sent so far (the constant-queries-per-refresh test reads it). */
  readonly queriesSent: number;
}

export type PrometheusClientOptions = Readonly<{
  timeoutMs: number;
  concurrency?: number;
  /** Aborts every query in flight (the TUI quitting). */
  signal?: AbortSignal;
}>;

/** A counting semaphore: at most `limit` tasks in flight. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

type DriverError = {status?: string; errorType?: string; error?: string; code?: string; httpStatus?: number; prometheus?: {errorType?: string}};

function oneLine(text: string, max = 200): string {
  const line = String(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A PrometheusError we threw inside axios or follow-redirects, wrapped by them (`original`, `cause`). */
function ours(error: unknown): PrometheusError | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof PrometheusError) return e;
    e = (e as {original?: unknown}).original ?? (e as {cause?: unknown}).cause;
  }
  return undefined;
}

function describeFailure(target: PrometheusTarget, error: unknown, timeoutMs: number): PrometheusError {
  const thrown = ours(error);
  if (thrown) return thrown;
  const e = error as DriverError & Error;
  const where = target.description;
  if (/maxContentLength/.test(String(e?.error ?? e?.message ?? ''))) {
    return new PrometheusError('too-large', capMessage(`the answer of Prometheus (${where})`, 'prometheus'));
  }
  if (e?.errorType === 'timeout_error' || e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT' || e?.code === 'ERR_CANCELED') {
    return new PrometheusError('timeout', `Prometheus (${where}) did not answer within ${timeoutMs / 1000}s`);
  }
  if (e?.errorType === 'network_error' || e?.errorType === 'ssl_error') {
    const reason = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'host not found' : oneLine(e.error ?? e.message ?? 'network error');
    return new PrometheusError('unreachable', `cannot reach Prometheus (${where}): ${reason}`);
  }
  if (e?.errorType === 'http_error') {
    const status = e.httpStatus ?? 0;
    if (e.prometheus?.errorType === 'bad_data' || e.prometheus?.errorType === 'execution') {
      return new PrometheusError('query', `Prometheus (${where}) rejected a query: ${oneLine(e.error ?? '')}`);
    }
    const what = status === 401 ? 'unauthorised' : status === 403 ? 'forbidden' : `HTTP ${status}`;
    return new PrometheusError('http', `Prometheus (${where}) answered ${what}${e.error ? `: ${oneLine(e.error)}` : ''}`);
  }
  if (e?.errorType === 'client_error') {
    return new PrometheusError('garbage', `Prometheus (${where}) sent an answer that is not the Prometheus API (not JSON with a status)`);
  }
  return new PrometheusError('garbage', `Prometheus (${where}) sent an unexpected answer: ${oneLine(e?.message ?? String(error))}`);
}

function redirectOrigin(options: {href?: string; protocol?: string; host?: string}): string {
  try {
    return new URL(options.href ?? `${options.protocol}//${options.host}`).origin;
  } catch {
    return 'an unreadable address';
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === '+Inf' || value === 'Inf') return Infinity;
    if (value === '-Inf') return -Infinity;
    if (value === 'NaN') return NaN;
    const n = Number(value);
    if (value.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new Error(`not a sample value: ${oneLine(JSON.stringify(value), 60)}`);
}

type Driver = {
  instantQuery(query: string, time?: Date, timeout?: string): Promise<{resultType: string; result: unknown[]}>;
  rangeQuery(query: string, start: Date, end: Date, step: number, timeout?: string): Promise<{resultType: string; result: unknown[]}>;
  status(): Promise<unknown>;
};

type MetricLike = {metric?: {name?: string; labels?: Record<string, string>} | null; value?: {value?: unknown}; values?: {time?: Date; value?: unknown}[]};

function labelsOf(m: MetricLike): Record<string, string> {
  const labels: Record<string, string> = {...(m.metric?.labels ?? {})};
  if (m.metric?.name) labels.__name__ = m.metric.name;
  return labels;
}

export async function createPrometheusClient(target: PrometheusTarget, options: PrometheusClientOptions): Promise<PrometheusClient> {
  const {PrometheusDriver} = await import('prometheus-query');
  const limiter = new Limiter(options.concurrency ?? 4);
  const timeoutMs = options.timeoutMs;
  const origin = new URL(target.url).origin;
  const driver = new PrometheusDriver({
    endpoint: target.url.replace(/\/$/, ''),
    baseURL: '/api/v1/',
    headers: {...(target.headers ?? {})},
    timeout: timeoutMs,
    preferPost: false,
    responseInterceptor: {
      // A 200 that is not the Prometheus API (a login page, a proxy's error page) is garbage, whatever the library makes of it.
      onFulfilled: (res) => {
        const d = res.data as {status?: unknown; errorType?: unknown; error?: unknown} | undefined;
        if (!d || typeof d !== 'object' || typeof d.status !== 'string') {
          throw new PrometheusError('garbage', `Prometheus (${target.description}) sent an answer that is not the Prometheus API (HTTP ${res.status}, ${String(res.headers['content-type'] ?? 'no content type')})`);
        }
        // Prometheus' own error, even with 200 (some proxies and older servers answer so): its words, not a crash on `data`.
        if (d.status === 'error') {
          throw new PrometheusError('query', `Prometheus (${target.description}) answered an error: ${oneLine(`${typeof d.errorType === 'string' ? `${d.errorType}: ` : ''}${typeof d.error === 'string' ? d.error : 'no error text'}`)}`);
        }
        return res;
      },
      onRejected: (err: {response?: {status: number; data?: unknown}}) => {
        const res = err?.response;
        const d = res?.data as {status?: unknown; error?: unknown} | undefined;
        if (res && !(d && typeof d === 'object' && typeof d.status === 'string')) {
          const what = res.status === 401 ? 'unauthorised' : res.status === 403 ? 'forbidden' : `HTTP ${res.status}`;
          throw new PrometheusError('http', `Prometheus (${target.description}) answered ${what}`);
        }
        throw err;
      },
    },
    requestInterceptor: {
      onFulfilled: async (config) => {
        // axios' timeout is a socket idle timeout: a body dripped byte by byte never trips it. The
        // abort signal is a deadline for the whole exchange.
        config.signal = options.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]) : AbortSignal.timeout(timeoutMs);
        config.maxContentLength = LIMITS.prometheus;
        config.maxRedirects = 5;
        config.beforeRedirect = (options: {href?: string; protocol?: string; host?: string}) => {
          const to = redirectOrigin(options);
          if (to !== origin) throw new PrometheusError('redirect', `Prometheus (${target.description}) redirected to another origin (${redactUserinfo(to)}); meshdoctor does not follow it, so that headers and credentials meant for ${redactUserinfo(origin)} are not sent elsewhere: pass the address it should use with --prometheus-url`);
        };
        if (target.authorize) {
          const {headers, agent} = await target.authorize();
          for (const [k, v] of Object.entries(headers)) config.headers.set(k, v);
          if (agent) config.httpsAgent = agent;
        }
        return config;
      },
    },
  }) as unknown as Driver;
  const promTimeout = `${Math.max(1, Math.floor(timeoutMs / 1000))}s`;
  let sent = 0;
  // Read once per client: a TUI refresh reuses the client and pays no extra request.
  let interval: Promise<number | undefined> | undefined;
  const call = <T>(fn: () => Promise<T>): Promise<T> => limiter.run(async () => {
    sent++;
    try {
      return await fn();
    } catch (error) {
      throw describeFailure(target, error, timeoutMs);
    }
  });
  const garbage = (what: string) => new PrometheusError('garbage', `Prometheus (${target.description}) sent an unexpected answer: ${what}`);

  return {
    target,
    get queriesSent() {
      return sent;
    },
    async instant(query, at) {
      const result = await call(() => driver.instantQuery(query, at, promTimeout));
      if (!result || !Array.isArray(result.result)) throw garbage('no result');
      if (result.resultType !== 'vector') throw garbage(`a ${String(result.resultType)} where a vector was expected`);
      try {
        // NaN (0/0: no observations), ±Inf and values beyond a double (1e309) are not measurements: no sample, no data.
        return (result.result as MetricLike[]).map((r) => ({labels: labelsOf(r), value: toNumber(r.value?.value)})).filter((s) => Number.isFinite(s.value));
      } catch (error) {
        throw garbage((error as Error).message);
      }
    },
    async range(query, start, end, stepSeconds) {
      const result = await call(() => driver.rangeQuery(query, start, end, stepSeconds, promTimeout));
      if (!result || result.resultType !== 'matrix' || !Array.isArray(result.result)) throw garbage('not a matrix');
      try {
        return (result.result as MetricLike[]).map((r) => ({
          labels: labelsOf(r),
          points: (r.values ?? []).map((p) => [Math.round((p.time as Date).getTime() / 1000), toNumber(p.value)] as const).filter((p) => Number.isFinite(p[1])),
        }));
      } catch (error) {
        throw garbage((error as Error).message);
      }
    },
    scrapeInterval() {
      interval ??= readInterval();
      return interval;
    },
  };

  async function readInterval(): Promise<number | undefined> {
    try {
      const status = (await call(() => driver.status())) as {yaml?: unknown} | undefined;
      if (typeof status?.yaml !== 'string') return undefined;
      const config = parseYaml(status.yaml) as {global?: {scrape_interval?: string}} | null;
      return parseDuration(config?.global?.scrape_interval ?? '1m');
    } catch {
      // Thanos/Mimir do not serve the config; the check is best effort.
      return undefined;
    }
  }
}
