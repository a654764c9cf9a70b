/** The exit code of `check`: a crashed check may hide any finding, and a cluster left unread any cluster's, so neither is ever a green run. */
import {describe, expect, test} from 'vitest';
import {ExitCode, exitCodeForClusters, exitCodeForReport} from '../../../src/cli/exit-codes.js';
import {meta, report, result, subject} from '../../helpers/report-builder.js';

const ok = result(meta('MD5103', 'istio-vs-destination-unresolved', 'traffic-config'));
const crashed = result(meta('MD5110', 'istio-gateway-conflict', 'traffic-config'), {reason: 'MD5110 crashed on Gateway shop/gw: boom'}, 'crash');
const skipped = result(meta('MD6001', 'success-rate-below-slo', 'traffic-health'), {reason: 'metrics unavailable'}, 'skip');
const notApplicable = result(meta('MD2201', 'linkerd-control-plane-not-ready', 'control-plane'), {reason: 'Linkerd not detected'}, 'not-applicable');
const info = result(meta('MD5117', 'istio-port-name-protocol', 'traffic-config', 'info'), {findings: [{subject: subject('Service', 'shop', 'cart')}]});

describe('exitCodeForReport', () => {
  test('a clean run is 0; not-applicable and (without --strict) skips never count', () => {
    expect(exitCodeForReport(report([ok, notApplicable, skipped]), 'error', false)).toBe(ExitCode.ok);
  });

  test('a crashed check is 1 whatever --fail-on says, even when every finding is below it', () => {
    expect(exitCodeForReport(report([ok, crashed]), 'error', false)).toBe(ExitCode.findings);
    expect(exitCodeForReport(report([info, crashed]), 'error', false)).toBe(ExitCode.findings);
  });

  test('with --strict a crash or a skip is an incomplete run (3)', () => {
    expect(exitCodeForReport(report([ok, crashed]), 'error', true)).toBe(ExitCode.unavailable);
    expect(exitCodeForReport(report([ok, skipped]), 'error', true)).toBe(ExitCode.unavailable);
    expect(exitCodeForReport(report([ok, notApplicable]), 'error', true)).toBe(ExitCode.ok);
  });
});

describe('exitCodeForClusters', () => {
  const error = result(meta('MD5103', 'istio-vs-destination-unresolved', 'traffic-config'), {findings: [{subject: subject('VirtualService', 'shop', 'cart')}]});

  test('the highest code of any cluster: clean everywhere 0, findings in one 1', () => {
    expect(exitCodeForClusters([{cluster: 'a', report: report([ok])}, {cluster: 'b', report: report([ok, notApplicable])}], 'error', false)).toBe(ExitCode.ok);
    expect(exitCodeForClusters([{cluster: 'a', report: report([ok])}, {cluster: 'b', report: report([error])}], 'error', false)).toBe(ExitCode.findings);
  });

  test('a cluster that could not be read is 3, even when the others are clean or have findings', () => {
    expect(exitCodeForClusters([{cluster: 'a', report: report([ok])}, {cluster: 'down', error: 'connection refused'}], 'error', false)).toBe(ExitCode.unavailable);
    expect(exitCodeForClusters([{cluster: 'a', report: report([error])}, {cluster: 'down', error: 'connection refused'}], 'error', false)).toBe(ExitCode.unavailable);
  });

  test('--strict applies to each cluster', () => {
    expect(exitCodeForClusters([{cluster: 'a', report: report([error])}, {cluster: 'b', report: report([ok, skipped])}], 'error', true)).toBe(ExitCode.unavailable);
  });
});
