/**
 * Manifest files as a source (`-f FILE|DIR|-`, repeatable): multi-document YAML or JSON, `List`
 * kinds and `kubectl get -o yaml` dumps. A malformed document is a user error reported as
 * `file:line: reason` (exit 2). Documents that are not Kubernetes objects (a Helm values file, a
 * kustomization in a scanned directory) and kinds meshdoctor does not read are passed over and listed
 * in `skipped` (shown with -v).
 */
import {readFile, readdir, stat} from 'node:fs/promises';
import {isAbsolute, join, relative, resolve} from 'node:path';
import {isMap, isSeq, LineCounter, parseAllDocuments} from 'yaml';
import type {KubeObject} from '../../core/kube-types/index.js';
import {resourceTypeFor} from '../../core/resources.js';
import {subjectKey, subjectOf} from '../../core/subjects.js';
import type {Origin} from '../../core/types.js';

import {ManifestError} from './manifest-error.js';

export {ManifestError};

export type ManifestSet = Readonly<{
  /** Resource key → objects, in file order. */
  objects: Readonly<Record<string, KubeObject[]>>;
  origins: Readonly<Record<string, Origin>>;
  files: readonly string[];
  /** Documents passed over: not Kubernetes objects (a values file), or kinds meshdoctor does not read. */
  skipped: readonly SkippedDocument[];
}>;

export type SkippedDocument = Readonly<{file: string; line: number; reason: string}>;

const MANIFEST_EXT = /\.(ya?ml|json)$/i;
/** Bound what one file may cost: aliases beyond this are a "billion laughs" attack, not a manifest. */
const MAX_ALIASES = 100;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function expand(path: string): Promise<string[]> {
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new ManifestError(path, 0, 'no such file or directory');
  if (s.isFile()) return [path];
  if (!s.isDirectory()) throw new ManifestError(path, 0, 'not a file or directory');
  const out: string[] = [];
  // A directory that cannot be read (permissions) is an input error naming it, like a file that cannot be.
  const entries = await readdir(path, {withFileTypes: true}).catch((e: NodeJS.ErrnoException) => {
    throw new ManifestError(path, 0, e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied (cannot read the directory)' : `cannot read the directory (${e.code ?? e.message})`);
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expand(full)));
    else if (e.isFile() && MANIFEST_EXT.test(e.name)) out.push(full);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The YAML parser recurses per level: thousands of nested levels exhaust the stack. */
function tooDeep(error: unknown): string | undefined {
  return /Maximum call stack/i.test(error instanceof Error ? error.message : String(error)) ? 'nested too deeply to read (thousands of levels)' : undefined;
}

/** Parse one file's text into objects with their start lines. Throws ManifestError. */
export function parseManifestText(text: string, file: string, skipped: SkippedDocument[] = []): {object: KubeObject; line: number}[] {
  if (text.includes('\u0000')) throw new ManifestError(file, 1, 'binary content, not YAML or JSON');
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, {lineCounter, prettyErrors: false, uniqueKeys: false});
  } catch (error) {
    throw new ManifestError(file, 1, tooDeep(error) ?? (error instanceof Error ? error.message : String(error)));
  }
  const docList = Array.isArray(docs) ? docs : [docs];
  const out: {object: KubeObject; line: number}[] = [];
  for (const doc of docList) {
    const startLine = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0).line;
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
      throw new ManifestError(file, line, tooDeep(err) ?? err.message.split('\n')[0]);
    }
    let value: unknown;
    try {
      value = doc.toJS({maxAliasCount: MAX_ALIASES});
    } catch (error) {
      throw new ManifestError(file, startLine, tooDeep(error) ?? (error instanceof Error ? error.message.split('\n')[0] : String(error)));
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) throw new ManifestError(file, startLine, 'expected a mapping (a Kubernetes object)');
    collectObjects(value, file, startLine, out, listItemLines(doc.contents, lineCounter), skipped);
  }
  return out;
}

/** Start line of each item of a `List` document (a `kubectl get -o yaml` dump), so findings point at the object. */
function listItemLines(contents: unknown, lineCounter: LineCounter): number[] | undefined {
  if (!isMap(contents)) return undefined;
  const items = contents.get('items', true);
  if (!isSeq(items)) return undefined;
  return items.items.map((n) => lineCounter.linePos((n as {range?: [number, number, number]}).range?.[0] ?? 0).line);
}

function collectObjects(value: Record<string, unknown>, file: string, line: number, out: {object: KubeObject; line: number}[], itemLines: readonly number[] | undefined, skipped: SkippedDocument[]): void {
  const kind = value.kind;
  if (kind === undefined) {
    // Not a Kubernetes object (a Helm values file, a kustomization without kind…): passed over, said in -v.
    skipped.push({file, line, reason: 'not a Kubernetes object (no kind)'});
    return;
  }
  if (typeof kind !== 'string') throw new ManifestError(file, line, '`kind` must be a string');
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    if (!Array.isArray(value.items)) throw new ManifestError(file, line, `${kind} without an items list`);
    value.items.forEach((item: unknown, i: number) => {
      const itemLine = itemLines?.[i] ?? line;
      if (!isRecord(item)) throw new ManifestError(file, itemLine, `${kind} item is not a mapping`);
      // kubectl dumps omit apiVersion/kind on items only for typed lists; fill them from the list.
      const filled = item.kind === undefined && kind !== 'List' ? {...item, kind: kind.slice(0, -4), apiVersion: item.apiVersion ?? value.apiVersion} : item;
      collectObjects(filled, file, itemLine, out, undefined, skipped);
    });
    return;
  }
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') throw new ManifestError(file, line, `${kind} has no apiVersion`);
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    // generateName-only objects cannot be referenced by anything; they are not an error in a repo.
    if (isRecord(metadata) && typeof metadata.generateName === 'string') {
      skipped.push({file, line, reason: `${kind} with generateName only (nothing can refer to it)`});
      return;
    }
    throw new ManifestError(file, line, `${kind} has no metadata.name`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = metadata[field];
    if (m !== undefined && m !== null && (!isRecord(m) || Object.values(m).some((v) => typeof v !== 'string'))) {
      throw new ManifestError(file, line, `${kind} ${metadata.name}: metadata.${field} values must be strings`);
    }
  }
  out.push({object: value as unknown as KubeObject, line});
}

/** Paths inside the working directory are shown relative to it (what CI annotations need), others absolute. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, resolve(cwd, file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(cwd, file);
}

export type ReadOptions = Readonly<{
  /** Namespace for namespaced objects that name none (kubectl's current namespace). */
  defaultNamespace: string;
  /** Reader for `-` (stdin). */
  readStdin?: () => Promise<string>;
  /** Paths in messages and origins are shown relative to this directory. */
  cwd?: string;
}>;

export async function readManifests(paths: readonly string[], options: ReadOptions): Promise<ManifestSet> {
  const objects: Record<string, KubeObject[]> = {};
  const origins: Record<string, Origin> = {};
  const files: string[] = [];
  const skipped: SkippedDocument[] = [];
  const cwd = options.cwd ?? process.cwd();
  for (const path of paths) {
    const list = path === '-' ? ['-'] : await expand(path);
    for (const file of list) {
      const shown = file === '-' ? '<stdin>' : displayPath(cwd, file);
      let text: string;
      if (file === '-') {
        text = options.readStdin ? await options.readStdin() : '';
      } else {
        const s = await stat(file);
        if (s.size > MAX_FILE_BYTES) throw new ManifestError(shown, 0, `file larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
        text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw new ManifestError(shown, 0, e.code === 'EACCES' ? 'permission denied' : e.message);
        });
      }
      files.push(shown);
      for (const {object, line} of parseManifestText(text, shown, skipped)) {
        const type = resourceTypeFor(object.apiVersion, object.kind);
        if (!type) {
          skipped.push({file: shown, line, reason: `${object.kind} (${object.apiVersion}) is not a kind meshdoctor reads`});
          continue;
        }
        let obj = object;
        if (type.namespaced && !obj.metadata.namespace) obj = {...obj, metadata: {...obj.metadata, namespace: options.defaultNamespace}};
        if (!type.namespaced && obj.metadata.namespace) {
          const {namespace: _dropped, ...meta} = obj.metadata;
          obj = {...obj, metadata: meta};
        }
        (objects[type.key] ??= []).push(obj);
        origins[subjectKey(subjectOf(obj))] = {file: shown, line};
      }
    }
  }
  return {objects, origins, files, skipped};
}

/** How many objects a set holds. */
export function objectCount(set: ManifestSet): number {
  return Object.values(set.objects).reduce((n, list) => n + list.length, 0);
}
