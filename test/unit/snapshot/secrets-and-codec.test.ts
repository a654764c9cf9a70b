import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {cleanObject} from '../../../src/snapshot/clean.js';
import {decodeSnapshot, encodeSnapshot, SnapshotFileError, writeSnapshot} from '../../../src/snapshot/codec.js';
import {REDACTED_KEYS_ANNOTATION} from '../../../src/snapshot/secrets.js';
import {Snapshot} from '../../../src/snapshot/snapshot.js';
import {renderManifestTemplate} from '../../../src/sim/manifest-template.js';
import {rawOf} from '../../helpers/snapshot-builder.js';

const CANARY = 'canary-s3cr3t-value';

describe('secrets are redacted before anything is stored (D10)', () => {
  test('certificates survive, private keys and other values become empty, key names are kept', async () => {
    const {objects} = await renderManifestTemplate(`
apiVersion: v1
kind: Secret
metadata: {name: cacerts, namespace: istio-system, annotations: {kubectl.kubernetes.io/last-applied-configuration: "${CANARY}"}}
data:
  ca-cert.pem: !cert {id: ca, ca: true, format: base64}
  ca-key.pem: !key {ref: ca, format: base64}
  token: ${Buffer.from(CANARY).toString('base64')}
stringData: {password: ${CANARY}}`);
    const {object} = cleanObject(objects[0]);
    const secret = object as unknown as {data: Record<string, string>; metadata: {annotations: Record<string, string>}};
    expect(Buffer.from(secret.data['ca-cert.pem'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(secret.data['ca-key.pem']).toBe('');
    expect(secret.data.token).toBe('');
    expect(secret.metadata.annotations[REDACTED_KEYS_ANNOTATION]).toBe('ca-key.pem,password,token');
    const text = JSON.stringify(object);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(Buffer.from(CANARY).toString('base64'));
  });

  test('managedFields are dropped after their newest time is kept', () => {
    const {object, lastChanged} = cleanObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'x', managedFields: [{time: '2026-01-01T00:00:00Z'}, {time: '2026-03-01T00:00:00Z'}]} as never,
    });
    expect(lastChanged).toBe('2026-03-01T00:00:00Z');
    expect('managedFields' in object.metadata).toBe(false);
  });
});

describe('snapshot files', () => {
  test('encode → decode rebuilds the same snapshot', () => {
    const raw = rawOf([{apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'istiod', namespace: 'istio-system', labels: {app: 'istiod'}}, spec: {template: {spec: {containers: []}}}}]);
    const again = decodeSnapshot(encodeSnapshot(raw), 'snap.json');
    expect(again).toEqual(JSON.parse(JSON.stringify(raw)));
    expect(new Snapshot(again).meshes.map((m) => m.name)).toEqual(['istio']);
  });

  test('written in pieces, a snapshot file is the JSON of the whole collection, however many objects and kinds', async () => {
    const pods = Array.from({length: 3000}, (_, i) => ({apiVersion: 'v1', kind: 'Pod', metadata: {name: `p-${i}`, namespace: 'shop', labels: {app: 'x'}}, spec: {containers: [{name: 'app', image: 'a'.repeat(1000)}]}}));
    const raw = rawOf([...pods, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop'}}]);
    const file = join(mkdtempSync(join(tmpdir(), 'md-codec-')), 'snap.json');
    await writeSnapshot(file, {...raw, objects: {...raw.objects, services: []}});
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(text.endsWith('}\n')).toBe(true);
    expect(decodeSnapshot(text, file)).toEqual(JSON.parse(JSON.stringify({...raw, objects: {...raw.objects, services: []}})));
    rmSync(file);
  });

  test('garbage, other JSON and future versions are one-line errors', () => {
    expect(() => decodeSnapshot('{not json', 'a.json')).toThrow(SnapshotFileError);
    expect(() => decodeSnapshot('{"kind":"Pod"}', 'a.json')).toThrow(/not a meshdoctor snapshot/);
    expect(() => decodeSnapshot('{"format":"meshdoctor-snapshot","schemaVersion":9}', 'a.json')).toThrow(/schemaVersion 9 is not supported/);
  });
});
