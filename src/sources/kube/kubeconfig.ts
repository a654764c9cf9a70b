/**
 * Kubeconfig loading with kubectl's rules. `--kubeconfig` names one file; otherwise every existing
 * file of `KUBECONFIG` is merged so that the first file defining a cluster, user or context wins and
 * the current context comes from the first file that sets one (client-node's own merge does the
 * opposite and throws on duplicates, so the merge happens here); otherwise `~/.kube/config`; otherwise,
 * inside a pod, the service account. Relative file references resolve against the file that holds them.
 * client-node is imported lazily: it costs ~0.4 s, which `meshdoctor --help` must not pay.
 */
import {spawn} from 'node:child_process';
import {accessSync, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Cluster, Context, KubeConfig, User} from '@kubernetes/client-node';
import {LineCounter, parseDocument} from 'yaml';
import {CapExceeded, readFileCapped} from '../limits.js';
import {KubeConfigError} from './kube-source.js';

/** `--as` / `--as-group`: who the API server should treat every request as (kubectl's impersonation headers). */
export type Impersonation = Readonly<{user: string; groups: readonly string[]}>;

/**
 * How to reach the cluster and as whom — what the global flags resolve to (src/cli/settings.ts), the
 * one value every Kubernetes-facing source is created from (live source, API-server HTTP, port-forward).
 */
export type ClusterAccess = Readonly<{
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** `--context`: overrides the current context. */
  context?: string;
  /** `--request-timeout`, per request; each source has its default. */
  requestTimeoutMs?: number;
  impersonate?: Impersonation;
}>;

export type KubeconfigRequest = ClusterAccess & Readonly<{
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Ends every exec credential plugin running (the TUI quitting). */
  signal?: AbortSignal;
}>;

/** An exec credential plugin's bound when no `requestTimeoutMs` is given. */
const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

export type LoadedKubeconfig = Readonly<{
  /** client-node configuration with the chosen context current. */
  kubeConfig: KubeConfig;
  context: string;
  server: string;
  /** The context's default namespace. */
  namespace?: string;
  /** The files read, in precedence order (empty for the in-cluster service account). */
  files: readonly string[];
}>;

type Raw = Record<string, unknown>;
type Named = Readonly<{name: string; file: string; body: Raw}>;

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function exists(file: string): boolean {
  try {
    accessSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Which files to read, by kubectl's precedence; [] means "use the in-cluster service account". */
function kubeconfigFiles(request: KubeconfigRequest, env: NodeJS.ProcessEnv, home: string): string[] {
  if (request.kubeconfig) {
    const file = path.resolve(request.kubeconfig);
    if (!exists(file)) throw new KubeConfigError(`${file}: kubeconfig does not exist`);
    return [file];
  }
  if (env.KUBECONFIG) {
    const listed = [...new Set(env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '').map((f) => path.resolve(f)))];
    const present = listed.filter(exists);
    if (present.length === 0) throw new KubeConfigError(`none of the files in KUBECONFIG exist: ${listed.join(', ')}`);
    return present;
  }
  const file = path.join(home, '.kube', 'config');
  if (exists(file)) return [file];
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) return [];
  throw new KubeConfigError(`no kubeconfig: ${file} does not exist (set KUBECONFIG or pass --kubeconfig)`);
}

/**
 * Parsed kubeconfig texts of this process, by content: every source of a run (API, metrics proxy,
 * port-forward, istiod) loads the kubeconfig, and `--all-contexts` does so per cluster — parsing a
 * platform team's YAML each time was ~5 % of a 10-cluster check. Keyed by the text read, so an edited
 * file is parsed again; callers get a copy.
 */
const parsed = new Map<string, Raw>();
const PARSED_KEPT = 8;

function parseFile(file: string): Raw {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new KubeConfigError(`${file}: kubeconfig is a directory, not a file`);
    text = readFileCapped(file, 'kubeconfig', `kubeconfig ${file}`).toString('utf8');
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    if (err instanceof CapExceeded) throw new KubeConfigError(err.message);
    throw new KubeConfigError(`${file}: cannot read kubeconfig (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const known = parsed.get(text);
  if (known) return structuredClone(known);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {lineCounter, prettyErrors: false});
  const error = doc.errors[0];
  if (error) {
    const {line, col} = lineCounter.linePos(error.pos[0]);
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new KubeConfigError(`${file}:${line}:${col}: malformed kubeconfig: ${reason}`);
  }
  const body: unknown = doc.toJS() ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new KubeConfigError(`${file}: not a kubeconfig (expected a YAML mapping)`);
  for (const list of ['clusters', 'users', 'contexts']) {
    const value = (body as Raw)[list];
    if (value !== undefined && value !== null && !Array.isArray(value)) throw new KubeConfigError(`${file}: "${list}" must be a list`);
  }
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, structuredClone(body as Raw));
  return body as Raw;
}

/** Relative paths in a kubeconfig are relative to that file's directory. */
function resolvePath(file: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return path.isAbsolute(value) ? value : path.join(path.dirname(file), value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

type Merged = {clusters: Map<string, Named>; users: Map<string, Named>; contexts: Map<string, Named>; currentContext?: string; currentContextFile?: string};

/** First file wins for every named entry and for current-context. */
function merge(files: readonly string[]): Merged {
  const merged: Merged = {clusters: new Map(), users: new Map(), contexts: new Map()};
  const sections = [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const;
  for (const file of files) {
    const doc = parseFile(file);
    for (const [list, field] of sections) {
      for (const entry of (doc[list] as unknown[] | undefined) ?? []) {
        const name = str((entry as Raw | null)?.name);
        if (!name || merged[list].has(name)) continue;
        const body = (entry as Raw)[field];
        merged[list].set(name, {name, file, body: typeof body === 'object' && body !== null ? (body as Raw) : {}});
      }
    }
    const current = str(doc['current-context']);
    if (current && merged.currentContext === undefined) {
      merged.currentContext = current;
      merged.currentContextFile = file;
    }
  }
  return merged;
}

function toCluster({name, file, body}: Named): Cluster {
  const server = str(body.server);
  if (!server) throw new KubeConfigError(`${file}: cluster "${name}" has no server`);
  return {
    name, server: server.replace(/\/+$/, ''),
    caData: str(body['certificate-authority-data']), caFile: resolvePath(file, body['certificate-authority']),
    skipTLSVerify: body['insecure-skip-tls-verify'] === true, tlsServerName: str(body['tls-server-name']), proxyUrl: str(body['proxy-url']),
  };
}

function toUser({name, file, body}: Named): User {
  let exec = body.exec as Raw | undefined;
  // An exec command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
  if (exec && typeof exec.command === 'string' && exec.command.includes('/')) exec = {...exec, command: resolvePath(file, exec.command)};
  const tokenFile = resolvePath(file, body['token-file']);
  if (tokenFile && !exists(tokenFile)) throw new KubeConfigError(`${file}: token file ${tokenFile} of user "${name}" does not exist`);
  for (const field of ['client-certificate', 'client-key']) {
    const ref = resolvePath(file, body[field]);
    if (ref && !exists(ref)) throw new KubeConfigError(`${file}: ${field} ${ref} of user "${name}" does not exist`);
  }
  return {
    name,
    certData: str(body['client-certificate-data']), certFile: resolvePath(file, body['client-certificate']),
    keyData: str(body['client-key-data']), keyFile: resolvePath(file, body['client-key']),
    exec,
    // client-node re-reads a tokenFile auth provider every minute, as kubectl does for rotated tokens.
    authProvider: body['auth-provider'] ?? (tokenFile ? {name: 'tokenFile', config: {tokenFile}} : undefined),
    token: str(body.token), username: str(body.username), password: str(body.password), impersonateUser: str(body.as),
  };
}

function toContext({name, file, body}: Named): Context {
  const cluster = str(body.cluster);
  if (!cluster) throw new KubeConfigError(`${file}: context "${name}" names no cluster`);
  return {name, cluster, user: str(body.user) ?? '', namespace: str(body.namespace)};
}

function knownContexts(merged: Merged): string {
  const names = [...merged.contexts.keys()];
  return names.length ? `known contexts: ${names.join(', ')}` : 'it defines no contexts';
}

function inCluster(env: NodeJS.ProcessEnv): Omit<LoadedKubeconfig, 'kubeConfig'> & {options: object} {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const namespaceFile = `${SERVICE_ACCOUNT_DIR}/namespace`;
  const namespace = exists(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const context = 'in-cluster';
  return {
    context, server, namespace, files: [],
    options: {
      clusters: [{name: context, server, caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`, skipTLSVerify: false}],
      users: [{name: context, authProvider: {name: 'tokenFile', config: {tokenFile: `${SERVICE_ACCOUNT_DIR}/token`}}}],
      contexts: [{name: context, cluster: context, user: context, namespace}],
      currentContext: context,
    },
  };
}

function lenient<T>(entries: ReadonlyMap<string, Named>, convert: (entry: Named) => T, skip: string | undefined): T[] {
  return [...entries.values()].flatMap((entry) => {
    if (entry.name === skip) return [];
    try {
      return [convert(entry)];
    } catch {
      return [];
    }
  });
}

/**
 * Exec credential plugins (`users[].user.exec`: the cloud CLIs that print a token) run as child
 * processes, and one that hangs would keep meshdoctor alive for ever after its request has timed
 * out. client-node spawns them through its ExecAuth's `execFn`; every run is given the request
 * timeout (`--request-timeout`, for every source alike) and the abort signal, and is killed when either fires.
 */
function boundExecPlugins(kubeConfig: KubeConfig, timeoutMs: number, signal: AbortSignal | undefined): void {
  const authenticators = (kubeConfig as unknown as {authenticators?: {execFn?: unknown}[]}).authenticators ?? [];
  for (const a of authenticators) {
    if (typeof a.execFn !== 'function') continue;
    a.execFn = (command: string, args: readonly string[] | undefined, options: object) =>
      spawn(command, args ?? [], {...options, timeout: timeoutMs, killSignal: 'SIGKILL', ...(signal ? {signal} : {})});
  }
}

/** The exec credential plugin of the current user, if it has one (for messages). */
export function execPluginOf(kubeConfig: KubeConfig): string | undefined {
  const exec = kubeConfig.getCurrentUser()?.exec as {command?: unknown} | undefined;
  return typeof exec?.command === 'string' ? exec.command : undefined;
}

/**
 * Every request client-node or we send (REST, the proxy subresources, port-forward's WebSocket) takes
 * its credentials from applyToHTTPSOptions: the impersonation headers are added there, after the
 * user's own (a kubeconfig `as:` included), so that `--as` wins as it does in kubectl. Several groups
 * are several header lines, as the API server expects.
 */
function impersonate(kubeConfig: KubeConfig, who: Impersonation): void {
  const apply = kubeConfig.applyToHTTPSOptions.bind(kubeConfig);
  kubeConfig.applyToHTTPSOptions = async (opts) => {
    await apply(opts);
    const headers: Record<string, unknown> = {...(opts.headers as Record<string, unknown> | undefined)};
    headers['Impersonate-User'] = who.user;
    if (who.groups.length > 0) headers['Impersonate-Group'] = [...who.groups];
    opts.headers = headers as typeof opts.headers;
  };
}

export async function loadKubeconfig(request: KubeconfigRequest = {}): Promise<LoadedKubeconfig> {
  const loaded = await loadChosenContext(request);
  boundExecPlugins(loaded.kubeConfig, request.requestTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS, request.signal);
  if (request.impersonate) impersonate(loaded.kubeConfig, request.impersonate);
  return loaded;
}

/** client-node refuses a plain-http server unless TLS verification is off (there is no TLS to verify). */
function plainHttpAllowed(cluster: Cluster): Cluster {
  return cluster.server.startsWith('http:') && !cluster.skipTLSVerify ? {...cluster, skipTLSVerify: true} : cluster;
}

async function loadChosenContext(request: KubeconfigRequest): Promise<LoadedKubeconfig> {
  const env = request.env ?? process.env;
  const files = kubeconfigFiles(request, env, request.home ?? os.homedir());
  const {KubeConfig} = await import('./client-node.js');
  const kubeConfig = new KubeConfig();
  if (files.length === 0) {
    const {options, ...loaded} = inCluster(env);
    kubeConfig.loadFromOptions(options);
    return {kubeConfig, ...loaded};
  }

  const merged = merge(files);
  const where = files.length === 1 ? files[0] : `KUBECONFIG (${files.join(', ')})`;
  const name = request.context ?? merged.currentContext;
  if (!name) throw new KubeConfigError(`no current context in ${where}; pass --context (${knownContexts(merged)})`);
  const chosen = merged.contexts.get(name);
  if (!chosen) {
    const origin = request.context ? `context "${name}"` : `current context "${name}" (set in ${merged.currentContextFile})`;
    throw new KubeConfigError(`${origin} not found in ${where} (${knownContexts(merged)})`);
  }
  const context = toContext(chosen);
  const clusterEntry = merged.clusters.get(context.cluster);
  if (!clusterEntry) throw new KubeConfigError(`context "${name}" refers to cluster "${context.cluster}", which ${where} does not define`);
  const cluster = plainHttpAllowed(toCluster(clusterEntry));
  const userEntry = context.user ? merged.users.get(context.user) : undefined;
  if (context.user && !userEntry) throw new KubeConfigError(`context "${name}" refers to user "${context.user}", which ${where} does not define`);
  const user = userEntry && toUser(userEntry);
  // The chosen chain is validated strictly; a broken entry elsewhere is left out rather than failing this context, as with kubectl.
  const clusters = [cluster, ...lenient(merged.clusters, toCluster, cluster.name)];
  const users = [...(user ? [user] : []), ...lenient(merged.users, toUser, user?.name)];
  const contexts = [context, ...lenient(merged.contexts, toContext, name)];
  kubeConfig.loadFromOptions({clusters, users, contexts, currentContext: name});
  return {kubeConfig, context: name, server: cluster.server, namespace: context.namespace, files};
}

/** Every context the kubeconfig files define (kubectl's merge rules), the current one first; for shell completion. */
export function kubeconfigContexts(request: KubeconfigRequest = {}): {name: string; namespace?: string; current: boolean}[] {
  const files = kubeconfigFiles(request, request.env ?? process.env, request.home ?? os.homedir());
  const merged = merge(files);
  return [...merged.contexts.values()]
    .map((c) => ({name: c.name, ...(str(c.body.namespace) ? {namespace: str(c.body.namespace)} : {}), current: c.name === merged.currentContext}))
    .sort((a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name));
}
