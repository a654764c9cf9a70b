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
  /** Epoch milliseconds of arrival. */
  at: number;
}>;

export type MutableLogEntry = {-readonly [K in keyof RequestLogEntry]: RequestLogEntry[K]};

export class RequestLog {
  private entries: MutableLogEntry[] = [];
  private readonly nonGet: MutableLogEntry[] = [];

  constructor(private readonly limit: number) {}

  record(method: string, url: URL): MutableLogEntry {
    const entry: MutableLogEntry = {method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now()};
    this.entries.push(entry);
    if (this.entries.length > this.limit * 2) this.entries = this.entries.slice(-this.limit);
    if (method !== 'GET') this.nonGet.push(entry);
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
