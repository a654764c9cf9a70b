/**
 * Build step (`npm run build`, after tsc): replace the compiled src/tui/ink.js — a plain re-export
 * of 'ink' — with one bundled, minified file of Ink and its dependencies (React excluded, so the
 * TUI and Ink share one React; react-devtools-core is only ever loaded with DEV=true). Loading Ink's
 * ~1,500 modules costs most of a second at start-up; the bundle loads in a fraction of that, which
 * is what lets the first data frame come within its budget (DESIGN.md §8). Without rolldown (a
 * development dependency) the re-export stays: slower to start, same behaviour.
 *
 *   node dist/src/tui/build-ink-bundle.js
 */
import {mkdtempSync, readdirSync, renameSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

async function main(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  let rolldown: typeof import('rolldown');
  try {
    rolldown = await import('rolldown');
  } catch {
    process.stderr.write('build-ink-bundle: rolldown is not installed; src/tui/ink.js stays a re-export of ink\n');
    return;
  }
  const entry = fileURLToPath(import.meta.resolve('ink'));
  const out = mkdtempSync(join(tmpdir(), 'md-ink-'));
  try {
    await rolldown.build({
      input: entry,
      platform: 'node',
      external: ['react', /^react\//, 'react-devtools-core'],
      logLevel: 'silent',
      output: {dir: out, format: 'esm', minify: true, entryFileNames: 'ink.js', chunkFileNames: 'ink-[name]-[hash].js'},
    });
    for (const old of readdirSync(here)) if (/^ink-.*\.js$/.test(old) || old === 'ink.js.map') rmSync(join(here, old));
    for (const file of readdirSync(out)) renameSync(join(out, file), join(here, file));
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}

await main();
