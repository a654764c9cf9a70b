import {readFileSync} from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import {describe, expect, test} from 'vitest';
import {artifactUri, renderSarif, runbookUri} from '../../../src/presenters/sarif.js';
import type {SarifOptions} from '../../../src/presenters/sarif.js';
import {C, RAW_UNSAFE, VS_CART, hostileReport, report, result, sampleReport, subject} from '../../helpers/report-builder.js';

// ajv-formats is not installed: the three formats the SARIF schema uses, checked minimally.
// unicodeRegExp: false — the schema's language pattern has a stray ']' that only non-unicode regexps accept.
// A CommonJS module: under NodeNext the class is its `default` property (also set at run time).
const Ajv = AjvDraft04.default;
const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false});
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => /^[^\s]*$/.test(s));
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
const schema = JSON.parse(readFileSync(new URL('../../fixtures/schemas/sarif-2.1.0.json', import.meta.url), 'utf8'));
const validateSarif = ajv.compile(schema);

function expectValid(text: string): void {
  const ok = validateSarif(JSON.parse(text));
  expect(validateSarif.errors ?? [], ajv.errorsText(validateSarif.errors)).toEqual([]);
  expect(ok).toBe(true);
}

type Loc = {physicalLocation?: {artifactLocation: {uri: string}; region: {startLine: number}}; logicalLocations: {name: string; fullyQualifiedName: string; kind: string}[]};
type Result = {ruleId: string; ruleIndex: number; level: string; message: {text: string}; locations: Loc[]; partialFingerprints: Record<string, string>; suppressions?: {kind: string; justification: string}[]};
type Rule = {id: string; name: string; shortDescription: {text: string}; defaultConfiguration: {level: string}; helpUri?: string; help: {text: string; markdown: string}; properties: {tags: string[]}};
type Run = {tool: {driver: {name: string; version: string; informationUri?: string; rules: Rule[]}}; results: Result[]; invocations: {executionSuccessful: boolean; toolExecutionNotifications?: {level: string; message: {text: string}; associatedRule: {id: string}}[]}[]};

const runOf = (text: string) => (JSON.parse(text) as {runs: Run[]}).runs[0];
const ROOT: SarifOptions = {runbookRoot: '/opt/meshdoctor'};

describe('sarif presenter', () => {
  const text = renderSarif(sampleReport(), ROOT);
  const doc = JSON.parse(text) as {$schema: string; version: string; runs: Run[]};
  const run = doc.runs[0];

  test('validates against the SARIF 2.1.0 schema, with any runbook option', () => {
    expectValid(text);
    expectValid(renderSarif(sampleReport()));
    expectValid(renderSarif(sampleReport(), {runbookBaseUrl: 'https://example.com/meshdoctor/blob/v0.1.0', informationUri: 'https://example.com/meshdoctor'}));
  });

  test('the validator is not vacuous: a wrong level is rejected', () => {
    expect(validateSarif(JSON.parse(text.replace('"level": "note"', '"level": "info"')))).toBe(false);
  });

  test('is SARIF 2.1.0 with one run of the meshdoctor driver', () => {
    expect(doc.version).toBe('2.1.0');
    expect(doc.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(doc.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({name: 'meshdoctor', version: '0.1.0'});
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('has one rule per check in the report, whatever its outcome', () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(sampleReport().results.map((r) => r.check.id));
  });

  test('a rule carries slug, title, default level, runbook link and block tag', () => {
    const rules = Object.fromEntries(run.tool.driver.rules.map((r) => [r.id, r]));
    expect(rules.MD5103).toMatchObject({
      name: 'istio-vs-destination-unresolved',
      shortDescription: {text: 'VirtualService destinations resolve'},
      defaultConfiguration: {level: 'error'},
      helpUri: 'file:///opt/meshdoctor/runbooks/traffic-config/istio-vs-destination-unresolved.md',
    });
    expect(rules.MD5103.help.markdown).toContain('(file:///opt/meshdoctor/runbooks/traffic-config/istio-vs-destination-unresolved.md)');
    expect(rules.MD5103.properties.tags).toContain('traffic-config');
    expect(rules.MD3101.defaultConfiguration.level).toBe('warning');
  });

  test('helpUri is base URL + runbook path when a base is given, absent with no option', () => {
    const withBase = runOf(renderSarif(sampleReport(), {runbookBaseUrl: 'https://example.com/md/blob/main/', runbookRoot: '/ignored'}));
    expect(withBase.tool.driver.rules[0].helpUri).toBe('https://example.com/md/blob/main/runbooks/cluster/api-reachable.md');
    const bare = runOf(renderSarif(sampleReport()));
    expect(bare.tool.driver.rules[0]).not.toHaveProperty('helpUri');
    expect(bare.tool.driver.rules[0].help.text).toContain('runbooks/cluster/api-reachable.md');
  });

  test('runbookRoot must be absolute', () => {
    expect(() => runbookUri('runbooks/a/b.md', {runbookRoot: 'relative/dir'})).toThrow(/absolute/);
  });

  test('has one result per finding, plus the suppressed ones marked as suppressed', () => {
    const active = run.results.filter((r) => !r.suppressions);
    const silenced = run.results.filter((r) => r.suppressions);
    expect(active).toHaveLength(7);
    expect(silenced.map((r) => [r.ruleId, r.suppressions])).toEqual([
      ['MD4001', [{kind: 'external', justification: 'config: legacy apps migrate in Q3'}]],
      ['MD5104', [{kind: 'external', justification: 'annotation meshdoctor.io/ignore on DestinationRule old-cart'}]],
    ]);
  });

  test('results point at their rule and map severity to level (info → note)', () => {
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['MD2001', 'error'], ['MD2001', 'warning'], ['MD3101', 'warning'], ['MD3101', 'warning'], ['MD4001', 'error'], ['MD4001', 'error'],
      ['MD5103', 'error'], ['MD5104', 'warning'], ['MD6001', 'note'],
    ]);
  });

  test('every result names its object as a logical location; only a finding with an origin has a physical one', () => {
    const withFile = run.results.filter((r) => r.locations[0].physicalLocation);
    expect(withFile.map((r) => r.ruleId)).toEqual(['MD5103']);
    expect(withFile[0].locations[0]).toEqual({
      physicalLocation: {artifactLocation: {uri: 'deploy/shop/virtual-service.yaml'}, region: {startLine: 12}},
      logicalLocations: [{name: 'cart', fullyQualifiedName: 'VirtualService/shop/cart', kind: 'resource'}],
    });
    const cluster = run.results.find((r) => r.ruleId === 'MD4001' && !r.suppressions)!;
    expect(cluster.locations[0].logicalLocations).toEqual([{name: 'cluster', fullyQualifiedName: 'cluster', kind: 'resource'}]);
    const clusterScoped = run.results.find((r) => r.ruleId === 'MD4001' && r.suppressions)!;
    expect(clusterScoped.locations[0].logicalLocations[0].fullyQualifiedName).toBe('Namespace/legacy');
  });

  test('messages name the object', () => {
    expect(run.results.find((r) => r.ruleId === 'MD5103')!.message.text).toBe('VirtualService shop/cart: destination host cart-v2 matches no Service');
  });

  test('fingerprints are stable per check and object, whatever the message', () => {
    const fp = (message: string, s = VS_CART) => runOf(renderSarif(report([result(C.vsDestination, {findings: [{subject: s, message}]})]))).results[0].partialFingerprints;
    expect(fp('one wording')).toEqual(fp('another wording'));
    expect(fp('x')).not.toEqual(fp('x', subject('VirtualService', 'shop', 'checkout')));
    expect(Object.values(fp('x'))[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  test('execution is successful only when no check crashed; crashes and skips are notifications', () => {
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications!.map((n) => [n.associatedRule.id, n.level])).toEqual([
      ['MD1002', 'warning'], ['MD2002', 'error'], ['MD6002', 'warning'],
    ]);
    expect(runOf(renderSarif(report([result(C.apiReachable)]))).invocations).toEqual([{executionSuccessful: true}]);
  });

  test('neutralises hostile strings and still validates', () => {
    const out = renderSarif(hostileReport(), ROOT);
    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out).not.toContain('\\u001b');
    expectValid(out);
    const hostileRun = runOf(out);
    expect(hostileRun.results[0].locations[0].physicalLocation!.artifactLocation.uri).toMatch(/^deploy\/x%EF%BF%BD%5B31mred/);
  });

  describe('artifactUri', () => {
    test('keeps relative paths relative, with forward slashes and percent-encoding', () => {
      expect(artifactUri('./k8s/my app.yaml')).toBe('k8s/my%20app.yaml');
      expect(artifactUri('k8s\\win\\vs.yaml')).toBe('k8s/win/vs.yaml');
    });

    test('makes absolute paths relative to sourceRoot, or file URIs outside it', () => {
      expect(artifactUri('/repo/deploy/vs.yaml', '/repo')).toBe('deploy/vs.yaml');
      expect(artifactUri('/elsewhere/vs.yaml', '/repo')).toBe('file:///elsewhere/vs.yaml');
      expect(artifactUri('/elsewhere/vs.yaml')).toBe('file:///elsewhere/vs.yaml');
    });
  });
});
