/**
 * Build step (`npm run build`, after tsc): compile every YAML file under scenarios/ to
 * dist/scenarios/<same path>.json, which the demo reads instead of parsing the YAML when the
 * source is unchanged (src/sim/demo/compiled-yaml.ts). A file that does not parse is left out:
 * the demo then parses it and reports the error as it always did.
 *
 *   node dist/src/build-scenarios.js
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {compiledPathOf, compileYaml} from './sim/demo/compiled-yaml.js';
import {packageRoot} from './package-info.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(d.name) ? [path] : [];
  });
}

const root = packageRoot();
rmSync(join(root, 'dist', 'scenarios'), {recursive: true, force: true});
for (const file of yamlFiles(join(root, 'scenarios'))) {
  const out = compiledPathOf(file, root)!;
  try {
    const compiled = compileYaml(readFileSync(file, 'utf8'));
    mkdirSync(dirname(out), {recursive: true});
    writeFileSync(out, compiled);
  } catch (error) {
    process.stderr.write(`build-scenarios: ${file} left uncompiled: ${(error as Error).message.split('\n')[0]}\n`);
  }
}
