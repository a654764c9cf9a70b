import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {ManifestError, parseManifestText, readManifests} from '../../../src/sources/kube/manifests.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'md-manifests-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), {recursive: true});
    writeFileSync(join(d, name), text);
  }
  return d;
}

describe('reading manifests', () => {
  test('multi-document YAML, JSON, List kinds and kubectl dumps, recursively, with origins', async () => {
    const d = dir({
      'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: cart}\nspec: {}\n---\n# comment only\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
      'nested/b.json': JSON.stringify({apiVersion: 'v1', kind: 'List', items: [{apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'vs', namespace: 'shop'}, spec: {}}]}),
      'nested/dump.yaml': 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p1, namespace: shop}\n  spec: {containers: []}\n',
      'values.yaml': 'replicaCount: 2\nimage: {tag: x}\n',
      'README.md': '# not read',
    });
    const set = await readManifests([d], {defaultNamespace: 'shop', cwd: d});
    expect(Object.keys(set.objects).sort()).toEqual(['namespaces', 'pods', 'services', 'virtualservices.networking.istio.io']);
    expect(set.objects.services[0].metadata.namespace).toBe('shop');
    expect(set.objects.namespaces[0].metadata.namespace).toBeUndefined();
    expect(set.origins['Namespace shop']).toEqual({file: 'a.yaml', line: 8});
    expect(set.files).toEqual(['a.yaml', 'nested/b.json', 'nested/dump.yaml', 'values.yaml']);
  });

  test('malformed YAML is reported as file:line: reason', () => {
    expect(() => parseManifestText('apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n', 'x.yaml')).toThrow(/^x\.yaml:\d+: /);
    try {
      parseManifestText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nkind: Pod\n', 'y.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as Error).message).toBe('y.yaml:5: Pod has no apiVersion');
    }
  });

  test('alias bombs, binary junk and wrong shapes are rejected without blowing up', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nkind: X\n';
    expect(() => parseManifestText(bomb, 'bomb.yaml')).toThrow(ManifestError);
    expect(() => parseManifestText('\u0000\u0001\u0002binary', 'bin.yaml')).toThrow(/binary content/);
    expect(() => parseManifestText('- just\n- a list\n', 'list.yaml')).toThrow(/expected a mapping/);
    expect(() => parseManifestText('apiVersion: v1\nkind: Service\nmetadata: {name: a, labels: {x: {y: 1}}}\n', 'l.yaml')).toThrow(/labels values must be strings/);
  });

  test('a missing path is a ManifestError, not a crash', async () => {
    await expect(readManifests(['/nonexistent/path.yaml'], {defaultNamespace: 'default'})).rejects.toThrow(ManifestError);
  });
});
