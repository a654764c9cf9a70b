/**
 * FixtureApiServer: a Kubernetes API server over node:http that serves a set of objects, read-only,
 * for kubectl, client-node and meshdoctor's live source — with injectable RBAC denials and faults.
 * This module is the lifecycle and the request pipeline; each step lives in its own module.
 */
import {writeFileSync} from 'node:fs';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import type {KubeObject} from '../../core/kube-types/index.js';
import {RESOURCE_TYPES, groupOf, resourceTypeFor, type ResourceType} from '../../core/resources.js';
import {parseApiPath, type ResourcePath} from './api-path.js';
import {apiGroupDocument, apiGroupListDocument, apiResourceListDocument, apiVersionsDocument} from './discovery.js';
import {FaultPlan, isForbidden, type Fault, type ForbidRule, type Verb} from './faults.js';
import {fixtureKubeconfig, type KubeconfigOptions} from './kubeconfig-writer.js';
import {ContinueTokenError, listPage} from './list-page.js';
import {ObjectStore} from './object-store.js';
import {bodyBytes, deliver, jsonReply, statusReply, type Reply} from './reply.js';
import {RequestLog, type MutableLogEntry, type RequestLogEntry} from './request-log.js';
import {SelectorError, parseFieldSelector, parseLabelSelector, type ObjectPredicate} from './selectors.js';
import {ServedResources, groupKindOf, type ServedResource} from './served-resources.js';
import {listParts, objectJson} from './serialize.js';
import {statusObject} from './status.js';
import {versionInfo} from './version-info.js';
import {streamWatch} from './watch-stream.js';

/** What can change while the server runs (`configure`). */
export type FixtureBehaviour = Readonly<{
  forbid?: readonly ForbidRule[];
  faults?: readonly Fault[];
  /** Added to every response. */
  latencyMs?: number;
  /** The most items one list page holds, whatever `limit` the client asked for (or none). */
  maxPageSize?: number;
}>;

export type FixtureApiServerOptions = FixtureBehaviour & Readonly<{
  objects?: readonly KubeObject[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** `/version`; default 1.30. */
  kubernetesVersion?: string;
  /** When set, every request but /version and health checks needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Serve HTTPS with this certificate; kubeconfigs then carry `ca` (or `cert`) as the trusted CA. */
  tls?: Readonly<{cert: string; key: string; ca?: string}>;
  /** The user named in 403 messages. */
  user?: string;
  /** Built-in kinds served without a CRD; default: the registry's built-ins. */
  builtins?: readonly ResourceType[];
  /** Change events kept for watches resuming from a resourceVersion; default 10,000. */
  watchHistory?: number;
  /** GET requests kept in the log; default 100,000 (non-GET requests are always kept). */
  requestLogLimit?: number;
}>;

type SubresourceTarget = Readonly<{
  resource: ServedResource;
  namespace?: string;
  name: string;
  object: KubeObject;
  /** The path after the subresource, still URL-encoded (`/stats/prometheus`). */
  subpath: string;
  query: URLSearchParams;
  req: IncomingMessage;
}>;

/** A subresource request: an ordinary one (`res`), or a connection upgrade such as a WebSocket (`socket`). */
export type SubresourceCall =
  | (SubresourceTarget & Readonly<{kind: 'http'; res: ServerResponse}>)
  | (SubresourceTarget & Readonly<{kind: 'upgrade'; socket: Duplex; head: Buffer; setLogStatus: (status: number) => void}>);

export type SubresourceHandler = (call: SubresourceCall) => void | Promise<void>;

const CRD_GROUP_KIND = 'apiextensions.k8s.io/CustomResourceDefinition';
const READ_ONLY_MESSAGE = 'the server does not allow this method on the requested resource';

type Resolved =
  | Readonly<{reply: Reply}>
  | Readonly<{resource: ServedResource; path: ResourcePath}>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function notFound(message = 'the server could not find the requested resource'): Reply {
  return statusReply(404, message);
}

export class FixtureApiServer {
  private readonly store: ObjectStore;
  private readonly served: ServedResources;
  private readonly log: RequestLog;
  private readonly subresources = new Map<string, SubresourceHandler>();
  private readonly watches = new Set<() => void>();
  private readonly version: ReturnType<typeof versionInfo>;
  private behaviour: FixtureBehaviour = {};
  private faults = new FaultPlan();
  private server: http.Server | undefined;
  private baseUrl: string | undefined;

  constructor(private readonly options: FixtureApiServerOptions = {}) {
    this.version = versionInfo(options.kubernetesVersion ?? '1.30');
    this.store = new ObjectStore(options.watchHistory);
    this.served = new ServedResources(options.builtins ?? RESOURCE_TYPES.filter((t) => t.builtin));
    this.log = new RequestLog(options.requestLogLimit ?? 100_000);
    const {forbid, faults, latencyMs, maxPageSize} = options;
    this.configure({forbid, faults, latencyMs, maxPageSize});
    // CRDs first, so the scope of every custom object is known when it is stored.
    const objects = options.objects ?? [];
    const isCrd = (o: KubeObject): boolean => groupKindOf(groupOf(o.apiVersion), o.kind) === CRD_GROUP_KIND;
    for (const obj of [...objects.filter(isCrd), ...objects.filter((o) => !isCrd(o))]) this.put(obj, true);
  }

  /** The base URL, e.g. `http://127.0.0.1:40123`; throws before `start()`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('FixtureApiServer is not started');
    return this.baseUrl;
  }

  /** The current global resourceVersion (bumped by every apply/remove). */
  get resourceVersion(): number {
    return this.store.resourceVersion;
  }

  /** Every request received, oldest first. */
  get requests(): readonly RequestLogEntry[] {
    return this.log.all();
  }

  /** Requests with any method but GET: the read-only guarantee says this stays empty. */
  nonGetRequests(): readonly RequestLogEntry[] {
    return this.log.nonGetRequests();
  }

  clearRequests(): void {
    this.log.clear();
  }

  async start(): Promise<{url: string}> {
    if (this.server) return {url: this.url};
    const tls = this.options.tls;
    const server = tls ? https.createServer({cert: tls.cert, key: tls.key}) : http.createServer();
    server.on('request', (req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => void this.handleUpgrade(req, socket, head));
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const {port} = server.address() as AddressInfo;
    this.baseUrl = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return {url: this.baseUrl};
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const end of [...this.watches]) end();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Changes forbid rules, faults (their `times` counters restart), latency or page size; omitted fields stay. */
  configure(behaviour: FixtureBehaviour): void {
    this.behaviour = {...this.behaviour, ...behaviour};
    if (behaviour.faults !== undefined) this.faults = new FaultPlan(behaviour.faults);
  }

  /** Adds or replaces an object (ADDED / MODIFIED to watchers); returns it as stored. Takes ownership of `obj`. */
  apply(obj: KubeObject): KubeObject {
    return this.put(obj, false);
  }

  /**
   * Deletes an object (DELETED to watchers); false when there was none. Deleting a CRD stops serving
   * its kind; its objects stay stored and reappear if the CRD is applied again.
   */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const groupKind = groupKindOf(groupOf(apiVersion), kind);
    const namespaced = this.isNamespaced(groupKind, apiVersion, kind, namespace);
    const event = this.store.delete(groupKind, namespaced ? (namespace ?? '') : '', name);
    if (event && groupKind === CRD_GROUP_KIND) this.rebuildServed();
    return event !== undefined;
  }

  /**
   * Serves `<resource>/<name>/<subresource>[/…]` (e.g. `pods`, `proxy`); `resource` is a registry key
   * (`plural[.group]`). The object must exist (404 otherwise); RBAC denials apply to `<resource>/<subresource>`.
   */
  registerSubresource(resource: string, subresource: string, handler: SubresourceHandler): void {
    this.subresources.set(`${resource}/${subresource}`, handler);
  }

  /** A kubeconfig for this server (it must be started). */
  kubeconfig(options: KubeconfigOptions = {}): string {
    const tls = this.options.tls;
    return fixtureKubeconfig({server: this.url, token: this.options.token, caPem: tls ? (tls.ca ?? tls.cert) : undefined}, options);
  }

  writeKubeconfig(path: string, options: KubeconfigOptions = {}): void {
    writeFileSync(path, this.kubeconfig(options), {mode: 0o600});
  }

  private put(obj: KubeObject, initial: boolean): KubeObject {
    if (!obj?.apiVersion || !obj.kind || !obj.metadata?.name) throw new Error('FixtureApiServer: an object needs apiVersion, kind and metadata.name');
    const groupKind = groupKindOf(groupOf(obj.apiVersion), obj.kind);
    const namespaced = this.isNamespaced(groupKind, obj.apiVersion, obj.kind, obj.metadata.namespace);
    const event = this.store.put(groupKind, namespaced ? (obj.metadata.namespace ?? 'default') : '', obj, initial);
    if (groupKind === CRD_GROUP_KIND) this.rebuildServed();
    return event.current.object;
  }

  private isNamespaced(groupKind: string, apiVersion: string, kind: string, namespace: string | undefined): boolean {
    return this.served.isNamespaced(groupKind) ?? resourceTypeFor(apiVersion, kind)?.namespaced ?? namespace !== undefined;
  }

  private rebuildServed(): void {
    this.served.rebuild([...this.store.all(CRD_GROUP_KIND)].map((s) => s.object));
  }

  // ---- request pipeline -------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const entry = this.log.record(req.method ?? 'GET', url, req.headers);
    const send = (reply: Reply, fault?: Fault): Promise<void> => {
      entry.status = reply.status;
      entry.bytes = bodyBytes(reply.body);
      return deliver(res, reply, {drip: fault?.drip, destroyAfterBody: fault?.destroy});
    };
    try {
      const fault = await this.delays(url);
      if (res.destroyed || req.socket.destroyed) return;
      if (fault?.destroy && fault.body === undefined) {
        req.socket.destroy();
        return;
      }
      const injected = fault && this.faultReply(fault);
      if (injected) return await send(injected, fault);
      const resolved = this.resolve(req, url);
      if ('reply' in resolved) return await send(resolved.reply, fault);
      const reply = this.serveResource(req, res, url, resolved, entry);
      if (reply) await send(reply, fault);
    } catch (err) {
      if (!res.headersSent) await send(statusReply(500, `fixture error: ${(err as Error).message}`));
      else res.destroy();
    }
  }

  /** Global latency, then the first matching fault's delay; returns that fault. */
  private async delays(url: URL): Promise<Fault | undefined> {
    if (this.behaviour.latencyMs) await sleep(this.behaviour.latencyMs);
    const fault = this.faults.take(url.pathname, url.search);
    if (fault?.delayMs) await sleep(fault.delayMs);
    return fault;
  }

  private faultReply(fault: Fault): Reply | undefined {
    const status = fault.status ?? (fault.retryAfter !== undefined ? 503 : undefined);
    const headers: Record<string, string> = fault.retryAfter !== undefined ? {'Retry-After': String(fault.retryAfter)} : {};
    if (fault.body !== undefined) return {status: status ?? 200, headers, body: fault.body};
    if (status === undefined) return undefined;
    const details = fault.retryAfter !== undefined ? {retryAfterSeconds: fault.retryAfter} : undefined;
    return statusReply(status, `injected fault: ${statusObject(status, '').reason}`, details, headers);
  }

  /** Authentication, the read-only rule, discovery documents, and which resource a request addresses. */
  private resolve(req: IncomingMessage, url: URL): Resolved {
    const path = parseApiPath(url.pathname);
    const open = path.type === 'version' || path.type === 'health';
    if (this.options.token && !open && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return {reply: statusReply(401, 'Unauthorized')};
    }
    if (req.method !== 'GET') return {reply: statusReply(405, READ_ONLY_MESSAGE)};
    switch (path.type) {
      case 'version':
        return {reply: jsonReply(200, this.version)};
      case 'health':
        return {reply: {status: 200, headers: {'Content-Type': 'text/plain'}, body: 'ok'}};
      case 'api':
        return {reply: jsonReply(200, apiVersionsDocument(req.headers.host ?? ''))};
      case 'apis':
        return {reply: jsonReply(200, apiGroupListDocument(this.served))};
      case 'group':
        return {reply: this.served.versionsOf(path.group) ? jsonReply(200, apiGroupDocument(this.served, path.group)) : notFound()};
      case 'groupVersion':
        if (!this.served.versionsOf(path.group)?.includes(path.version)) return {reply: notFound()};
        return {reply: jsonReply(200, apiResourceListDocument(this.served, path.group, path.version, this.subresourceNames()))};
      case 'resource':
        return this.resolveResource(path);
      default:
        // openapi included: kubectl get does not need it, and falls back when it is missing.
        return {reply: notFound()};
    }
  }

  private resolveResource(path: ResourcePath): Resolved {
    const resource = this.served.find(path.group, path.version, path.resource);
    if (!resource) return {reply: notFound()};
    if (path.namespace !== undefined && !resource.namespaced) return {reply: notFound()};
    return {resource, path};
  }

  private forbidden(resource: ServedResource, path: ResourcePath, verb: Verb): Reply | undefined {
    const key = path.subresource ? `${resource.key}/${path.subresource}` : resource.key;
    if (!isForbidden(this.behaviour.forbid ?? [], key, path.namespace, verb)) return undefined;
    const user = this.options.user ?? 'system:serviceaccount:meshdoctor:meshdoctor';
    const what = path.subresource ? `${resource.plural}/${path.subresource}` : resource.plural;
    const where = path.namespace !== undefined ? `in the namespace "${path.namespace}"` : 'at the cluster scope';
    const subject = path.name !== undefined ? `${what} "${path.name}"` : what;
    return statusReply(403, `${subject} is forbidden: User "${user}" cannot ${verb} resource "${what}" in API group "${resource.group}" ${where}`,
      {...(path.name !== undefined ? {name: path.name} : {}), group: resource.group, kind: resource.plural});
  }

  /** list, get, watch or a subresource; returns undefined when the response was taken over (watch, subresource). */
  private serveResource(req: IncomingMessage, res: ServerResponse, url: URL, target: Extract<Resolved, {resource: ServedResource}>, entry: MutableLogEntry): Reply | undefined {
    const {resource, path} = target;
    const query = url.searchParams;
    const watch = path.watchPrefix || query.get('watch') === 'true' || query.get('watch') === '1';
    // A watch on a named object (`pods/x?watch=true`) is a watch filtered to that name, as upstream serves it.
    const verb: Verb = path.subresource ? 'get' : watch ? 'watch' : path.name !== undefined ? 'get' : 'list';
    const denied = this.forbidden(resource, path, verb);
    if (denied) return denied;
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;

    if (path.subresource) return this.serveSubresource(req, res, url, resource, path, entry);

    let predicate: ObjectPredicate;
    try {
      const labels = parseLabelSelector(query.get('labelSelector') ?? '');
      const fields = parseFieldSelector(query.get('fieldSelector') ?? '', resource.kind);
      predicate = path.name !== undefined ? (o) => o.metadata.name === path.name && labels(o) && fields(o) : (o) => labels(o) && fields(o);
    } catch (err) {
      if (err instanceof SelectorError) return statusReply(400, err.message);
      throw err;
    }

    if (verb === 'watch') {
      entry.status = 200;
      res.writeHead(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private'});
      res.flushHeaders();
      const timeout = Number(query.get('timeoutSeconds') ?? '');
      const end = streamWatch({
        res, store: this.store, groupKind: resource.groupKind, apiVersion, namespace: path.namespace, predicate,
        resourceVersion: query.get('resourceVersion') ?? undefined, timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
      });
      this.watches.add(end);
      res.on('close', () => this.watches.delete(end));
      return undefined;
    }

    if (path.name !== undefined) {
      if (resource.namespaced && path.namespace === undefined) return notFound();
      const stored = this.store.get(resource.groupKind, path.namespace ?? '', path.name);
      if (!stored) return statusReply(404, `${resource.key} "${path.name}" not found`, {name: path.name, group: resource.group, kind: resource.plural});
      return {status: 200, body: objectJson(stored, apiVersion)};
    }

    // kubectl asks for `as=Table`; a plain list is an accepted answer (it then prints NAME and AGE).
    const requested = Number(query.get('limit') ?? '');
    const max = this.behaviour.maxPageSize;
    const limit = Math.min(requested > 0 ? requested : Infinity, max && max > 0 ? max : Infinity);
    const selective = query.has('labelSelector') || query.has('fieldSelector');
    try {
      const page = listPage(this.store, {
        groupKind: resource.groupKind, namespace: path.namespace, predicate: selective ? predicate : undefined,
        limit: Number.isFinite(limit) ? limit : undefined, continueToken: query.get('continue') ?? undefined,
      });
      const meta = {resourceVersion: String(page.resourceVersion), ...(page.continue ? {continue: page.continue} : {}),
        ...(page.remainingItemCount !== undefined ? {remainingItemCount: page.remainingItemCount} : {})};
      return {status: 200, body: listParts(resource.kind, apiVersion, page.items, meta)};
    } catch (err) {
      if (err instanceof ContinueTokenError) return statusReply(400, err.message);
      throw err;
    }
  }

  private serveSubresource(req: IncomingMessage, res: ServerResponse, url: URL, resource: ServedResource, path: ResourcePath, entry: MutableLogEntry): Reply | undefined {
    const found = this.subresourceTarget(req, url, resource, path);
    if ('reply' in found) return found.reply;
    res.on('close', () => {
      entry.status = res.headersSent ? res.statusCode : 0;
    });
    void Promise.resolve(found.handler({...found.target, kind: 'http', res})).catch((err: Error) => {
      if (!res.headersSent) void deliver(res, statusReply(500, `fixture error: ${err.message}`));
      else res.destroy();
    });
    return undefined;
  }

  private subresourceTarget(req: IncomingMessage, url: URL, resource: ServedResource, path: ResourcePath):
    Readonly<{reply: Reply}> | Readonly<{handler: SubresourceHandler; target: SubresourceTarget}> {
    const handler = this.subresources.get(`${resource.key}/${path.subresource}`);
    if (!handler || path.name === undefined) return {reply: notFound()};
    if (resource.namespaced && path.namespace === undefined) return {reply: notFound()};
    // `pods/name:port/proxy` addresses a port of the pod.
    const name = path.name.replace(/:[^:]*$/, '');
    const stored = this.store.get(resource.groupKind, path.namespace ?? '', name);
    if (!stored) return {reply: statusReply(404, `${resource.key} "${name}" not found`, {name, group: resource.group, kind: resource.plural})};
    return {handler, target: {resource, namespace: path.namespace, name: path.name, object: stored.object, subpath: path.subpath, query: url.searchParams, req}};
  }

  private subresourceNames(): Map<string, string[]> {
    const names = new Map<string, string[]>();
    for (const key of this.subresources.keys()) {
      const slash = key.lastIndexOf('/');
      const list = names.get(key.slice(0, slash)) ?? [];
      list.push(key.slice(slash + 1));
      names.set(key.slice(0, slash), list);
    }
    return names;
  }

  /** Connection upgrades (WebSocket port-forward): only registered subresources accept them. */
  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const entry = this.log.record(req.method ?? 'GET', url, req.headers);
    const refuse = (reply: Reply): void => {
      entry.status = reply.status;
      const body = typeof reply.body === 'string' ? reply.body : reply.body.join('');
      socket.end(`HTTP/1.1 ${reply.status} ${statusObject(reply.status, '').reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    try {
      const fault = await this.delays(url);
      if (socket.destroyed) return;
      if (fault?.destroy) return void socket.destroy();
      const injected = fault && this.faultReply(fault);
      if (injected) return refuse(injected);
      const resolved = this.resolve(req, url);
      if ('reply' in resolved) return refuse(resolved.reply);
      const {resource, path} = resolved;
      if (!path.subresource) return refuse(statusReply(400, 'this resource does not accept connection upgrades'));
      const denied = this.forbidden(resource, path, 'get');
      if (denied) return refuse(denied);
      const found = this.subresourceTarget(req, url, resource, path);
      if ('reply' in found) return refuse(found.reply);
      entry.status = 101;
      await found.handler({...found.target, kind: 'upgrade', socket, head, setLogStatus: (status) => (entry.status = status)});
    } catch (err) {
      if (!socket.destroyed) refuse(statusReply(500, `fixture error: ${(err as Error).message}`));
    }
  }
}
