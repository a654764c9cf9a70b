import {describe, expect, test} from 'vitest';
import {escapeData, escapeProperty, githubStepSummary, markdownCell, renderGithub} from '../../../src/presenters/github.js';
import type {FindingSpec} from '../../helpers/report-builder.js';
import {C, RAW_UNSAFE, hostileReport, report, result, sampleReport, subject} from '../../helpers/report-builder.js';

const lines = (text: string) => text.trimEnd().split('\n');
const pods = (n: number, severity: 'error' | 'warning' | 'info'): FindingSpec[] =>
  Array.from({length: n}, (_, i) => ({subject: subject('Pod', 'shop', `${severity}-${i}`), severity}));

describe('github presenter', () => {
  const out = renderGithub(sampleReport());

  test('writes one workflow command per finding, ::error / ::warning / ::notice by severity', () => {
    expect(lines(out)).toContain(
      '::error title=MD2001 istiod-ready::Deployment istio-system/istiod: 0 of 2 istiod pods are ready%0Asee runbooks/control-plane/istiod-ready.md',
    );
    expect(lines(out)).toContain(
      '::warning title=MD3101 proxy-sync::Pod shop/cart-6d4b-zz7q1: proxy is NOT SENT%0Asee runbooks/data-plane/proxy-sync.md',
    );
    expect(lines(out).filter((l) => l.startsWith('::notice title=MD6001 '))).toHaveLength(1);
  });

  test('adds file and line when the finding has an origin, and only then', () => {
    const withFile = lines(out).filter((l) => l.includes('file='));
    expect(withFile).toEqual([
      '::error file=deploy/shop/virtual-service.yaml,line=12,title=MD5103 istio-vs-destination-unresolved::VirtualService shop/cart: destination host cart-v2 matches no Service%0Asee runbooks/traffic-config/istio-vs-destination-unresolved.md',
    ]);
  });

  test('reports a crash as an error and a skip as a notice', () => {
    expect(lines(out)).toContain('::error title=MD2002 webhook-valid crashed::TypeError: cannot read properties of undefined');
    expect(lines(out)).toContain('::notice title=MD1002 nodes-readable skipped::forbidden: list nodes');
  });

  test('prints nothing for a clean report', () => {
    expect(renderGithub(report([result(C.apiReachable)]))).toBe('');
  });

  test('caps annotations at 10 errors and 10 warnings, then says how many more there are', () => {
    const many = report([result(C.proxySync, {findings: [...pods(15, 'error'), ...pods(12, 'warning'), ...pods(3, 'info')]})]);
    const ls = lines(renderGithub(many));
    expect(ls.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(ls.filter((l) => l.startsWith('::warning '))).toHaveLength(10);
    expect(ls.filter((l) => l.startsWith('::notice '))).toHaveLength(3);
    expect(ls).toHaveLength(24);
    expect(ls.at(-1)).toMatch(/^meshdoctor: 7 more not annotated \(5 error, 2 warning\)/);
    // The first ones are kept, in report order.
    expect(ls[0]).toContain('Pod shop/error-0:');
    expect(ls.filter((l) => l.startsWith('::error ')).at(-1)).toContain('Pod shop/error-9:');
  });

  test('no remainder line when everything fits', () => {
    const ten = report([result(C.proxySync, {findings: [...pods(10, 'error'), ...pods(10, 'warning')]})]);
    expect(lines(renderGithub(ten))).toHaveLength(20);
  });

  test('escapes message data: % → %25, CR → %0D, LF → %0A', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeData('a:b,c')).toBe('a:b,c');
  });

  test('escapes properties additionally: : → %3A, , → %2C', () => {
    expect(escapeProperty('C:\\repo\\a,b.yaml')).toBe('C%3A\\repo\\a%2Cb.yaml');
    expect(escapeProperty('50%\n')).toBe('50%25%0A');
  });

  test('a finding cannot start a workflow command of its own', () => {
    const sneaky = report([result(C.vsDestination, {findings: [{
      subject: subject('VirtualService', 'shop', 'cart'),
      message: '50% bad\n::error::pwned\r\n::add-mask::x',
      origin: {file: 'dir,with:odd/vs.yaml', line: 3},
    }]})]);
    const text = renderGithub(sneaky);
    expect(lines(text)).toEqual([
      '::error file=dir%2Cwith%3Aodd/vs.yaml,line=3,title=MD5103 istio-vs-destination-unresolved::VirtualService shop/cart: 50%25 bad%0A::error::pwned\uFFFD%0A::add-mask::x%0Asee runbooks/traffic-config/istio-vs-destination-unresolved.md',
    ]);
  });

  test('neutralises hostile strings: no raw ESC, CR, C1 or bidi characters', () => {
    const text = renderGithub(hostileReport());
    expect(text).not.toMatch(RAW_UNSAFE);
    expect(lines(text).every((l) => l.startsWith('::'))).toBe(true);
  });

  describe('step summary', () => {
    const md = githubStepSummary(sampleReport());

    test('has a counts table equal to the report summary', () => {
      expect(md).toContain('| checks | passed | failed | skipped | not applicable | crashed |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n| 11 | 2 | 5 | 2 | 1 | 1 |');
      expect(md).toContain('| errors | warnings | info | suppressed |\n| ---: | ---: | ---: | ---: |\n| 3 | 3 | 1 | 2 |');
    });

    test('lists every finding in a table, and the checks that did not run', () => {
      const rows = lines(md).filter((l) => /^\| (error|warning|info) \|/.test(l));
      expect(rows).toHaveLength(7);
      expect(rows).toContain(
        '| error | MD5103 istio-vs-destination-unresolved | VirtualService shop/cart (deploy/shop/virtual-service.yaml:12) | destination host cart-v2 matches no Service | runbooks/traffic-config/istio-vs-destination-unresolved.md |',
      );
      expect(md).toContain('| MD2002 webhook-valid | crash | TypeError: cannot read properties of undefined |');
    });

    test('escapes pipes, Markdown and HTML in cells', () => {
      expect(markdownCell('a|b <img src=x> *bold* [l](u) `c`\nd')).toBe('a\\|b &lt;img src=x&gt; \\*bold\\* \\[l\\](u) \\`c\\` d');
      const piped = githubStepSummary(report([result(C.proxySync, {findings: [{subject: subject('Pod', 'shop', 'p'), message: 'x | y'}]})]));
      expect(piped).toContain('| x \\| y |');
    });

    test('neutralises hostile strings', () => {
      const text = githubStepSummary(hostileReport());
      expect(text).not.toMatch(RAW_UNSAFE);
      // Every row keeps its column count: nothing hostile split a cell.
      const rows = lines(text).filter((l) => /^\| (error|warning) \|/.test(l));
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
      }
    });
  });
});
