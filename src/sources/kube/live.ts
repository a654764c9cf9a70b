/**
 * The live KubeSource: GET requests over node:http(s) with client-node supplying configuration and
 * auth (TLS material, client certificates, tokens, exec plugins, proxies). Responses are read as raw
 * JSON — client-node's typed model deserialisation costs about twice `JSON.parse` at 10k pods — and
 * every failure becomes a KubeApiError (the server answered with an error status) or a one-line
 * KubeConnectionError naming the server (it could not be reached, or spoke garbage).
 */
import http, {type IncomingMessage} from 'node:http';
import https from 'node:https';
import type {KubeConfig} from '@kubernetes/client-node';
import type {KubeObject} from '../../core/kube-types/index.js';
import {apiVersionOf, type ResourceType} from '../../core/resources.js';
import {redactUserinfo} from '../../core/sanitize.js';
import {
  KubeApiError, KubeConnectionError,
  type KubeSource, type KubeVerb, type ListOptions, type ServedResources, type WatchEvent, type WatchHandle, type WatchOptions,
} from './kube-source.js';
import {CapExceeded, capMessage, LIMITS} from '../limits.js';
import {type ClusterAccess, execPluginOf, loadKubeconfig} from './kubeconfig.js';

/** `requestTimeoutMs` covers a whole request, reading the body included; default 30 s. */
export type LiveKubeSourceOptions = ClusterAccess & Readonly<{
  /** Default list page size; default 500. */
  pageSize?: number;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Aborts every request in flight, and every exec credential plugin running (the TUI quitting). */
  signal?: AbortSignal;
}>;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 500;
const MAX_RETRY_AFTER_S = 5;

/** What a request was for, in error messages: `list pods in shop`. */
type Purpose = Readonly<{verb: KubeVerb; resource: string; namespace?: string}>;

function describe(p: Purpose): string {
  return `${p.verb} ${p.resource}${p.namespace ? ` in ${p.namespace}` : ''}`;
}

function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'EPROTO',
]);

class RequestTimeout extends Error {}

/** Node's socket/TLS/DNS errors as one line that names the server. */
function connectionError(err: unknown, server: string, purpose: Purpose, timeoutMs: number): KubeConnectionError {
  if (err instanceof KubeConnectionError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const what = `cannot ${describe(purpose)}`;
  let reason: string;
  if (err instanceof RequestTimeout) reason = `${server} did not answer within ${timeoutMs / 1000}s`;
  else if (err instanceof CapExceeded) reason = err.message;
  else if (code === 'ECONNREFUSED') reason = `connection to ${server} refused`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = `cannot resolve the host of ${server} (DNS lookup failed)`;
  else if (code === 'ETIMEDOUT') reason = `connection to ${server} timed out`;
  else if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.startsWith('ERR_OSSL')) reason = `TLS with ${server} failed: ${e.message}`;
  else if (code === 'ECONNRESET' || code === 'EPIPE' || e?.message === 'socket hang up' || e?.message === 'aborted') reason = `${server} dropped the connection`;
  else reason = `${server}: ${e?.message ?? String(err)}`;
  return new KubeConnectionError(oneLine(`${what}: ${reason}`), server);
}

function malformed(server: string, purpose: Purpose, problem: string): KubeConnectionError {
  return new KubeConnectionError(`cannot ${describe(purpose)}: ${server} sent ${problem}`, server);
}

/** The message of a Status body, when the error response has one. */
function statusMessage(body: Buffer): string {
  try {
    const status = JSON.parse(body.toString('utf8'));
    if (typeof status?.message === 'string') return status.message;
    if (typeof status?.reason === 'string') return status.reason;
  } catch {
    // not a Status
  }
  return '';
}

/** `Retry-After` in seconds on a 429 or 503 (delta-seconds only, as client-go reads it). */
function retryAfterHeader(status: number, headers: IncomingMessage['headers']): number | undefined {
  if (status !== 503 && status !== 429) return undefined;
  const value = headers['retry-after'];
  const seconds = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

function retryAfterSeconds(res: Response): number | undefined {
  const seconds = retryAfterHeader(res.status, res.headers);
  return seconds === undefined ? undefined : Math.min(seconds, MAX_RETRY_AFTER_S);
}

type Response = Readonly<{status: number; headers: IncomingMessage['headers']; body: Buffer}>;

/**
 * GET requests with the kubeconfig's credentials. Credentials are applied per request (exec plugins
 * and token files rotate); the connection agent is kept while its TLS material stays the same.
 */
class Transport {
  private agent: http.Agent | undefined;
  private agentKey = '';
  /** The server as messages name it: a password in the URL (`https://user:pass@host`) redacted. */
  readonly server: string;

  constructor(private readonly kubeConfig: KubeConfig, private readonly base: string, readonly timeoutMs: number, private readonly signal?: AbortSignal) {
    this.server = redactUserinfo(base);
  }

  private async requestOptions(purpose: Purpose): Promise<https.RequestOptions> {
    const options: https.RequestOptions = {headers: {Accept: 'application/json', 'User-Agent': 'meshdoctor'}};
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // An exec credential plugin runs here; it is killed at the timeout (kubeconfig.ts), and said so.
      const plugin = execPluginOf(this.kubeConfig);
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(plugin ? `the exec credential plugin "${plugin}" did not finish within ${this.timeoutMs / 1000}s` : `credentials not ready within ${this.timeoutMs / 1000}s`)), this.timeoutMs);
      });
      await Promise.race([this.kubeConfig.applyToHTTPSOptions(options), late]);
    } catch (err) {
      throw new KubeConnectionError(oneLine(`cannot ${describe(purpose)}: cannot authenticate to ${this.server}: ${(err as Error).message || 'the credential plugin failed'}`), this.server);
    } finally {
      clearTimeout(timer);
    }
    const key = `${String(options.cert ?? '')}|${String(options.key ?? '')}`;
    if (!this.agent || key !== this.agentKey) {
      this.agent = options.agent as http.Agent;
      this.agentKey = key;
    }
    const headers = options.headers as Record<string, string>;
    // Token files often end in a newline, which is not a valid header character.
    if (typeof headers.Authorization === 'string') headers.Authorization = headers.Authorization.trim();
    return {headers, auth: options.auth, agent: this.agent, method: 'GET', ...(this.signal ? {signal: this.signal} : {})};
  }

  url(path: string, query?: URLSearchParams): URL {
    const qs = query && [...query.keys()].length ? `?${query}` : '';
    return new URL(`${this.base}${path}${qs}`);
  }

  /** Starts a GET; `onResponse` gets the response once headers arrive. The timeout covers connecting and waiting for headers. */
  async open(url: URL, purpose: Purpose, onResponse: (res: IncomingMessage) => void, onError: (err: KubeConnectionError) => void): Promise<http.ClientRequest> {
    const options = await this.requestOptions(purpose);
    const request = (url.protocol === 'https:' ? https : http).request(url, options, (res) => {
      clearTimeout(timer);
      onResponse(res);
    });
    const timer = setTimeout(() => request.destroy(new RequestTimeout()), this.timeoutMs);
    request.on('error', (err) => {
      clearTimeout(timer);
      onError(connectionError(err, this.server, purpose, this.timeoutMs));
    });
    request.on('close', () => clearTimeout(timer));
    request.end();
    return request;
  }

  /** One whole GET, the body included, within the timeout; retried once on 503/429 with Retry-After. */
  async get(path: string, query: URLSearchParams | undefined, purpose: Purpose, retried = false): Promise<Response> {
    const url = this.url(path, query);
    const response = await new Promise<Response>((resolve, reject) => {
      let request: http.ClientRequest | undefined;
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (err: unknown, value?: Response): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err === undefined) return resolve(value!);
        request?.destroy();
        reject(connectionError(err, this.server, purpose, this.timeoutMs));
      };
      this.open(url, purpose, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > LIMITS.apiResponse) return settle(new CapExceeded('apiResponse', `the answer to ${describe(purpose)}`));
          chunks.push(chunk);
        });
        res.on('error', settle);
        res.on('end', () => settle(undefined, {status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}));
        res.on('close', () => {
          if (!res.complete) settle(Object.assign(new Error('aborted'), {code: 'ECONNRESET'}));
        });
      }, settle).then((r) => {
        request = r;
        if (settled) return void r.destroy();
        // The whole exchange, body included: a server that drips its body slowly times out too.
        // (Credentials, an exec plugin among them, had their own timeout before the request.)
        timer = setTimeout(() => settle(new RequestTimeout()), this.timeoutMs);
      }, settle);
    });
    const wait = retried ? undefined : retryAfterSeconds(response);
    if (wait !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      return this.get(path, query, purpose, true);
    }
    return response;
  }
}

function parseJson(response: Response, server: string, purpose: Purpose): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    throw malformed(server, purpose, `a malformed response (invalid JSON, ${response.body.length} bytes)`);
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resourcePath(type: ResourceType, version: string, namespace: string | undefined, name?: string): string {
  const base = type.group ? `/apis/${type.group}/${version}` : `/api/${version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${type.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

/** Lists omit each item's apiVersion and kind for built-in kinds; put them back. */
function completeItem(item: Record<string, any>, apiVersion: string, kind: string): KubeObject {
  if (!item.apiVersion) item.apiVersion = apiVersion;
  if (!item.kind) item.kind = kind;
  return item as KubeObject;
}

/** The live source always watches, and knows its context's default namespace. */
export type LiveKubeSource = KubeSource & Readonly<{
  watch: NonNullable<KubeSource['watch']>;
  /** The kubeconfig context's namespace (the default for `-n`), if it sets one. */
  namespace: string | undefined;
}>;

class HttpKubeSource implements LiveKubeSource {
  readonly description: string;

  constructor(private readonly transport: Transport, readonly context: string, readonly namespace: string | undefined, private readonly pageSize: number) {
    this.description = `context ${context} (${transport.server})`;
  }

  private get server(): string {
    return this.transport.server;
  }

  /** GET and parse; error statuses become KubeApiError (404 → undefined when `allow404`). */
  private async getJson(path: string, query: URLSearchParams | undefined, purpose: Purpose, allow404 = false): Promise<unknown> {
    const response = await this.transport.get(path, query, purpose);
    if (response.status === 404 && allow404) return undefined;
    if (response.status < 200 || response.status >= 300) {
      const detail = response.status === 403 ? '' : oneLine(statusMessage(response.body) || http.STATUS_CODES[response.status] || '');
      throw new KubeApiError(response.status, purpose.verb, purpose.resource, purpose.namespace, detail, retryAfterHeader(response.status, response.headers));
    }
    return parseJson(response, this.server, purpose);
  }

  async serverVersion(): Promise<Readonly<{major?: string; minor?: string; gitVersion?: string}>> {
    const purpose: Purpose = {verb: 'get', resource: '/version'};
    const body = await this.getJson('/version', undefined, purpose);
    if (!isObject(body)) throw malformed(this.server, purpose, 'an unexpected /version response');
    return {major: body.major, minor: body.minor, gitVersion: body.gitVersion};
  }

  /** Resource names served at a group version; undefined when the group version is gone (404). */
  private async resourcesAt(path: string): Promise<Set<string> | undefined> {
    const purpose: Purpose = {verb: 'get', resource: path};
    const body = await this.getJson(path, undefined, purpose, true);
    if (body === undefined) return undefined;
    if (!isObject(body) || !Array.isArray(body.resources)) throw malformed(this.server, purpose, 'an unexpected discovery response (expected an APIResourceList)');
    return new Set(body.resources.map((r: {name?: unknown}) => r?.name).filter((n: unknown): n is string => typeof n === 'string' && !n.includes('/')));
  }

  async discover(types: readonly ResourceType[]): Promise<ServedResources> {
    // Only the group versions some requested type could be served at are fetched.
    const wanted = new Map<string, Set<string>>();
    for (const t of types) {
      const versions = wanted.get(t.group) ?? new Set<string>();
      t.versions.forEach((v) => versions.add(v));
      wanted.set(t.group, versions);
    }
    const servedVersions = new Map<string, readonly string[]>();
    const lookups: Promise<void>[] = [];
    if (wanted.has('')) {
      lookups.push(this.getJson('/api', undefined, {verb: 'get', resource: '/api'}).then((body) => {
        if (!isObject(body) || !Array.isArray(body.versions)) throw malformed(this.server, {verb: 'get', resource: '/api'}, 'an unexpected /api response (expected APIVersions)');
        servedVersions.set('', body.versions);
      }));
    }
    if ([...wanted.keys()].some((g) => g !== '')) {
      lookups.push(this.getJson('/apis', undefined, {verb: 'get', resource: '/apis'}).then((body) => {
        if (!isObject(body) || !Array.isArray(body.groups)) throw malformed(this.server, {verb: 'get', resource: '/apis'}, 'an unexpected /apis response (expected an APIGroupList)');
        for (const group of body.groups) {
          if (typeof group?.name === 'string' && Array.isArray(group.versions)) servedVersions.set(group.name, group.versions.map((v: {version?: string}) => v?.version));
        }
      }));
    }
    await Promise.all(lookups);

    const resources = new Map<string, Set<string> | undefined>();
    await Promise.all([...wanted].flatMap(([group, versions]) =>
      (servedVersions.get(group) ?? []).filter((v) => versions.has(v)).map(async (version) => {
        resources.set(`${group}/${version}`, await this.resourcesAt(group ? `/apis/${group}/${version}` : `/api/${version}`));
      })));

    const served = new Map<string, string>();
    for (const t of types) {
      const version = t.versions.find((v) => resources.get(`${t.group}/${v}`)?.has(t.plural));
      if (version) served.set(t.key, version);
    }
    return served;
  }

  async list(type: ResourceType, version: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const namespace = type.namespaced ? options.namespace : undefined;
    const purpose: Purpose = {verb: 'list', resource: type.key, namespace};
    const path = resourcePath(type, version, namespace);
    const apiVersion = apiVersionOf(type, version);
    const pageSize = options.pageSize ?? this.pageSize;
    let items: KubeObject[] = [];
    let token: string | undefined;
    let whole = false;
    const seen = new Set<string>();
    for (;;) {
      const query = new URLSearchParams();
      if (options.labelSelector) query.set('labelSelector', options.labelSelector);
      if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
      if (pageSize > 0 && !whole) query.set('limit', String(pageSize));
      if (token) query.set('continue', token);
      let body: unknown;
      try {
        body = await this.getJson(path, query, purpose);
      } catch (err) {
        // The continue token expired (410 Gone: the list's resourceVersion was compacted away) on page 2
        // or later. As client-go's pager does (k8s.io/client-go/tools/pager, FullListIfExpired), the
        // pages read so far are dropped and the list is read again whole, once; a second expiry is an
        // error, so the kind is unreadable rather than half read.
        if (err instanceof KubeApiError && err.status === 410 && token && !whole) {
          whole = true;
          items = [];
          token = undefined;
          seen.clear();
          continue;
        }
        throw err;
      }
      if (!isObject(body) || !(Array.isArray(body.items) || body.items === null)) {
        throw malformed(this.server, purpose, `an unexpected response (expected a ${type.kind}List)`);
      }
      for (const raw of body.items ?? []) {
        if (!isObject(raw) || !isObject(raw.metadata)) throw malformed(this.server, purpose, `an unexpected response (a ${type.kind}List item without metadata)`);
        const item = completeItem(raw, apiVersion, type.kind);
        items.push(options.transform ? options.transform(item) : item);
      }
      const next = isObject(body.metadata) && typeof body.metadata.continue === 'string' && body.metadata.continue ? body.metadata.continue : undefined;
      if (!next && isObject(body.metadata) && typeof body.metadata.resourceVersion === 'string') options.onResourceVersion?.(body.metadata.resourceVersion);
      if (next && seen.has(next)) throw malformed(this.server, purpose, 'the same continue token twice (pagination loop)');
      if (!next) return items;
      seen.add(next);
      token = next;
    }
  }

  async get(type: ResourceType, version: string, namespace: string | undefined, name: string): Promise<KubeObject | null> {
    const ns = type.namespaced ? namespace : undefined;
    const purpose: Purpose = {verb: 'get', resource: type.key, namespace: ns};
    const body = await this.getJson(resourcePath(type, version, ns, name), undefined, purpose, true);
    if (body === undefined) return null;
    if (!isObject(body) || !isObject(body.metadata)) throw malformed(this.server, purpose, `an unexpected response (expected a ${type.kind})`);
    return completeItem(body, apiVersionOf(type, version), type.kind);
  }

  watch(type: ResourceType, version: string, options: WatchOptions, onEvent: (event: WatchEvent) => void, onError: (error: Error) => void): WatchHandle {
    const namespace = type.namespaced ? options.namespace : undefined;
    const purpose: Purpose = {verb: 'watch', resource: type.key, namespace};
    const apiVersion = apiVersionOf(type, version);
    const query = new URLSearchParams({watch: 'true'});
    if (options.resourceVersion) query.set('resourceVersion', options.resourceVersion);
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    if (options.timeoutSeconds) query.set('timeoutSeconds', String(options.timeoutSeconds));

    let stopped = false;
    let request: http.ClientRequest | undefined;
    const fail = (err: Error): void => {
      if (stopped) return;
      stopped = true;
      request?.destroy();
      onError(err);
    };
    const onLine = (line: string): void => {
      let event: {type?: unknown; object?: unknown};
      try {
        event = JSON.parse(line);
      } catch {
        return fail(malformed(this.server, purpose, 'a malformed watch event (invalid JSON)'));
      }
      if (event.type === 'ERROR') {
        const status = isObject(event.object) ? event.object : {};
        const retryAfter = isObject(status.details) && typeof status.details.retryAfterSeconds === 'number' ? status.details.retryAfterSeconds : undefined;
        return fail(new KubeApiError(Number(status.code) || 500, 'watch', type.key, namespace, oneLine(String(status.message ?? '')), retryAfter));
      }
      if (event.type === 'BOOKMARK') return;
      if ((event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') || !isObject(event.object) || !isObject(event.object.metadata)) {
        return fail(malformed(this.server, purpose, 'an unexpected watch event'));
      }
      const object = completeItem(event.object, apiVersion, type.kind);
      onEvent({type: event.type, object: options.transform ? options.transform(object) : object});
    };
    const onResponse = (res: IncomingMessage): void => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        let size = 0;
        // Only the Status message is wanted from an error body.
        res.on('data', (c: Buffer) => {
          if ((size += c.length) <= 64 * 1024) chunks.push(c);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          fail(new KubeApiError(status, 'watch', type.key, namespace, status === 403 ? '' : oneLine(statusMessage(Buffer.concat(chunks))), retryAfterHeader(status, res.headers)));
        });
        res.on('error', (err) => fail(connectionError(err, this.server, purpose, this.transport.timeoutMs)));
        return;
      }
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk: string) => {
        buffered += chunk;
        if (buffered.length > LIMITS.apiResponse) return fail(new KubeConnectionError(`cannot ${describe(purpose)}: ${capMessage(`a watch event from ${this.server}`, 'apiResponse')}`, this.server));
        let newline: number;
        while (!stopped && (newline = buffered.indexOf('\n')) !== -1) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) onLine(line);
        }
      });
      res.on('error', (err) => fail(connectionError(err, this.server, purpose, this.transport.timeoutMs)));
      res.on('close', () => fail(new KubeConnectionError(`${describe(purpose)}: ${this.server} ended the stream`, this.server)));
    };
    this.transport.open(this.transport.url(resourcePath(type, version, namespace), query), purpose, onResponse, fail).then(
      (r) => {
        request = r;
        if (stopped) r.destroy();
      },
      (err: Error) => fail(err),
    );
    return {
      stop: () => {
        stopped = true;
        request?.destroy();
      },
    };
  }
}

export async function createLiveKubeSource(options: LiveKubeSourceOptions = {}): Promise<LiveKubeSource> {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const loaded = await loadKubeconfig({...options, requestTimeoutMs: timeoutMs});
  const transport = new Transport(loaded.kubeConfig, loaded.server, timeoutMs, options.signal);
  return new HttpKubeSource(transport, loaded.context, loaded.namespace, options.pageSize ?? DEFAULT_PAGE_SIZE);
}
