/**
 * Build step (`npm run build`, after tsc): replace three compiled re-export modules with bundled,
 * minified files of the package they re-export, because loading hundreds of small modules at
 * start-up costs most of a second each (docs/design.md §8 budgets: first frame, first data frame):
 * - dist/src/tui/ink.js — Ink and its dependencies (React excluded, so the TUI and Ink share one
 *   React; react-devtools-core is only ever loaded with DEV=true), with string-width answered by
 *   src/tui/string-width.ts (a fast path for the characters the TUI draws: a re-render, not start-up);
 * - dist/src/sources/kube/client-node.js — @kubernetes/client-node and its dependencies, with Node's
 *   deprecated `punycode` module (node-fetch 2 → whatwg-url → tr46 require it) answered by the
 *   userland package of the same name: on Node 22 and 24 requiring the built-in prints DEP0040 on stderr;
 * - dist/src/sim/x509.js — @peculiar/x509, its ASN.1 libraries and the Reflect polyfill (demo start-up).
 * Then the application itself: dist/src/cli/main.js and every module of ours it imports, statically
 * or lazily, become dist/app/ — main.js plus one chunk per part loaded on demand, so `check` still
 * never loads the TUI — with packages left as imports. About 90 files instead of some 550 modules (0.1 s off
 * `check`, 0.2 s off the demo's first data frame). dist/app/chunks.json names the modules in each
 * chunk (tests map traced chunks back to modules with it). bin/meshdoctor.js runs dist/app when it
 * exists, dist/src otherwise.
 * Without rolldown (a development dependency) the re-exports stay and there is no dist/app: slower
 * to start, same behaviour.
 *
 *   node dist/src/build-bundles.js
 */
import {mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, isAbsolute, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {userlandBuiltins} from './build-plugins.js';

/** A compiled re-export module (`export * from 'pkg'`), bundled in place with everything it pulls in. */
type Bundle = Readonly<{
  dir: string;
  name: string;
  external: (string | RegExp)[];
  mainFields?: string[];
  /** Bare imports answered by one of our compiled modules (relative to the bundle's directory) instead of the package. */
  replace?: Readonly<Record<string, string>>;
  /** Built-in modules answered by a userland package (bundled in): `punycode` → the `punycode` package. */
  userland?: readonly string[];
}>;

const BUNDLES: readonly Bundle[] = [
  {dir: 'tui', name: 'ink', external: ['react', /^react\//, 'react-devtools-core'], replace: {'string-width': 'string-width.js'}},
  {dir: 'sources/kube', name: 'client-node', external: [], userland: ['punycode']},
  // Its package.json has no `exports`; `main` is CommonJS, whose names `export *` cannot see: take `module`.
  {dir: 'sim', name: 'x509', external: [], mainFields: ['module', 'main']},
];

/** A rolldown plugin: `import … from 'pkg'` resolves to our module, except inside that module (which wraps the package). */
function replacePackages(dir: string, replace: Readonly<Record<string, string>>): import('rolldown').Plugin {
  return {
    name: 'meshdoctor-replace-packages',
    resolveId(source, importer) {
      const ours = replace[source] === undefined ? undefined : join(dir, replace[source]);
      return ours === undefined || importer === ours ? null : ours;
    },
  };
}

/** dist/app: the application bundled from dist/src/cli/main.js (packages stay imports). */
async function bundleApp(rolldown: typeof import('rolldown'), root: string): Promise<void> {
  const dist = dirname(root);
  const app = join(dist, 'app');
  // No stale application survives a build that fails half-way: bin/ then runs dist/src.
  rmSync(app, {recursive: true, force: true});
  const out = mkdtempSync(join(dist, '.app-'));
  try {
    const result = await rolldown.build({
      input: {main: join(root, 'cli', 'main.js')},
      platform: 'node',
      external: (id) => !id.startsWith('.') && !isAbsolute(id),
      logLevel: 'silent',
      output: {dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js'},
    });
    const chunks: Record<string, string[]> = {};
    for (const o of result.output) {
      if (o.type === 'chunk') chunks[o.fileName] = o.moduleIds.filter((id) => isAbsolute(id)).map((id) => relative(dist, id).split('\\').join('/')).sort();
    }
    writeFileSync(join(out, 'chunks.json'), `${JSON.stringify(chunks, null, 1)}\n`);
    renameSync(out, app);
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  let rolldown: typeof import('rolldown');
  try {
    rolldown = await import('rolldown');
  } catch {
    process.stderr.write('build-bundles: rolldown is not installed; the re-export modules stay as they are\n');
    rmSync(join(dirname(root), 'app'), {recursive: true, force: true});
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
        plugins: [...(b.replace ? [replacePackages(here, b.replace)] : []), ...(b.userland ? [userlandBuiltins(b.userland)] : [])],
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
  await bundleApp(rolldown, root);
}

await main();
