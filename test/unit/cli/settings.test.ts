/**
 * Global flags become typed settings once, at the edge (src/cli/settings.ts): sources, providers and
 * the TUI engine receive settings, never the flag bag. Bad values are one-line usage errors (exit 2).
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, test} from 'vitest';
import {defaultConfig, parseConfig} from '../../../src/cli/config.js';
import {usageErrorLine} from '../../../src/cli/errors.js';
import {ExitError} from '../../../src/cli/exit-codes.js';
import {resolveSettings} from '../../../src/cli/settings.js';
import {matchesSelector, parseLabelSelector} from '../../../src/core/selectors.js';
import {ROOT} from '../../helpers/cli.js';

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExitError);
    expect((error as ExitError).code).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('resolveSettings', () => {
  test('defaults: meshed scope, 30 s requests, auto metrics over the config window, no impersonation', () => {
    const s = resolveSettings({}, defaultConfig());
    expect(s.scope).toEqual({mode: 'meshed'});
    expect(s.scopeGiven).toBe(false);
    expect(s.cluster).toEqual({requestTimeoutMs: 30_000});
    expect(s.metrics).toMatchObject({source: 'auto', windowSeconds: 60, sampleSeconds: 5, headers: {}});
    expect(s.selector).toBeUndefined();
    expect(s.meshOverride).toBeUndefined();
    expect(s.controlPlane.istiodUrl).toBeUndefined();
  });

  test('every flag lands in the one place its consumer reads', async () => {
    const config = await parseConfig('prometheus: {url: "http://prom:9090", headers: {X-Scope-OrgID: team-a}}\nmetrics: {timeout: 7s}\n', 'cfg.yaml');
    const s = resolveSettings({
      kubeconfig: 'kc', context: 'prod', namespace: 'shop,payments', requestTimeout: '5s', as: 'jane', asGroup: ['sre', 'oncall'],
      mesh: 'linkerd', metricsSource: 'prometheus', prometheusHeader: ['Authorization: Bearer t'], window: '2m', sample: '3s',
      clusterDomain: 'corp.local', istiodUrl: 'http://127.0.0.1:15014', selector: 'app=cart,tier!=db', color: false,
    }, config);
    expect(s.cluster).toEqual({kubeconfig: 'kc', context: 'prod', requestTimeoutMs: 5000, impersonate: {user: 'jane', groups: ['sre', 'oncall']}});
    expect(s.scope).toEqual({mode: 'namespaces', namespaces: ['shop', 'payments']});
    expect(s.scopeGiven).toBe(true);
    expect(s.meshOverride).toBe('linkerd');
    expect(s.metrics).toEqual({source: 'prometheus', prometheusUrl: 'http://prom:9090', headers: {'X-Scope-OrgID': 'team-a', Authorization: 'Bearer t'}, windowSeconds: 120, noTrafficSeconds: 900, timeoutMs: 7000, sampleSeconds: 3});
    // Checks judge the window the metrics were read over.
    expect(s.options.thresholds.metrics.windowSeconds).toBe(120);
    expect(s.options.clusterDomain).toBe('corp.local');
    expect(s.controlPlane).toEqual({istiodUrl: new URL('http://127.0.0.1:15014'), timeoutMs: config.options.thresholds.controlPlane.timeoutSeconds * 1000});
    expect(s.selector).toEqual({matchLabels: {app: 'cart'}, matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['db']}]});
    expect(s.noColor).toBe(true);
  });

  test.each([
    [{namespace: 'a', allNamespaces: true}, '-n/--namespace and -A/--all-namespaces cannot be used together'],
    [{requestTimeout: '0s'}, '--request-timeout: "0s" is not a duration (examples: 30s, 1m, 2h)'],
    [{asGroup: ['sre']}, '--as-group: needs --as (a user to impersonate, as with kubectl)'],
    [{as: ''}, '--as: needs a user name'],
    [{mesh: 'kuma'}, '--mesh: "kuma" must be one of istio, linkerd, consul, osm'],
    [{metricsSource: 'graphite'}, '--metrics-source: "graphite" must be one of auto, prometheus, proxies'],
    [{istiodUrl: 'istiod:15014'}, '--istiod-url: "istiod:15014" must be http:// or https://'],
    [{selector: 'app in (a'}, '-l/--selector: "app in (a": unbalanced "(" (examples: app=cart, tier!=db, env in (prod,staging), canary, !canary)'],
    [{prometheusHeader: ['nocolon']}, '--prometheus-header: "nocolon" must look like "Name: value"'],
  ])('%o → %s', (flags, message) => {
    expect(usageError(() => resolveSettings(flags, defaultConfig()))).toBe(message);
  });
});

describe('-l: kubectl label-selector syntax', () => {
  const labels = {app: 'cart', tier: 'web', env: 'prod'};
  test.each([
    ['app=cart', true], ['app==cart', true], ['app=web', false],
    ['app!=web', true], ['missing!=x', true], ['app!=cart', false],
    ['env in (prod,staging)', true], ['env in (staging)', false], ['env notin (prod)', false], ['missing notin (x)', true],
    ['tier', true], ['missing', false], ['!missing', true], ['!tier', false],
    ['app=cart,tier=web,env in (prod)', true], ['app=cart,tier=db', false],
    ['example.com/team=pay', false], [' app = cart , !canary ', true],
  ])('%s selects {app: cart, tier: web, env: prod}: %s', (text, selected) => {
    expect(matchesSelector(labels, parseLabelSelector(text))).toBe(selected);
  });

  test.each([
    ['', 'empty selector'], ['app=cart,', 'empty requirement'], ['app in ()', '"app in ()" needs at least one value'],
    ['app=ca rt', 'is not a requirement'], ['-bad=x', '"-bad" in "-bad=x" is not a label key'], ['app=-x', '"-x" in "app=-x" is not a label value'],
    ['env in (a))', 'unbalanced ")"'],
  ])('%j is rejected: %s', (text, reason) => {
    expect(() => parseLabelSelector(text)).toThrow(reason);
  });
});

describe('commander\'s errors in the one style', () => {
  test.each([
    ["error: unknown option '--bogus'", 'check', '--bogus: unknown option (see meshdoctor check --help)'],
    ["error: unknown option '--outpt'\n(Did you mean --output?)", 'check', '--outpt: unknown option (did you mean --output?)'],
    ["error: option '--fail-on <severity>' argument 'nope' is invalid. Allowed choices are error, warning, info.", 'check', '--fail-on: "nope" must be one of error, warning, info'],
    ["error: option '-o, --output <format>' argument missing", 'check', '--output: needs a value'],
    ["error: missing required argument 'file'", 'snapshot save', 'snapshot save: missing argument <file> (see meshdoctor snapshot save --help)'],
    ["error: too many arguments for 'check'. Expected 0 arguments but got 1.", 'check', 'check: too many arguments (expected 0, got 1)'],
  ])('%j', (text, path, line) => {
    expect(usageErrorLine(text, path)).toBe(line);
  });
});

describe('the raw flag bag stays at the edge', () => {
  function files(dir: string): string[] {
    return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
  }
  test('no source, snapshot or TUI module imports the CLI\'s flag parsers or the flag types', () => {
    const offenders = ['src/sources', 'src/snapshot', 'src/tui', 'src/core', 'src/mesh'].flatMap((d) => files(join(ROOT, d)))
      .filter((f) => /from '[./]*\/cli\/(options|providers\/metrics)\.js'|GlobalFlags/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
