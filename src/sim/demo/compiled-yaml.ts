/**
 * The installed scenarios' YAML, compiled to JSON when the package is built (src/build-scenarios.ts
 * writes dist/scenarios/<same path>.json): the demo then starts without parsing some 50 KB of YAML,
 * about a tenth of a second of its start-up. A compiled file records the SHA-256 of the text it was
 * made from, so an edited scenario file — or one outside the package — is parsed as before.
 */
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {isAbsolute, join, relative} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {packageRoot} from '../../package-info.js';
import {parseManifestTemplate, templateFromJson, templateToJson} from '../manifest-template.js';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where the compiled form of a file under scenarios/ lives; undefined for any other file. */
export function compiledPathOf(file: string, root = packageRoot()): string | undefined {
  const rel = relative(join(root, 'scenarios'), file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return join(root, 'dist', 'scenarios', `${rel}.json`);
}

/** The compiled form of a YAML text: its digest and its documents (template tags kept as placeholders). */
export function compileYaml(text: string): string {
  return `{"sha256":${JSON.stringify(digest(text))},"documents":${templateToJson(parseManifestTemplate(text))}}\n`;
}

function compiledDocuments(file: string, text: string): unknown[] | undefined {
  const compiled = compiledPathOf(file);
  if (!compiled || !existsSync(compiled)) return undefined;
  try {
    const c = templateFromJson(readFileSync(compiled, 'utf8')) as unknown as {sha256?: unknown; documents?: unknown};
    return c.sha256 === digest(text) && Array.isArray(c.documents) ? c.documents : undefined;
  } catch {
    // A damaged compiled file: the source is the truth.
    return undefined;
  }
}

/** The documents of a manifest template file (certificate tags as placeholders). */
export function templateDocuments(file: string, text: string = readFileSync(file, 'utf8')): unknown[] {
  return compiledDocuments(file, text) ?? parseManifestTemplate(text);
}

/** The one document of a plain YAML file (scenario.yaml, a traffic graph); YAML errors throw as the parser words them. */
export function yamlDocument(file: string, text: string = readFileSync(file, 'utf8')): unknown {
  const documents = compiledDocuments(file, text);
  return documents?.length === 1 ? documents[0] : parseYaml(text);
}
