/** Throwaway HTTP servers on 127.0.0.1 (a fake Prometheus, istiod, a redirect target), closed together. */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export class LocalServers {
  private readonly servers: http.Server[] = [];

  /** Starts a server on a free port; returns its port. */
  async serve(handler: http.RequestListener): Promise<number> {
    const s = http.createServer(handler);
    this.servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return (s.address() as AddressInfo).port;
  }

  /** A port nothing listens on (connection refused). */
  async closedPort(): Promise<number> {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  async closeAll(): Promise<void> {
    for (const s of this.servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }
}
