/**
 * Snapshot files: `meshdoctor snapshot save FILE` writes the RawCollection as JSON;
 * `meshdoctor check --snapshot FILE` reads it back and rebuilds the same Snapshot. Secrets in it
 * are already redacted (D10), so a snapshot can be attached to an incident ticket.
 */
import {open} from 'node:fs/promises';
import type {RawCollection} from './snapshot.js';

export class SnapshotFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFileError';
  }
}

/**
 * The snapshot file's JSON in pieces, one object at a time, so that writing a 10k-pod snapshot never
 * holds its whole text (~100 MB) beside the objects. The pieces join to `JSON.stringify(raw)` with
 * `objects` last, and a newline.
 */
export function* snapshotChunks(raw: RawCollection): Generator<string> {
  const {objects, ...rest} = raw;
  const head = JSON.stringify(rest);
  yield head === '{}' ? '{"objects":{' : `${head.slice(0, -1)},"objects":{`;
  let firstKind = true;
  for (const [key, list] of Object.entries(objects)) {
    yield `${firstKind ? '' : ','}${JSON.stringify(key)}:[`;
    firstKind = false;
    let first = true;
    for (const object of list) {
      yield first ? JSON.stringify(object) : `,${JSON.stringify(object)}`;
      first = false;
    }
    yield ']';
  }
  yield '}}\n';
}

export function encodeSnapshot(raw: RawCollection): string {
  return [...snapshotChunks(raw)].join('');
}

/** Write `raw` to `file` in pieces of about 1 MB (see `snapshotChunks`). */
export async function writeSnapshot(file: string, raw: RawCollection): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let pending = '';
    for (const chunk of snapshotChunks(raw)) {
      pending += chunk;
      if (pending.length >= 1 << 20) {
        await handle.write(pending);
        pending = '';
      }
    }
    await handle.write(pending);
  } finally {
    await handle.close();
  }
}

export function decodeSnapshot(text: string, file: string): RawCollection {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFileError(`${file}: not a meshdoctor snapshot (invalid JSON: ${error instanceof Error ? error.message : String(error)})`);
  }
  const v = value as Partial<RawCollection> | null;
  if (!v || typeof v !== 'object' || v.format !== 'meshdoctor-snapshot') throw new SnapshotFileError(`${file}: not a meshdoctor snapshot (missing "format": "meshdoctor-snapshot")`);
  if (v.schemaVersion !== 1) throw new SnapshotFileError(`${file}: snapshot schemaVersion ${String(v.schemaVersion)} is not supported (this meshdoctor reads 1)`);
  if (typeof v.objects !== 'object' || v.objects === null || typeof v.availability !== 'object' || !Array.isArray(v.sources)) {
    throw new SnapshotFileError(`${file}: snapshot is incomplete (objects, availability or sources missing)`);
  }
  return {
    named: {},
    accessDenials: [],
    origins: {},
    lastChanged: {},
    scope: {mode: 'meshed'},
    context: null,
    mode: 'live',
    takenAt: new Date(0).toISOString(),
    ...v,
  } as RawCollection;
}
