/**
 * Reading what test/helpers/trace-imports.mjs recorded. The built CLI runs the bundled application
 * (dist/app, src/build-bundles.ts), whose chunks are named for one module each: every traced chunk
 * becomes the modules it holds (dist/app/chunks.json), so tests can say which of our modules loaded.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {ROOT} from './cli.js';

export function tracedModules(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const manifest = join(ROOT, 'dist', 'app', 'chunks.json');
  const chunks = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string[]>) : {};
  const app = pathToFileURL(join(ROOT, 'dist', 'app')).href + '/';
  const out: string[] = [];
  for (const url of lines) {
    const chunk = url.startsWith(app) ? chunks[url.slice(app.length)] : undefined;
    if (chunk) out.push(url, ...chunk.map((m) => pathToFileURL(join(ROOT, 'dist', m)).href));
    else out.push(url);
  }
  return out;
}
