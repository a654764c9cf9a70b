import {describe, expect, test} from 'vitest';
import {renderText} from '../../../src/presenters/text.js';
import {C, RAW_UNSAFE, hostileReport, report, result, sampleReport, subject} from '../../helpers/report-builder.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

/** The lines of one block's section, from its header to the next blank line. */
function section(text: string, block: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(block);
  expect(start, `section ${block}`).toBeGreaterThan(-1);
  expect(lines[start + 1]).toBe('-'.repeat(block.length));
  const end = lines.indexOf('', start);
  return lines.slice(start + 2, end);
}

describe('text presenter', () => {
  const text = renderText(sampleReport());

  test('has one underlined section per block, in catalog order', () => {
    const headers = ['cluster', 'control-plane', 'data-plane', 'security', 'traffic-config', 'traffic-health'];
    const positions = headers.map((h) => text.split('\n').indexOf(h));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const h of headers) section(text, h);
  });

  test('marks each outcome: ✔ pass, ✖ error failure and crash, ‼ warning-only failure, ○ skip with its reason', () => {
    expect(section(text, 'cluster')).toEqual([
      '✔ the Kubernetes API is reachable [MD1001]',
      '○ nodes can be listed [MD1002] (skipped: forbidden: list nodes)',
    ]);
    const controlPlane = section(text, 'control-plane');
    expect(controlPlane[0]).toBe('✖ istiod pods are ready [MD2001]');
    expect(controlPlane).toContain('✖ the injection webhook is valid [MD2002] (crashed: TypeError: cannot read properties of undefined)');
    expect(section(text, 'data-plane')[0]).toBe('‼ proxies are in sync [MD3101]');
  });

  test('an info-only failure gets the info mark', () => {
    expect(section(text, 'traffic-health')[0]).toBe('ℹ success rates are healthy [MD6001]');
  });

  test('lists findings under a failing check with severity, subject and message, then the runbook', () => {
    expect(section(text, 'control-plane').slice(0, 4)).toEqual([
      '✖ istiod pods are ready [MD2001]',
      '    error Deployment istio-system/istiod: 0 of 2 istiod pods are ready',
      '    warning Pod istio-system/istiod-7f9c-abcde: istiod pod restarted 7 times',
      '    see runbooks/control-plane/istiod-ready.md',
    ]);
  });

  test('says cluster for cluster-wide findings and shows the manifest origin when known', () => {
    expect(section(text, 'security')).toContain('    error cluster: mesh-wide PeerAuthentication is PERMISSIVE');
    expect(section(text, 'traffic-config')).toContain(
      '    error VirtualService shop/cart (deploy/shop/virtual-service.yaml:12): destination host cart-v2 matches no Service',
    );
  });

  test('hides not-applicable checks unless verbose', () => {
    expect(text).not.toContain('linkerd proxies match the control plane');
    const verbose = renderText(sampleReport(), {verbose: true});
    expect(section(verbose, 'data-plane')).toContain('– linkerd proxies match the control plane [MD3102] (not applicable: Linkerd is not detected)');
  });

  test('verbose also prints the evidence of each finding', () => {
    const verbose = renderText(sampleReport(), {verbose: true});
    expect(section(verbose, 'control-plane').slice(1, 4)).toEqual([
      '    error Deployment istio-system/istiod: 0 of 2 istiod pods are ready',
      '        ready: 0',
      '        desired: 2',
    ]);
  });

  test('leaves out a block whose checks are all hidden', () => {
    const onlyNa = renderText(report([result(C.apiReachable), result(C.linkerdProxy, {reason: 'no linkerd'}, 'not-applicable')]));
    expect(onlyNa.split('\n')).not.toContain('data-plane');
    expect(onlyNa.split('\n')).toContain('cluster');
  });

  test('shows suppressed findings, with the suppression reason, only when asked', () => {
    expect(text).not.toContain('old-cart');
    const shown = renderText(sampleReport(), {showSuppressed: true});
    expect(section(shown, 'traffic-config')).toContain(
      '    suppressed warning DestinationRule shop/old-cart: host old-cart matches no Service (annotation meshdoctor.io/ignore on DestinationRule old-cart)',
    );
    expect(section(shown, 'security')).toContain('    suppressed error Namespace legacy: namespace legacy allows plaintext (config: legacy apps migrate in Q3)');
  });

  test('has a header with context, mode and meshes, and lists source problems', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('meshdoctor 0.1.0 — context prod-eu1, mode live, 2025-03-04T05:06:07.890Z');
    expect(lines[1]).toBe('meshes: istio 1.22.3 (istio-system)');
    expect(lines.slice(2, 4)).toEqual(['sources:', '  ‼ metrics unavailable: Prometheus not reachable']);
    expect(text).not.toContain('kubernetes ok');
  });

  test('says so when no mesh was detected and there is no context', () => {
    const lines = renderText(report([result(C.apiReachable)], {meshes: [], context: null, sources: [], mode: 'manifests'})).split('\n');
    expect(lines[0]).toContain('context none, mode manifests');
    expect(lines[1]).toBe('meshes: none detected');
    expect(lines[2]).toBe('');
  });

  test('ends with a summary of checks and findings', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      '11 checks: 2 passed, 5 failed, 2 skipped, 1 not applicable, 1 crashed; findings: 3 errors, 3 warnings, 1 info, 2 suppressed',
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  test('prints no ANSI at all unless color is on', () => {
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('\u001b');
  });

  test('styles marks and headers when color is on, with the same text underneath', () => {
    const colored = renderText(sampleReport(), {color: true});
    expect(colored).toMatch(ANSI);
    expect(colored).toContain('\u001b[32m✔\u001b[39m');
    expect(colored).toContain('\u001b[31m✖\u001b[39m');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text);
  });

  test('neutralises escape sequences, CR, C1 and bidi controls from the cluster', () => {
    for (const options of [{}, {verbose: true, showSuppressed: true}]) {
      const out = renderText(hostileReport(), options);
      expect(out).not.toMatch(RAW_UNSAFE);
      expect(out).toContain('\uFFFD');
    }
    const colored = renderText(hostileReport(), {color: true, verbose: true, showSuppressed: true});
    // Only our own SGR sequences remain.
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(RAW_UNSAFE);
  });

  test('keeps a hostile name on one line', () => {
    const out = renderText(report([result(C.proxySync, {findings: [{subject: subject('Pod', 'shop', 'a\nb'), message: 'line1\nline2'}]})]));
    expect(section(out, 'data-plane')).toContain('    warning Pod shop/a b: line1 line2');
  });
});
