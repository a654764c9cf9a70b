import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {expectOneLine, runCli} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

describe('meshdoctor runbook', () => {
  test('without an id, lists every runbook with id, block and title', async () => {
    const r = await runCli(['runbook']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+BLOCK\s+TITLE/);
    expect(r.stdout).toMatch(/\nMD5103\s+traffic-config\s+A VirtualService routes to a host, port or subset that does not exist/);
  });

  test('without a cluster, nothing is guessed: commands needing the objects or a context are shown as not filled (non-TTY)', async () => {
    const r = await runCli(['runbook', 'istio-vs-destination-unresolved', '--for', 'shop/cart'], {env: {KUBECONFIG: '/nonexistent/kubeconfig'}});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# MD5103 — /);
    expect(r.stdout).toContain('Filled in for shop/cart by name only: the cluster could not be read');
    expect(r.stdout).toContain('# not filled: {{context}}: the kubeconfig names no current context: pass --context');
    expect(r.stdout).toContain("# kubectl --context '<context>' -n shop get virtualservice cart -o yaml");
    // No command line is left runnable with a placeholder in it.
    expect(r.stdout.split('\n').filter((l) => /^\s*kubectl /.test(l) && l.includes('<'))).toEqual([]);
  });

  test('-o json without a cluster: every placeholder that needs one is a gap with its reason, valid against schemas/runbook-report.schema.json', async () => {
    const r = await runCli(['runbook', 'MD5103', '--for', 'shop/cart', '-o', 'json'], {env: {KUBECONFIG: '/nonexistent/kubeconfig'}});
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({checkId: 'MD5103', target: 'shop/cart', context: null});
    expect(d.gaps.context).toBe('the kubeconfig names no current context: pass --context');
    expect(errorsOf('runbook-report', d)).toEqual([]);
    const unfilled = await runCli(['runbook', 'MD5103', '-o', 'json'], {env: {KUBECONFIG: '/nonexistent/kubeconfig'}});
    expect(errorsOf('runbook-report', JSON.parse(unfilled.stdout))).toEqual([]);
  });

  test('an unknown id is exit 2; a bad --for is exit 2', async () => {
    expect((await runCli(['runbook', 'MD9999'])).code).toBe(2);
    expect((await runCli(['runbook', 'MD5103', '--for', 'cart'])).code).toBe(2);
  });

  test('a --for that no Kubernetes object could be named (shell syntax, control characters) is exit 2 in one clean line, before any walkthrough', async () => {
    for (const target of ['shop/$(touch x);y', 'shop/cart\u001b[201~\u0015touch x\u000f', 'shop/cart\u009b31m\u202e']) {
      const r = await runCli(['runbook', 'MD6007', '--for', target], {env: {KUBECONFIG: '/nonexistent/kubeconfig'}});
      expect(r.code, JSON.stringify(target)).toBe(2);
      expect(r.stdout).toBe('');
      expect(expectOneLine(r.stderr)).toMatch(/^meshdoctor: --for: ".*" must be NAMESPACE\/NAME$/);
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  test('an organisation\'s runbooks override built-in ones with the same check id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-runbooks-'));
    mkdirSync(join(dir, 'ours'));
    writeFileSync(join(dir, 'ours', 'subset.md'), '---\ncheck: MD5103\ntitle: Our way to fix subsets\nseverity: error\n---\n\n## Meaning\n\nx\n\n## Impact\n\ny\n\n## Diagnosis\n\n1. Page the platform team.\n\n   ```sh\n   pagerctl page platform --about {{namespace}}/{{name}}\n   ```\n\n## Mitigation\n\n- Roll back.\n');
    const r = await runCli(['runbook', 'MD5103', '--for', 'shop/cart', '--runbooks', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Our way to fix subsets');
    expect(r.stdout).toContain('pagerctl page platform --about shop/cart');
    const list = await runCli(['runbook', '--runbooks', dir]);
    expect(list.stdout).toMatch(/MD5103\s+traffic-config\s+Our way to fix subsets \(custom\)/);
  });
});
