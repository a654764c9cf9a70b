/**
 * Compiled scenarios (npm run build → dist/scenarios): the demo reads the same documents it would
 * have parsed, and never a stale compilation.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {compiledPathOf, templateDocuments, yamlDocument} from '../../../src/sim/demo/compiled-yaml.js';
import {parseManifestTemplate, renderParsedTemplate, templateFromJson, templateToJson} from '../../../src/sim/manifest-template.js';
import {ROOT} from '../../helpers/cli.js';

const SCENARIOS = join(ROOT, 'scenarios');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((d) => (d.isDirectory() ? yamlFiles(join(dir, d.name)) : /\.ya?ml$/.test(d.name) ? [join(dir, d.name)] : []));
}

describe('compiled scenario YAML', () => {
  test('every installed scenario file is compiled, and reads as the same documents the parser gives', () => {
    const files = yamlFiles(SCENARIOS);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const compiled = templateFromJson(readFileSync(compiledPathOf(file)!, 'utf8')) as unknown as {sha256: string; documents: unknown[]};
      const parsed = templateToJson(parseManifestTemplate(readFileSync(file, 'utf8')));
      expect(templateToJson(compiled.documents), file).toBe(parsed);
      expect(templateToJson(templateDocuments(file)), file).toBe(parsed);
    }
  });

  test('a text that is not what was compiled is parsed instead (an edited scenario never reads stale data)', () => {
    const file = join(SCENARIOS, 'istio-shop', 'scenario.yaml');
    const edited = `${readFileSync(file, 'utf8')}\ndescription: edited after the build\n`.replace(/^description:.*$/m, '');
    expect((yamlDocument(file, edited) as {description: string}).description).toBe('edited after the build');
  });

  test('files outside scenarios/ have no compiled form', () => {
    expect(compiledPathOf(join(ROOT, 'examples', 'broken-shop', 'shop.yaml'))).toBeUndefined();
    expect(compiledPathOf(SCENARIOS)).toBeUndefined();
  });

  test('certificate tags survive the JSON round trip and render the same objects', async () => {
    const text = [
      'apiVersion: v1', 'kind: Secret', 'metadata: {name: ca, namespace: istio-system}', 'data:',
      '  root-cert.pem: !cert {id: root, cn: Root, ca: true, notBefore: -10d, notAfter: +300d, format: base64}',
      '  started: !time -5m',
      '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: cfg, namespace: linkerd}', 'data:',
      '  values: !yaml {anchors: !cert {ref: root}, networks: "10.0.0.0/8"}',
    ].join('\n');
    const now = new Date('2026-01-01T00:00:00Z');
    const parsed = parseManifestTemplate(text);
    const roundTripped = templateFromJson(templateToJson(parsed));
    const [a, b] = [await renderParsedTemplate(parsed, now), await renderParsedTemplate(roundTripped, now)];
    const shape = (r: typeof a) => r.objects.map((o) => ({kind: o.kind, keys: Object.keys((o as unknown as {data: object}).data)}));
    expect(shape(b)).toEqual(shape(a));
    const secret = b.objects[0] as unknown as {data: Record<string, string>};
    expect(Buffer.from(secret.data['root-cert.pem'], 'base64').toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(secret.data.started).toBe('2025-12-31T23:55:00Z');
    expect((b.objects[1] as unknown as {data: {values: string}}).data.values).toMatch(/anchors: \|?[\s\S]*BEGIN CERTIFICATE[\s\S]*networks: 10\.0\.0\.0\/8/);
  });
});
