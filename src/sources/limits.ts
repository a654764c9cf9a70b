/**
 * Every cap on what meshdoctor reads, in one place (the README's Reliability section lists them):
 * a file, a pipe or a server that sends without end must not grow the process until it dies. Each
 * source reports a cap it hits in one line that names the cap (`capMessage`).
 */
import {closeSync, fstatSync, openSync, readFileSync, readSync, statSync} from 'node:fs';

export const MiB = 1024 * 1024;

export const LIMITS = {
  /** A kubeconfig file (one with hundreds of clusters and embedded certificates is a few MiB). */
  kubeconfig: 16 * MiB,
  /** `.meshdoctor.yaml` / `--config`. */
  config: 1 * MiB,
  /** A manifest file, and all of stdin for `-f -`. */
  manifest: 64 * MiB,
  /** A snapshot file (`--snapshot`): 50,000 pods take about 75 MiB. */
  snapshot: 512 * MiB,
  /** One response of the API server read whole (a list page, discovery); and one watch event. */
  apiResponse: 256 * MiB,
  /** One Prometheus answer (a query result, the config). */
  prometheus: 64 * MiB,
  /** One istiod debug answer (`/debug/syncz` for every proxy it serves). */
  istiod: 64 * MiB,
  /** One proxy's metrics page, and any other answer through the API server's proxy. */
  proxyScrape: 32 * MiB,
  /** One answer of a proxy's admin endpoint (Envoy's `/config_dump` of a large mesh runs to tens of MiB). */
  proxyAdmin: 64 * MiB,
  /** A container's log read whole (`meshdoctor logs` without `-f`); a followed log is read line by line. */
  podLog: 32 * MiB,
} as const;

export type LimitName = keyof typeof LIMITS;

/** `<what> is larger than 16 MiB (meshdoctor's cap on a kubeconfig)`. */
export function capMessage(what: string, limit: LimitName): string {
  const caps: Record<LimitName, string> = {
    kubeconfig: 'a kubeconfig', config: 'a config file', manifest: 'a manifest file or stdin', snapshot: 'a snapshot file', apiResponse: 'one API server response',
    prometheus: 'a Prometheus answer', istiod: 'an istiod answer', proxyScrape: "a proxy's metrics", proxyAdmin: "a proxy's admin answer", podLog: "a container's log",
  };
  return `${what} is larger than ${LIMITS[limit] / MiB} MiB (meshdoctor's cap on ${caps[limit]})`;
}

export class CapExceeded extends Error {
  constructor(readonly limit: LimitName, what: string) {
    super(capMessage(what, limit));
    this.name = 'CapExceeded';
  }
}

/**
 * A whole text file (UTF-8) as a string, under the cap. A regular file is read by Node's UTF-8 fast
 * path, which decodes without handing a Buffer to JavaScript: a 286 MB snapshot is then not held as
 * bytes and as text at once while it is parsed. Anything else goes through `readFileCapped`.
 */
export function readTextFileCapped(file: string, limit: LimitName, what = file): string {
  const stat = statSync(file);
  if (!stat.isFile()) return readFileCapped(file, limit, what).toString('utf8');
  if (stat.size > LIMITS[limit]) throw new CapExceeded(limit, what);
  return readFileSync(file, 'utf8');
}

/**
 * A whole file, read in chunks so that a device or a pipe without end (`/dev/zero`) stops at the
 * cap instead of filling memory. Throws CapExceeded, or the file system's error.
 */
export function readFileCapped(file: string, limit: LimitName, what = file): Buffer {
  const max = LIMITS[limit];
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) {
      // A regular file is read into one buffer of its size: a 100 MB snapshot is then held once, not
      // as chunks and their concatenation.
      if (stat.size > max) throw new CapExceeded(limit, what);
      const whole = Buffer.allocUnsafe(stat.size);
      let total = 0;
      while (total < whole.length) {
        const n = readSync(fd, whole, total, whole.length - total, null);
        if (n === 0) break;
        total += n;
      }
      return total === whole.length ? whole : whole.subarray(0, total);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 * MiB, max + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > max) throw new CapExceeded(limit, what);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** A stream read to its end, stopping at the cap (the stream is then destroyed). */
export async function readStreamCapped(stream: NodeJS.ReadableStream & {destroy?: () => void}, limit: LimitName, what: string): Promise<Buffer> {
  const max = LIMITS[limit];
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > max) {
      stream.destroy?.();
      throw new CapExceeded(limit, what);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
