/** Writing a response: whole, dripped slowly, or cut off mid-body (the last two are injected faults). */
import type {ServerResponse} from 'node:http';
import {statusObject, type StatusDetails} from './status.js';

export type Reply = Readonly<{
  status: number;
  headers?: Readonly<Record<string, string>>;
  /** Parts are written in order; a large list is many item strings, never one copied string. */
  body: string | readonly string[];
}>;

export type Drip = Readonly<{chunkBytes: number; intervalMs: number}>;

export type DeliveryOptions = Readonly<{drip?: Drip; destroyAfterBody?: boolean}>;

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return {status, headers, body: JSON.stringify(body)};
}

export function statusReply(code: number, message: string, details?: StatusDetails, headers?: Record<string, string>): Reply {
  return jsonReply(code, statusObject(code, message, details), headers);
}

function parts(body: Reply['body']): readonly string[] {
  return typeof body === 'string' ? [body] : body;
}

/** The body's size in bytes (what Content-Length says). */
export function bodyBytes(body: Reply['body']): number {
  let length = 0;
  for (const chunk of parts(body)) length += Buffer.byteLength(chunk);
  return length;
}

/** Sends a reply; resolves once the body is written (or the client went away). */
export function deliver(res: ServerResponse, reply: Reply, options: DeliveryOptions = {}): Promise<void> {
  const chunks = parts(reply.body);
  const length = bodyBytes(chunks);
  res.writeHead(reply.status, {'Content-Type': 'application/json', ...reply.headers, 'Content-Length': String(length)});
  if (options.drip) return drip(res, Buffer.from(chunks.join('')), options.drip, options.destroyAfterBody ?? false);
  for (const chunk of chunks) res.write(chunk);
  if (options.destroyAfterBody) {
    // The declared Content-Length promises more than arrives: the client sees a cut-off body.
    res.socket?.destroy();
    return Promise.resolve();
  }
  return new Promise((resolve) => res.end(resolve));
}

function drip(res: ServerResponse, body: Buffer, {chunkBytes, intervalMs}: Drip, destroyAfterBody: boolean): Promise<void> {
  const size = Math.max(1, chunkBytes);
  res.flushHeaders();
  return new Promise((resolve) => {
    let offset = 0;
    const tick = (): void => {
      if (res.destroyed) return resolve();
      res.write(body.subarray(offset, offset + size));
      offset += size;
      if (offset < body.length) {
        setTimeout(tick, intervalMs);
      } else if (destroyAfterBody) {
        res.socket?.destroy();
        resolve();
      } else {
        res.end(resolve);
      }
    };
    tick();
  });
}
