/**
 * Runbook verify steps over the live sources (a `VerifyRunner`, src/runbooks/verify.ts):
 *   check MDxxxx      re-run one check on fresh data: passes when it has no finding on the
 *                     walkthrough's subject (or none at all for a cluster-wide walkthrough);
 *   metrics NS/WL     golden metrics now: passes inside the SLO (success, p99), shows the numbers;
 *   promql E OP N     one instant query against Prometheus; with the proxy source the answer is a
 *                     clear "needs Prometheus", not a guess.
 * The judging is pure over a `LiveProbe`, so it is tested with a fake one.
 */
import type {GoldenMetrics} from '../core/golden.js';
import {headlineSuccess} from '../core/golden.js';
import type {Thresholds} from '../core/options.js';
import {subjectKey} from '../core/subjects.js';
import type {CheckResult} from '../core/types.js';
import type {VerifyResult, VerifyRunner, VerifySpec} from '../runbooks/verify.js';
import {compare} from '../runbooks/verify.js';
import {millis, percent, rate} from './format.js';

export class NeedsPrometheus extends Error {
  constructor() {
    super('needs Prometheus: metrics come from the proxies, which cannot answer PromQL (pass --prometheus-url)');
    this.name = 'NeedsPrometheus';
  }
}

/** What verify steps ask of the live sources. */
export interface LiveProbe {
  runCheck(checkId: string): Promise<CheckResult>;
  metrics(namespace: string, workload: string): Promise<Readonly<{golden?: GoldenMetrics; windowSeconds: number; error?: string}>>;
  /** Values of an instant query; throws NeedsPrometheus without a Prometheus source. */
  promql(expr: string): Promise<number[]>;
  thresholds(namespace: string, name: string): Thresholds;
  nowMs(): number;
}

function number(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000 || Number.isInteger(v)) return String(Math.round(v * 1000) / 1000);
  return v.toPrecision(4).replace(/\.?0+$/, '');
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function judgeCheck(result: CheckResult, target: string | undefined): Omit<VerifyResult, 'at'> {
  if (result.outcome === 'pass') return {status: 'pass', value: 'no finding'};
  if (result.outcome !== 'fail') return {status: 'error', value: `${result.outcome}${result.reason ? `: ${result.reason}` : ''}`};
  const n = result.findings.length;
  const all = `${n} finding${n === 1 ? '' : 's'}`;
  if (!target) return {status: 'fail', value: all};
  // A target is `Kind ns/name` (a finding's subject) or just `ns/name` (`runbook --for`).
  const onTarget = result.findings.filter((f) => subjectKey(f.subject) === target || (f.subject?.namespace !== undefined && `${f.subject.namespace}/${f.subject.name}` === target)).length;
  if (onTarget > 0) return {status: 'fail', value: `${all}, ${onTarget} on ${target}`};
  return {status: 'pass', value: `no finding on ${target} (${all} elsewhere)`};
}

export function judgeMetrics(golden: GoldenMetrics | undefined, windowSeconds: number, t: Thresholds | undefined, target: string): Omit<VerifyResult, 'at'> {
  if (!golden || !t) return {status: 'error', value: `no metrics for ${target} (not a meshed workload in scope?)`};
  if (golden.rps === null) return {status: 'error', value: 'no data: the metrics source has no series for it'};
  // The figure the row shows (the worse side; a gateway's or client's: what it sent).
  const head = headlineSuccess(golden);
  const worst = head.rate === null ? undefined : {v: head.rate, side: head.side === 'sent' ? 'what it sent' : `${head.side} side`};
  const p99 = golden.latencyMs.p99;
  const parts = [worst ? `success ${percent(worst.v, 2)} (${worst.side})` : 'no requests', `${rate(golden.rps)} rps`, `p99 ${millis(p99)}`];
  const value = parts.join(' · ');
  const requests = golden.rps * windowSeconds;
  if (!worst) return {status: 'error', value: `${value}: no traffic in the window`};
  if (requests < t.metrics.minRequests || golden.rps < t.metrics.minRps) return {status: 'error', value: `${value}: too little traffic to judge (${Math.round(requests)} requests)`};
  const breach = worst.v < t.slo.successWarn || (p99 !== null && p99 >= t.latency.p99WarnMs);
  return {status: breach ? 'fail' : 'pass', value};
}

export function judgePromql(values: readonly number[], op: Extract<VerifySpec, {kind: 'promql'}>['op'], threshold: number): Omit<VerifyResult, 'at'> {
  if (values.length === 0) return {status: 'error', value: 'no data (the query returned no series)'};
  const failing = values.filter((v) => !compare(v, op, threshold));
  if (values.length === 1) return {status: failing.length ? 'fail' : 'pass', value: number(values[0])};
  const shown = failing.length ? failing[0] : values[0];
  return {status: failing.length ? 'fail' : 'pass', value: `${values.length} series${failing.length ? `, ${failing.length} failing (e.g. ${number(shown)})` : `, all ${op} ${threshold}`}`};
}

/** A VerifyRunner for one walkthrough (its target decides what "the finding is gone" means). */
export function liveVerifyRunner(probe: LiveProbe, target?: string): VerifyRunner {
  const done = (r: Omit<VerifyResult, 'at'>): VerifyResult => ({...r, at: new Date(probe.nowMs()).toISOString()});
  const subjectTarget = target && target !== 'the cluster' ? target : undefined;
  return {
    async run(spec) {
      try {
        switch (spec.kind) {
          case 'check':
            return done(judgeCheck(await probe.runCheck(spec.checkId), subjectTarget));
          case 'metrics': {
            const [namespace, workload] = spec.target.split('/');
            const m = await probe.metrics(namespace, workload);
            if (m.error) return done({status: 'error', value: m.error});
            return done(judgeMetrics(m.golden, m.windowSeconds, probe.thresholds(namespace, workload), spec.target));
          }
          case 'promql':
            return done(judgePromql(await probe.promql(spec.expr), spec.op, spec.threshold));
        }
      } catch (error) {
        return done({status: 'error', value: error instanceof NeedsPrometheus ? 'needs Prometheus (metrics come from the proxies)' : oneLine(error)});
      }
    },
  };
}
