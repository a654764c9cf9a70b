/**
 * The `pods/portforward` subresource for the fixture API server, over WebSocket as the kubelet speaks
 * it (k8s.io/kubelet streaming portforward/websocket.go): subprotocol `v4.channel.k8s.io` (or none),
 * two channels per requested port — data (2i) and error (2i+1) — each message prefixed by its channel
 * byte, and as the first message on each channel the port number as two little-endian bytes. Bytes the
 * client sends on the data channel go to the pod's port; what the pod answers comes back on it; a
 * connection failure is reported as text on the error channel. Pods' ports are served by in-process
 * HTTP handlers (e.g. a fake istiod), each listening on a loopback port of its own.
 */
import http from 'node:http';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';
import type {KubeObject} from '../core/kube-types/index.js';
import type {FixtureApiServer, SubresourceCall} from './api-server/fixture-api-server.js';

export type PodPortHandler = http.RequestListener;
/** The handler for a pod's port, or undefined when nothing listens there (connection refused). */
export type PodPortResolver = (pod: KubeObject, port: number) => PodPortHandler | undefined;

const PROTOCOL = 'v4.channel.k8s.io';

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

export class PortForwardSimulator {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  private readonly listeners = new Map<PodPortHandler, Promise<number>>();
  private readonly servers: http.Server[] = [];
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly resolve: PodPortResolver) {}

  /** Registers `pods/portforward` on the server. */
  attach(server: FixtureApiServer): void {
    server.registerSubresource('pods', 'portforward', (call) => this.handle(call));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    })));
    this.wss.close();
  }

  private listen(handler: PodPortHandler): Promise<number> {
    let port = this.listeners.get(handler);
    if (!port) {
      const server = http.createServer(handler);
      this.servers.push(server);
      port = new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      });
      this.listeners.set(handler, port);
    }
    return port;
  }

  private handle(call: SubresourceCall): void {
    if (call.kind !== 'upgrade') {
      call.res.writeHead(400, {'Content-Type': 'text/plain'}).end('port-forward needs a WebSocket upgrade\n');
      return;
    }
    const ports = call.query.getAll('ports').flatMap((p) => p.split(',')).map((p) => Number(p.trim())).filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
    if (ports.length === 0) {
      call.setLogStatus(400);
      call.socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nquery parameter "ports" is required\n');
      return;
    }
    this.wss.handleUpgrade(call.req, call.socket, call.head, (ws) => {
      this.sockets.add(ws);
      // One stream per requested port: bytes that arrive before the pod connection opens wait in `pending`.
      const streams = ports.map(() => ({conn: undefined as net.Socket | undefined, pending: [] as Buffer[]}));
      ports.forEach((port, i) => {
        ws.send(frame(2 * i, portBytes(port)));
        ws.send(frame(2 * i + 1, portBytes(port)));
        const handler = this.resolve(call.object, port);
        if (!handler) {
          ws.send(frame(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${call.object.metadata.name}: dial tcp 127.0.0.1:${port}: connect: connection refused`)));
          ws.close();
          return;
        }
        void this.listen(handler).then((local) => {
          const conn = net.connect(local, '127.0.0.1');
          streams[i].conn = conn;
          for (const b of streams[i].pending.splice(0)) conn.write(b);
          conn.on('data', (data: Buffer) => {
            if (ws.readyState === ws.OPEN) ws.send(frame(2 * i, data));
          });
          conn.on('end', () => ws.close());
          conn.on('error', (err) => {
            if (ws.readyState === ws.OPEN) ws.send(frame(2 * i + 1, Buffer.from(`error forwarding port ${port}: ${err.message}`)));
            ws.close();
          });
        });
      });
      ws.on('message', (data: Buffer) => {
        if (data.length < 1 || data[0] % 2 !== 0) return;
        const stream = streams[data[0] / 2];
        if (!stream) return;
        const payload = Buffer.from(data.subarray(1));
        if (stream.conn) stream.conn.write(payload);
        else stream.pending.push(payload);
      });
      ws.on('close', () => {
        this.sockets.delete(ws);
        for (const s of streams) s.conn?.destroy();
      });
    });
  }
}
