/** rolldown plugins shared by the build steps (src/build-bundles.ts, src/build-package.ts). */
import {createRequire} from 'node:module';

/**
 * A rolldown plugin: `require('punycode')` (a Node built-in, external by default) resolves to the npm
 * package's file instead, so it is bundled and the built-in is never loaded. `punycode/` is the
 * package's documented way to name itself rather than the built-in.
 */
export function userlandBuiltins(names: readonly string[]): import('rolldown').Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: 'meshdoctor-userland-builtins',
    resolveId(source) {
      const name = source.replace(/^node:/, '');
      return names.includes(name) ? require.resolve(`${name}/`) : null;
    },
  };
}
