/**
 * KubeSource: read-only access to a Kubernetes API. GET only — list, get, watch. Implementations:
 * `live.ts` (client-node over HTTP) and the manifest reader (files). Errors are typed so the CLI
 * can map them to one line and an exit code.
 */
import type {KubeObject} from '../../core/kube-types/index.js';
import type {ResourceType} from '../../core/resources.js';

/** Resource key → the version the server serves it at (preferred version first). */
export type ServedResources = ReadonlyMap<string, string>;

export type ListOptions = Readonly<{
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for `limit`/`continue` pagination. */
  pageSize?: number;
  /** Applied to every item as pages arrive (drop managedFields early to keep memory low). */
  transform?: (obj: KubeObject) => KubeObject;
  /** Told the list's resourceVersion (a watch can resume from it). */
  onResourceVersion?: (resourceVersion: string) => void;
}>;

export type WatchOptions = Readonly<{
  namespace?: string;
  /** Resume after this version (a list's); without it the stream starts with ADDED for every object. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask the server to end the stream after this long. */
  timeoutSeconds?: number;
  transform?: (obj: KubeObject) => KubeObject;
}>;

export type WatchEvent = Readonly<{type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject}>;

export type WatchHandle = Readonly<{stop(): void}>;

export interface KubeSource {
  /** e.g. `context kind-dev (https://127.0.0.1:6443)` */
  readonly description: string;
  readonly context: string | null;
  serverVersion(): Promise<Readonly<{major?: string; minor?: string; gitVersion?: string}>>;
  /** Which of meshdoctor's resource types the server serves, and at which version. */
  discover(types: readonly ResourceType[]): Promise<ServedResources>;
  /** Every object of a type (all pages). Throws KubeApiError on 4xx/5xx. */
  list(type: ResourceType, version: string, options?: ListOptions): Promise<KubeObject[]>;
  /** One object; null on 404. */
  get(type: ResourceType, version: string, namespace: string | undefined, name: string): Promise<KubeObject | null>;
  /**
   * Streams changes until stopped. `onError` is called at most once, when the stream fails or ends
   * (re-list and watch again); never after `stop()`.
   */
  watch?(type: ResourceType, version: string, options: WatchOptions, onEvent: (event: WatchEvent) => void, onError: (error: Error) => void): WatchHandle;
}

export type KubeVerb = 'list' | 'get' | 'watch';

/** The API server answered with an error status. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly verb: KubeVerb,
    readonly resource: string,
    readonly namespace: string | undefined,
    detail: string,
    /** The server's `Retry-After` (header, or a Status' `details.retryAfterSeconds`): 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${status === 403 ? 'forbidden' : `HTTP ${status}`}: ${verb} ${resource}${namespace ? ` in ${namespace}` : ''}${detail ? ` (${detail})` : ''}`);
    this.name = 'KubeApiError';
  }
}

/** The API server could not be reached or spoke garbage: refused, DNS, TLS, timeout, malformed body. */
export class KubeConnectionError extends Error {
  constructor(message: string, readonly server?: string) {
    super(message);
    this.name = 'KubeConnectionError';
  }
}

/** The kubeconfig is missing, malformed, or names an unknown context (exit 2). */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}
