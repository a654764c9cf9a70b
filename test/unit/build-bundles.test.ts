/**
 * The built package (npm test builds it first) loads Ink, the Kubernetes client and @peculiar/x509
 * from one bundled file each (src/build-bundles.ts): start-up budgets rest on it, and Ink's bundle
 * measures text with our fast string-width.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {isBuiltin} from 'node:module';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {ONE_CELL} from '../../src/tui/string-width.js';
import {ROOT} from '../helpers/cli.js';

const DIST = join(ROOT, 'dist', 'src');

/** The module specifiers a built file imports statically. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `import … from "x"`, `export … from "x"` or a bare `import "x"`, each starting a statement (not
  // the words quoted inside a message string).
  const statement = /(?:^|[;\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"'\n]+)["']/g;
  return [...new Set([...text.matchAll(statement)].map((m) => m[1]))];
}

describe('the build bundles', () => {
  test.each([
    ['tui/ink.js', ['react']],
    ['sources/kube/client-node.js', []],
    ['sim/x509.js', []],
  ])('%s imports nothing but Node built-ins, its own chunks and %j', (file, allowed) => {
    // Built-ins come as `node:x` or, from some packages, bare (`url`, `vm`).
    const builtin = (s: string) => s.startsWith('node:') || isBuiltin(s);
    const foreign = staticImports(join(DIST, file)).filter((s) => !builtin(s) && !s.startsWith('./') && !allowed.includes(s));
    expect(foreign).toEqual([]);
  });

  test('the Kubernetes client\'s bundle never loads Node\'s deprecated punycode (DEP0040 on Node 22 and 24): the userland package is inside', () => {
    const files = readdirSync(join(DIST, 'sources/kube')).filter((f) => /^client-node.*\.js$/.test(f));
    const text = files.map((f) => readFileSync(join(DIST, 'sources/kube', f), 'utf8')).join('\n');
    expect(text).not.toMatch(/require\(\s*["'](node:)?punycode["']\s*\)|from\s*["'](node:)?punycode["']/);
    // tr46 still maps domain labels: the userland implementation is what answers it.
    expect(text).toContain('Overflow: input needs wider integers to process');
  });

  test('the application is bundled: dist/app imports only built-ins, runtime dependencies and its own chunks', () => {
    const app = join(ROOT, 'dist', 'app');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {dependencies: Record<string, string>};
    const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
    const files = readdirSync(app).filter((f) => f.endsWith('.js'));
    // react-devtools-core: Ink's optional peer, in a chunk only DEV=true loads.
    const optional = new Set(['react-devtools-core']);
    const foreign = files.flatMap((f) => staticImports(join(app, f)).filter((s) => !s.startsWith('./') && !s.startsWith('node:') && !isBuiltin(s) && !(packageOf(s) in pkg.dependencies) && !optional.has(s)).map((s) => `${f}: ${s}`));
    expect(foreign).toEqual([]);
    // Far fewer files than modules: that is the point.
    const chunks = JSON.parse(readFileSync(join(app, 'chunks.json'), 'utf8')) as Record<string, string[]>;
    expect(Object.keys(chunks).sort()).toEqual(files.sort());
    const modules = Object.values(chunks).flat();
    expect(modules).toContain('src/cli/main.js');
    expect(modules).toContain('checks/index.js');
    expect(files.length * 3).toBeLessThan(modules.length);
  });

  test('Ink measures text with the fast string-width', () => {
    expect(readFileSync(join(DIST, 'tui', 'ink.js'), 'utf8')).toContain(ONE_CELL.source.slice(2, 40));
  });

  test('the bundled modules work: x509 makes a certificate, Ink renders', async () => {
    const {generateCert} = await import(join(DIST, 'sim', 'certs.js'));
    const cert = await generateCert({commonName: 'bundle-test', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000)});
    expect(cert.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const ink = await import(join(DIST, 'tui', 'ink.js'));
    expect(typeof ink.render).toBe('function');
    expect(typeof ink.Text).toBe('function');
  });
});
