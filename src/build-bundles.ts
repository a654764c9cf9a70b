/**
 * Build step (`npm run build`, after tsc): replace two compiled re-export modules with bundled,
 * minified files of the package they re-export, because loading hundreds of small modules at
 * start-up costs most of a second each (DESIGN.md §8 budgets: first frame, first data frame):
 * - dist/src/tui/ink.js — Ink and its dependencies (React excluded, so the TUI and Ink share one
 *   React; react-devtools-core is only ever loaded with DEV=true);
 * - dist/src/sources/kube/client-node.js — @kubernetes/client-node and its dependencies;
 * - dist/src/sim/x509.js — @peculiar/x509, its ASN.1 libraries and the Reflect polyfill (demo start-up).
 * Without rolldown (a development dependency) the re-exports stay: slower to start, same behaviour.
 *
 *   node dist/src/build-bundles.js
 */
import {mkdtempSync, readdirSync, renameSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** A compiled re-export module (`export * from 'pkg'`), bundled in place with everything it pulls in. */
type Bundle = Readonly<{dir: string; name: string; external: (string | RegExp)[]; mainFields?: string[]}>;

const BUNDLES: readonly Bundle[] = [
  {dir: 'tui', name: 'ink', external: ['react', /^react\//, 'react-devtools-core']},
  {dir: 'sources/kube', name: 'client-node', external: []},
  // Its package.json has no `exports`; `main` is CommonJS, whose names `export *` cannot see: take `module`.
  {dir: 'sim', name: 'x509', external: [], mainFields: ['module', 'main']},
];

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  let rolldown: typeof import('rolldown');
  try {
    rolldown = await import('rolldown');
  } catch {
    process.stderr.write('build-bundles: rolldown is not installed; the re-export modules stay as they are\n');
    return;
  }
  for (const b of BUNDLES) {
    const here = join(root, b.dir);
    const out = mkdtempSync(join(tmpdir(), `md-${b.name}-`));
    try {
      await rolldown.build({
        input: join(here, `${b.name}.js`),
        platform: 'node',
        external: b.external,
        ...(b.mainFields ? {resolve: {mainFields: b.mainFields}} : {}),
        logLevel: 'silent',
        output: {dir: out, format: 'esm', minify: true, entryFileNames: `${b.name}.js`, chunkFileNames: `${b.name}-[name]-[hash].js`},
      });
      const chunk = new RegExp(`^${b.name}-.*\\.js$`);
      for (const old of readdirSync(here)) if (chunk.test(old) || old === `${b.name}.js.map`) rmSync(join(here, old));
      for (const file of readdirSync(out)) renameSync(join(out, file), join(here, file));
    } finally {
      rmSync(out, {recursive: true, force: true});
    }
  }
}

await main();
