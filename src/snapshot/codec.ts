/**
 * Snapshot files: `meshdoctor snapshot save FILE` writes the RawCollection as JSON;
 * `meshdoctor check --snapshot FILE` reads it back and rebuilds the same Snapshot. Secrets in it
 * are already redacted (D10), so a snapshot can be attached to an incident ticket.
 */
import type {RawCollection} from './snapshot.js';

export class SnapshotFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFileError';
  }
}

export function encodeSnapshot(raw: RawCollection): string {
  return JSON.stringify(raw) + '\n';
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
