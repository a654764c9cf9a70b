/**
 * MD1003 — metrics are expected (a live cluster, or `--prometheus-url`) but Prometheus was not
 * found, did not answer within `metrics.timeout`, or answered garbage. Every metric check is then
 * skipped with that reason — or runs on the proxies' own counters (`--metrics-source auto`), which
 * see only a few seconds and no history. Error with `--require-metrics`.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD1003',
  slug: 'prometheus-unavailable',
  title: 'Prometheus is reachable and answers queries',
  block: 'cluster',
  severity: 'warning',
  meshes: 'any',
  runtime: true,
  inputs: {},
  anchor: 'POP-402 (analog); l5d-viz-metrics-api',
  evaluate(ctx) {
    const status = ctx.signals.status;
    const set = ctx.signals.set;
    const prometheus = set?.origin?.prometheus;
    const severity = ctx.options.requireMetrics ? 'error' : 'warning';
    const findings: FindingDraft[] = [];
    if (prometheus && prometheus.state !== 'ok') {
      const fallback = set?.source === 'proxies' ? '; metric checks ran on two scrapes of the proxies instead (seconds of data, no history)' : '';
      findings.push({
        subject: null,
        severity,
        message: `Prometheus ${prometheus.state === 'not-found' ? 'not found' : 'unavailable'}: ${prometheus.detail ?? 'no answer'}${fallback}`,
        evidence: {prometheus: prometheus.state, detail: prometheus.detail ?? null, url: prometheus.url ?? null, metricsSource: set?.source ?? null},
      });
    } else if (!set) {
      if (status.state === 'not-configured') return notApplicable(`metrics are not expected here (${status.detail ?? 'no metrics source'})`);
      if (status.state !== 'ok') {
        findings.push({subject: null, severity, message: `metrics unavailable: ${status.detail ?? 'no answer'}; every metric check is skipped`, evidence: {detail: status.detail ?? null}});
      }
    }
    return findings;
  },
});
