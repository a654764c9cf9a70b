/** Where meshdoctor is installed (for runbooks/, scenarios/) and its version, from package.json. */
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

let root: string | undefined;

/** The single executable's asset holding the data files: relative path → text (src/build-package.ts writes it). */
export const SEA_FILES_ASSET = 'files.json';

/** The single executable unpacks its data files (runbooks, scenarios) and says where (src/sea-main.ts). */
export function usePackageRoot(dir: string): void {
  root = dir;
}

/** The package root: the nearest ancestor of this module holding meshdoctor's package.json (works from src/ and dist/src/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as {name?: string};
      if (pkg.name === 'meshdoctor') return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('meshdoctor package.json not found');
    dir = parent;
  }
}

let version: string | undefined;

export function meshdoctorVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version;
  return version;
}
