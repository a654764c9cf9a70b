import {appendFileSync} from 'node:fs';

/** Header a test sets on a write it sends on purpose (to prove the 405); the audit ignores those. */
export const PROBE_HEADER = 'x-meshdoctor-test-probe';

/**
 * Every request the fixture received. Reads are kept up to a bound (a long demo must not grow without
 * end); anything other than GET is kept forever, because it is the evidence that the product is read-only.
 */

export type RequestLogEntry = Readonly<{
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  /** Status sent; 0 when the socket was dropped without a response. */
  status: number;
  /** Response body bytes (Content-Length) of a whole reply; 0 for watches, subresources and dropped sockets. */
  bytes: number;
  /** Epoch milliseconds of arrival. */
  at: number;
  /** `Impersonate-User` / `Impersonate-Group` headers, when the client sent them (kubectl --as/--as-group). */
  impersonate?: Readonly<{user: string; groups: readonly string[]}>;
}>;

export type MutableLogEntry = {-readonly [K in keyof RequestLogEntry]: RequestLogEntry[K]};

export class RequestLog {
  private entries: MutableLogEntry[] = [];
  private readonly nonGet: MutableLogEntry[] = [];

  constructor(private readonly limit: number) {}

  record(method: string, url: URL, headers: Readonly<Record<string, string | string[] | undefined>> = {}): MutableLogEntry {
    const entry: MutableLogEntry = {method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, bytes: 0, at: Date.now()};
    const user = headers['impersonate-user'];
    if (typeof user === 'string') {
      // Node joins repeated headers into one "a, b" value, except the few it keeps as arrays.
      const groups = headers['impersonate-group'];
      entry.impersonate = {user, groups: (Array.isArray(groups) ? groups : groups === undefined ? [] : groups.split(', '))};
    }
    this.entries.push(entry);
    if (this.entries.length > this.limit * 2) this.entries = this.entries.slice(-this.limit);
    if (method !== 'GET') {
      this.nonGet.push(entry);
      // The suite-wide read-only audit (test/global-setup.ts): every write that was not a deliberate probe.
      const audit = process.env.MESHDOCTOR_API_AUDIT;
      if (audit && headers[PROBE_HEADER] === undefined) {
        appendFileSync(audit, JSON.stringify({method, path: url.pathname, userAgent: headers['user-agent'] ?? null}) + '\n');
      }
    }
    return entry;
  }

  all(): readonly RequestLogEntry[] {
    return this.entries.length > this.limit ? this.entries.slice(-this.limit) : this.entries.slice();
  }

  nonGetRequests(): readonly RequestLogEntry[] {
    return this.nonGet.slice();
  }

  /** Forgets reads; non-GET requests stay. */
  clear(): void {
    this.entries = [];
  }
}
