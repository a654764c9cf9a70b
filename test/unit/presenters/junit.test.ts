import {readFileSync} from 'node:fs';
import {validateXML} from 'xmllint-wasm';
import {describe, expect, test} from 'vitest';
import {junitTimestamp, renderJunit, stripXmlIllegal} from '../../../src/presenters/junit.js';
import {C, RAW_UNSAFE, hostileReport, report, result, sampleReport, subject} from '../../helpers/report-builder.js';

const schema = (name: string) => readFileSync(new URL(`../../fixtures/schemas/${name}`, import.meta.url), 'utf8');
const JENKINS = schema('jenkins-junit.xsd');
const ANT = schema('junit-ant.xsd');

async function validate(xml: string, xsd: string): Promise<readonly string[]> {
  const result = await validateXML({xml: [{fileName: 'report.xml', contents: xml}], schema: [xsd]});
  return result.valid ? [] : result.errors.map((e) => e.message);
}

// Where the two schemas disagree we follow Jenkins' junit-4.xsd; these are the only Ant objections allowed.
const ANT_DISAGREEMENTS = [
  /Element 'testsuites', attribute '(name|tests|failures|errors|time)': The attribute '\1' is not allowed\./,
  /Element 'testsuite', attribute 'skipped': The attribute 'skipped' is not allowed\./,
  /Element 'skipped': This element is not expected\. Expected is one of \( error, failure \)\./,
];

/** The document minus the constructs only Jenkins knows: what remains must satisfy Ant completely. */
function withoutJenkinsExtensions(xml: string): string {
  return xml
    .replace(/<testsuites [^>]*>/, '<testsuites>')
    .replace(/ skipped="\d+"/g, '')
    .replace(/<skipped>[^<]*<\/skipped>/g, '');
}

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/ ([\w.-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function tags(xml: string, name: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${name}( [^>]*)?>`, 'g'))].map((m) => attributes(m[0]));
}

/** Each testcase element with its content. */
function testcases(xml: string): Map<string, string> {
  return new Map([...xml.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => [m[1], (m[2] ?? '').trim()]));
}

async function expectValidForBoth(xml: string): Promise<void> {
  expect(await validate(xml, JENKINS)).toEqual([]);
  const antErrors = await validate(xml, ANT);
  for (const e of antErrors) expect(ANT_DISAGREEMENTS.some((re) => re.test(e)), e).toBe(true);
  expect(await validate(withoutJenkinsExtensions(xml), ANT)).toEqual([]);
}

describe('junit presenter', () => {
  const xml = renderJunit(sampleReport());

  test('validates against Jenkins junit-4.xsd, and against Ant JUnit.xsd except where the two disagree', async () => {
    await expectValidForBoth(xml);
    // The disagreements are real: Ant objects to the Jenkins-only constructs we emit.
    expect((await validate(xml, ANT)).length).toBeGreaterThan(0);
  });

  test('has testsuites totals', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(tags(xml, 'testsuites')).toEqual([{name: 'meshdoctor', tests: '11', failures: '5', errors: '1', time: '0.138'}]);
  });

  test('has one testsuite per block with its counts and the run timestamp', () => {
    const suites = tags(xml, 'testsuite').map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped, s.timestamp, s.id]);
    expect(suites).toEqual([
      ['cluster', '2', '0', '0', '1', '2025-03-04T05:06:07', '0'],
      ['control-plane', '2', '1', '1', '0', '2025-03-04T05:06:07', '1'],
      ['data-plane', '2', '1', '0', '1', '2025-03-04T05:06:07', '2'],
      ['security', '1', '1', '0', '0', '2025-03-04T05:06:07', '3'],
      ['traffic-config', '2', '1', '0', '0', '2025-03-04T05:06:07', '4'],
      ['traffic-health', '2', '1', '0', '1', '2025-03-04T05:06:07', '5'],
    ]);
  });

  test('carries context, mode and meshes as properties of every suite', () => {
    const props = tags(xml, 'property').slice(0, 4);
    expect(props).toEqual([
      {name: 'context', value: 'prod-eu1'},
      {name: 'mode', value: 'live'},
      {name: 'meshdoctor.version', value: '0.1.0'},
      {name: 'mesh.istio', value: '1.22.3 istio-system in-cluster'},
    ]);
    expect(tags(xml, 'properties')).toHaveLength(6);
  });

  test('names testcases "<id> <slug>" in class meshdoctor.<block>', () => {
    const cases = tags(xml, 'testcase');
    expect(cases).toHaveLength(11);
    expect(cases[7]).toEqual({classname: 'meshdoctor.traffic-config', name: 'MD5103 istio-vs-destination-unresolved', time: '0.013'});
  });

  test('maps outcomes: pass → empty, fail → failure, crash → error, skip and not-applicable → skipped', () => {
    const cases = testcases(xml);
    expect(cases.get('MD1001 api-reachable')).toBe('');
    expect(cases.get('MD1002 nodes-readable')).toBe('<skipped>forbidden: list nodes</skipped>');
    expect(cases.get('MD3102 linkerd-proxy-version')).toBe('<skipped>not applicable: Linkerd is not detected</skipped>');
    expect(cases.get('MD2002 webhook-valid')).toBe(
      '<error message="TypeError: cannot read properties of undefined" type="crash">TypeError: cannot read properties of undefined</error>',
    );
    expect(cases.get('MD2001 istiod-ready')).toBe([
      '<failure message="2 findings" type="error">error Deployment istio-system/istiod: 0 of 2 istiod pods are ready',
      'warning Pod istio-system/istiod-7f9c-abcde: istiod pod restarted 7 times',
      'see runbooks/control-plane/istiod-ready.md</failure>',
    ].join('\n'));
  });

  test('a failure is typed by its worst finding', () => {
    const types = tags(xml, 'failure').map((f) => [f.message, f.type]);
    expect(types).toEqual([['2 findings', 'error'], ['2 findings', 'warning'], ['1 finding', 'error'], ['1 finding', 'error'], ['1 finding', 'info']]);
  });

  test('lists suppressed findings in the suite output, not as failures', () => {
    expect(xml).toContain('<system-out>suppressed MD5104 warning DestinationRule shop/old-cart: host old-cart matches no Service (annotation meshdoctor.io/ignore on DestinationRule old-cart)</system-out>');
    expect(testcases(xml).get('MD5104 dr-host-matches')).toBe('');
  });

  test('uses the hostname option, localhost by default', () => {
    expect(tags(xml, 'testsuite')[0].hostname).toBe('localhost');
    expect(tags(renderJunit(sampleReport(), {hostname: 'ci-runner-7'}), 'testsuite')[0].hostname).toBe('ci-runner-7');
  });

  test('escapes XML metacharacters in text and attributes', async () => {
    const odd = 'a <b> & "c" \'d\' ]]>';
    const out = renderJunit(report([
      result(C.proxySync, {findings: [{subject: subject('Pod', 'shop', 'p'), message: odd}]}),
      result(C.webhookValid, {reason: `${odd}\nsecond line`}, 'crash'),
    ], {context: odd}));
    expect(out).toContain('a &lt;b&gt; &amp; "c" \'d\' ]]&gt;');
    expect(out).toContain('message="a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; ]]&gt;&#10;second line"');
    expect(out).toContain('<property name="context" value="a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; ]]&gt;"/>');
    await expectValidForBoth(out);
  });

  test('neutralises hostile strings: no raw escape characters, still valid', async () => {
    const out = renderJunit(hostileReport());
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out).toContain('\uFFFD');
    await expectValidForBoth(out);
  });

  test('strips characters XML 1.0 cannot carry', () => {
    expect(stripXmlIllegal('a\u0000b\u0008c\u000bd\u001fe\ufffff\ud800g\tok\r\n')).toBe('abcdefg\tok\r\n');
    expect(stripXmlIllegal('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
  });

  test('timestamps drop zone and fraction (UTC), as Ant requires', () => {
    expect(junitTimestamp('2025-03-04T05:06:07.890Z')).toBe('2025-03-04T05:06:07');
    expect(junitTimestamp('2025-03-04T07:06:07+02:00')).toBe('2025-03-04T05:06:07');
  });

  test('a report without checks is still a valid document', async () => {
    const out = renderJunit(report([]));
    expect(tags(out, 'testsuite')).toEqual([]);
    await expectValidForBoth(out);
  });
});
