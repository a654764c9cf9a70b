/**
 * Whole-catalog runs over a fixture cluster, and small text edits that inject one fault into it
 * (the acceptance tests for emojivoto on Linkerd, Consul and OSM). Each edit helper throws when it
 * changes nothing, so a fault whose anchor drifted fails loudly instead of passing as "healthy".
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {allChecks} from '../../checks/index.js';
import type {CheckResult} from '../../src/core/index.js';
import {DEFAULT_OPTIONS, subjectKey} from '../../src/core/index.js';
import {runCheck} from '../../src/core/runner.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import {FIXTURE_ROOT, loadFixture, parseHeader} from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'md-catalog-'));

/** Concatenate fixture files (relative to test/fixtures/clusters) into one multi-document text. */
export function clusterText(...files: string[]): string {
  return files.map((f) => readFileSync(join(FIXTURE_ROOT, f), 'utf8')).join('\n---\n');
}

/**
 * Run every check of the catalog over a cluster, as a live run with a reachable metrics source
 * that recorded no series: metric checks skip ("not collected") instead of reporting Prometheus
 * missing, so only configuration and state are judged.
 */
export async function runCatalog(text: string, now = new Date()): Promise<CheckResult[]> {
  const file = join(dir, `cluster-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  const loaded = await loadFixture({file, slug: 'catalog', block: '_', header: parseHeader(text, file)}, now);
  const snap = buildSnapshot({
    ...loaded.raw,
    signals: {source: 'recorded', at: now.toISOString(), window: '1m', windowSeconds: 60, signals: {}},
    metricsStatus: {source: 'metrics', state: 'ok', detail: 'test: no series recorded'},
  });
  return allChecks.map((c) => runCheck(c, snap, {now, options: DEFAULT_OPTIONS}, allChecks));
}

/** `MDxxxx severity Kind ns/name` of every finding. */
export function findingKeys(results: readonly CheckResult[]): string[] {
  return results.flatMap((r) => r.findings.map((f) => `${f.checkId} ${f.severity} ${subjectKey(f.subject)}`));
}

/** Findings at warning or error, with their messages (for readable failures). */
export function loudFindings(results: readonly CheckResult[]): string[] {
  return results.flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.checkId} ${f.severity} ${subjectKey(f.subject)}: ${f.message}`));
}

export function crashes(results: readonly CheckResult[]): string[] {
  return results.filter((r) => r.outcome === 'crash').map((r) => `${r.check.id}: ${r.reason}`);
}

/** Replace exactly one occurrence of `from`. */
export function swap(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + from.length) !== -1) throw new Error(`fault anchor must occur exactly once: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Append documents. */
export function add(text: string, yaml: string): string {
  return `${text}\n---\n${yaml.trim()}\n`;
}

/** Drop the one document that contains `marker`. */
export function dropDocument(text: string, marker: string): string {
  const docs = text.split(/\n---\n/);
  const hits = docs.filter((d) => d.includes(marker));
  if (hits.length !== 1) throw new Error(`expected one document with ${marker}, found ${hits.length}`);
  return docs.filter((d) => !d.includes(marker)).join('\n---\n');
}

/** Edit the documents that contain all the markers; the edit must change at least one. */
export function editDocuments(text: string, markers: readonly string[], edit: (doc: string) => string): string {
  let changed = 0;
  const docs = text.split(/\n---\n/).map((d) => {
    if (!markers.every((m) => d.includes(m))) return d;
    const edited = edit(d);
    if (edited !== d) changed++;
    return edited;
  });
  if (changed === 0) throw new Error(`the edit changed no document with ${markers.join(', ')}`);
  return docs.join('\n---\n');
}

/** Marker of a Pod document (EndpointSlices mention `kind: Pod` in their targetRefs too). */
export const POD = 'kind: Pod\nmetadata:';

export type Fault = Readonly<{name: string; apply: (text: string) => string; expect: readonly string[]}>;
