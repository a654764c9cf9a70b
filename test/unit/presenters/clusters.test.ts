/**
 * One report over several clusters (`check --context a,b`, `--all-contexts`): text grouped by
 * cluster, JSON with a `cluster` on every finding (and otherwise the single-cluster fields), JUnit
 * one suite per cluster, SARIF one run per cluster, GitHub annotations naming their cluster — and a
 * cluster that could not be read shown as such in every format, never silently left out.
 */
import {readFileSync} from 'node:fs';
import {validateXML} from 'xmllint-wasm';
import {describe, expect, it} from 'vitest';
import type {ClusterReport} from '../../../src/core/types.js';
import {clusterPresenters} from '../../../src/presenters/index.js';
import {toJsonClusters} from '../../../src/presenters/json.js';
import {C, HOSTILE, RAW_UNSAFE, VS_CART, hostileReport, report, result, sampleReport} from '../../helpers/report-builder.js';

const EU = sampleReport({context: 'prod-eu1'});
const US = report([
  result(C.apiReachable),
  result(C.istiodReady),
  result(C.vsDestination, {findings: [{subject: VS_CART, message: 'destination host cart-v3 matches no Service'}]}),
  result(C.latency, {reason: 'Prometheus not reachable in us'}, 'skip'),
], {context: 'prod-us1', takenAt: '2025-03-04T05:06:09.000Z'});
const CLUSTERS: ClusterReport[] = [
  {cluster: 'prod-eu1', report: EU},
  {cluster: 'prod-us1', report: US},
  {cluster: 'prod-ap1', error: 'cannot list namespaces: connection to https://10.0.0.1:6443 refused'},
];
const OPTIONS = {meshdoctorVersion: '0.1.0'};

describe('text over several clusters', () => {
  const text = clusterPresenters.text(CLUSTERS, OPTIONS);

  it('shows each cluster under its own heading, in the order given, with its own report', () => {
    const headings = [...text.matchAll(/^═══ cluster (\S+) ═══$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['prod-eu1', 'prod-us1', 'prod-ap1']);
    const us = text.slice(text.indexOf('═══ cluster prod-us1'), text.indexOf('═══ cluster prod-ap1'));
    expect(us).toContain('context prod-us1');
    expect(us).toContain('VirtualService shop/cart: destination host cart-v3 matches no Service');
    expect(us).not.toContain('0 of 2 istiod pods are ready');
  });

  it('says why a cluster could not be read, and sums up every cluster at the end', () => {
    expect(text).toContain('✖ could not be read: cannot list namespaces: connection to https://10.0.0.1:6443 refused');
    const tail = text.slice(text.lastIndexOf('═══ 3 clusters'));
    expect(tail.split('\n').filter(Boolean)).toEqual([
      '═══ 3 clusters, 1 could not be read ═══',
      '  prod-eu1: 3 errors, 3 warnings, 1 info',
      '  prod-us1: 1 error',
      '  prod-ap1: could not be read',
      'findings: 4 errors, 3 warnings, 1 info',
    ]);
  });

  it('strips what a hostile cluster name or report could do to a terminal', () => {
    const out = clusterPresenters.text([{cluster: `evil${HOSTILE}`, report: hostileReport()}, {cluster: `down${HOSTILE}`, error: `refused ${HOSTILE}`}], OPTIONS);
    expect(out).not.toMatch(RAW_UNSAFE);
  });
});

describe('JSON over several clusters', () => {
  const json = toJsonClusters(CLUSTERS, '0.1.0');

  it('gives every finding the cluster it was found in', () => {
    const vs = json.checks.find((c) => c.id === 'MD5103')!;
    expect(vs.findings.map((f) => [f.cluster, f.message])).toEqual([
      ['prod-eu1', 'destination host cart-v2 matches no Service'],
      ['prod-us1', 'destination host cart-v3 matches no Service'],
    ]);
    expect(json.checks.flatMap((c) => c.findings).every((f) => f.cluster === 'prod-eu1' || f.cluster === 'prod-us1')).toBe(true);
  });

  it('reports a check\'s worst status over the clusters, and each cluster\'s own', () => {
    const latency = json.checks.find((c) => c.id === 'MD6002')!;
    expect(latency.status).toBe('skip');
    expect(latency.reason).toBe('prod-eu1: Prometheus not reachable; prod-us1: Prometheus not reachable in us');
    const istiod = json.checks.find((c) => c.id === 'MD2001')!;
    expect(istiod.status).toBe('fail');
    expect(istiod.clusters).toEqual([{name: 'prod-eu1', status: 'fail', reason: null}, {name: 'prod-us1', status: 'pass', reason: null}]);
  });

  it('keeps the single-cluster fields, summing the summaries, and lists every context with its error', () => {
    expect(json).toMatchObject({schemaVersion: 1, context: null, contexts: ['prod-eu1', 'prod-us1', 'prod-ap1'], takenAt: '2025-03-04T05:06:09.000Z'});
    expect(json.summary).toEqual({checks: 15, passed: 4, failed: 6, skipped: 3, notApplicable: 1, crashed: 1, findings: {error: 4, warning: 3, info: 1}, suppressed: 2});
    expect(json.clusters.map((c) => [c.name, c.error, c.summary?.checks ?? null])).toEqual([
      ['prod-eu1', null, 11], ['prod-us1', null, 4], ['prod-ap1', 'cannot list namespaces: connection to https://10.0.0.1:6443 refused', null],
    ]);
    expect(json.sources.filter((s) => s.cluster === 'prod-ap1')).toEqual([{cluster: 'prod-ap1', source: 'kubernetes', state: 'unavailable', detail: 'cannot list namespaces: connection to https://10.0.0.1:6443 refused'}]);
    expect(json.meshes.map((m) => [m.cluster, m.name])).toEqual([['prod-eu1', 'istio'], ['prod-us1', 'istio']]);
  });

  it('is terminal-safe', () => {
    expect(clusterPresenters.json([{cluster: `evil${HOSTILE}`, report: hostileReport()}], OPTIONS)).not.toMatch(RAW_UNSAFE);
  });
});

describe('JUnit over several clusters', () => {
  const xml = clusterPresenters.junit(CLUSTERS, {...OPTIONS, hostname: 'ci-runner'});

  it('has one suite per cluster, named after it, holding that cluster\'s checks', () => {
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)].map((m) => m.slice(1));
    expect(suites).toEqual([['prod-eu1', '11', '5', '1'], ['prod-us1', '4', '1', '0'], ['prod-ap1', '1', '0', '1']]);
    expect(xml).toMatch(/<testsuites name="meshdoctor" tests="16" failures="6" errors="2"/);
    const us = xml.slice(xml.indexOf('<testsuite name="prod-us1"'), xml.indexOf('<testsuite name="prod-ap1"'));
    expect(us).toContain('<testcase classname="meshdoctor.traffic-config" name="MD5103 istio-vs-destination-unresolved"');
    expect(us).toContain('cart-v3');
  });

  it('fails the unreadable cluster\'s suite with the reason, and validates against Jenkins\' schema', async () => {
    expect(xml).toContain('<error message="cluster could not be read: cannot list namespaces: connection to https://10.0.0.1:6443 refused" type="unavailable">');
    const xsd = readFileSync(new URL('../../fixtures/schemas/jenkins-junit.xsd', import.meta.url), 'utf8');
    const valid = await validateXML({xml: [{fileName: 'report.xml', contents: xml}], schema: [xsd]});
    expect(valid.errors.map((e) => e.message)).toEqual([]);
  });
});

describe('SARIF and GitHub over several clusters', () => {
  it('SARIF: one run per cluster, told apart by automationDetails; the unreadable one failed', () => {
    const sarif = JSON.parse(clusterPresenters.sarif(CLUSTERS, OPTIONS)) as {runs: {automationDetails: {id: string}; results: unknown[]; invocations: {executionSuccessful: boolean}[]}[]};
    expect(sarif.runs.map((r) => [r.automationDetails.id, r.results.length, r.invocations[0].executionSuccessful])).toEqual([
      ['meshdoctor/prod-eu1/', 9, false], ['meshdoctor/prod-us1/', 1, true], ['meshdoctor/prod-ap1/', 0, false],
    ]);
  });

  it('GitHub: every annotation names its cluster; the unreadable cluster is an error', () => {
    const out = clusterPresenters.github(CLUSTERS, {...OPTIONS, maxAnnotationsPerLevel: 50});
    const titles = [...out.matchAll(/title=([^:]+)::/g)].map((m) => decodeURIComponent(m[1].replace(/%3A/g, ':').replace(/%2C/g, ',')));
    expect(titles.every((t) => /^\[prod-(eu1|us1|ap1)\] /.test(t))).toBe(true);
    expect(titles).toContain('[prod-us1] MD5103 istio-vs-destination-unresolved');
    expect(out).toContain('::error title=[prod-ap1] cluster could not be read::cannot list namespaces: connection to https://10.0.0.1:6443 refused');
  });
});
