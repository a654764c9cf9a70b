/**
 * The single executable's entry (`npm run package`, src/build-package.ts). The application is one
 * bundled script inside a Node binary; the files it reads at run time — runbooks, scenarios and their
 * compiled form, package.json — travel as one asset and are unpacked once per build into the user's
 * cache directory (`$XDG_CACHE_HOME/meshdoctor/<version>-<digest>`, else a directory in the system
 * temporary directory), which then serves as the package root. Nothing else changes: the same main().
 */
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {getAsset, isSea} from 'node:sea';
import {main} from './cli/main.js';
import {SEA_FILES_ASSET, usePackageRoot} from './package-info.js';

function unpack(files: Readonly<Record<string, string>>, digest: string, version: string): string {
  const name = `${version}-${digest.slice(0, 16)}`;
  const bases = [process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), tmpdir()];
  for (const [i, base] of bases.entries()) {
    const dir = join(base, i === 0 ? 'meshdoctor' : `meshdoctor-${process.getuid?.() ?? 'user'}`, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
    try {
      mkdirSync(dirname(dir), {recursive: true});
      // Written beside, then renamed: a second meshdoctor starting at the same time never sees half a tree.
      const partial = mkdtempSync(`${dir}.partial-`);
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(partial, file)), {recursive: true});
        writeFileSync(join(partial, file), text);
      }
      try {
        renameSync(partial, dir);
      } catch (error) {
        rmSync(partial, {recursive: true, force: true});
        if (!existsSync(join(dir, 'package.json'))) throw error;
      }
      return dir;
    } catch {
      // Not writable (a read-only home in a container): the next place.
    }
  }
  throw new Error('cannot unpack the runbooks and scenarios: neither the cache directory nor the temporary directory is writable');
}

async function run(): Promise<number> {
  if (isSea()) {
    const text = getAsset(SEA_FILES_ASSET, 'utf8');
    const files = JSON.parse(text) as Record<string, string>;
    const version = (JSON.parse(files['package.json']) as {version: string}).version;
    usePackageRoot(unpack(files, createHash('sha256').update(text).digest('hex'), version));
  }
  return main(process.argv);
}

process.exitCode = await run().catch((error: unknown) => {
  process.stderr.write(`meshdoctor: ${error instanceof Error ? error.message : String(error)}\n`);
  return 3;
});
