/**
 * Synthetic TUI states: N workloads with golden metrics, history and a few findings, built through
 * the reducer exactly as live data would arrive. For the benchmark (a refresh with 2,000 workloads)
 * and for tests. Pure and deterministic.
 */
import type {WorkloadRef} from '../core/golden.js';
import {DEFAULT_OPTIONS} from '../core/options.js';
import type {SignalSet} from '../core/signals.js';
import type {CheckResult, Finding} from '../core/types.js';
import {initialState, reduce} from './state/reducer.js';
import type {TuiState} from './state/types.js';

export function syntheticInventory(n: number): WorkloadRef[] {
  const out: WorkloadRef[] = [];
  for (let i = 0; i < n; i++) {
    const namespace = `team-${String(i % 40).padStart(2, '0')}`;
    out.push({namespace, workload: `svc-${String(i).padStart(4, '0')}`, kind: 'Deployment', mesh: 'istio', pods: 3, meshedPods: i % 97 === 0 ? 2 : 3, services: [`${namespace}/svc-${String(i).padStart(4, '0')}`]});
  }
  return out;
}

/** Signals for the inventory at refresh number `tick`: every 50th workload fails, every 7th is slow. */
export function syntheticSignals(inventory: readonly WorkloadRef[], tick: number, at: number): SignalSet {
  const window = 60;
  const inbound = inventory.map((w, i) => {
    const requests = 600 + ((i * 37 + tick * 11) % 900);
    const failed = i % 50 === 0 ? Math.round(requests * (0.04 + (tick % 5) / 100)) : 0;
    return {mesh: 'istio' as const, namespace: w.namespace, workload: w.workload, requests, successes: requests - failed};
  });
  const latency = inventory.map((w, i) => ({mesh: 'istio' as const, namespace: w.namespace, workload: w.workload, latencyMs: {p50: 5 + (i % 13), p95: 40 + (i % 31), p99: i % 7 === 0 ? 1200 + tick : 90 + (i % 50)}}));
  const clientInbound = inbound.map((r, i) => ({...r, successes: i % 60 === 1 ? r.successes - Math.round(r.requests * 0.02) : r.successes, responseFlags: (i % 60 === 1 ? {UF: Math.round(r.requests * 0.02)} : {}) as Record<string, number>}));
  const ok = {istio: {state: 'ok' as const}};
  return {
    source: 'proxies',
    at: new Date(at).toISOString(),
    window: '1m',
    windowSeconds: window,
    signals: {
      inbound: {rows: inbound, meshes: ok},
      clientInbound: {rows: clientInbound, meshes: ok},
      latency: {rows: latency, meshes: ok},
      edges: {rows: [], meshes: ok},
      plaintext: {rows: [], meshes: ok},
      tcp: {rows: [], meshes: ok},
    },
  };
}

export function syntheticResults(inventory: readonly WorkloadRef[]): CheckResult[] {
  const findings: Finding[] = inventory.filter((_, i) => i % 25 === 0).map((w, i) => ({
    checkId: i % 2 === 0 ? 'MD6001' : 'MD6002',
    severity: i % 2 === 0 ? 'error' : 'warning',
    subject: {kind: 'Deployment', apiVersion: 'apps/v1', namespace: w.namespace, name: w.workload},
    message: `${w.namespace}/${w.workload}: synthetic finding`,
    evidence: {},
    runbook: 'runbooks/traffic-health/success-rate-below-slo.md',
  }));
  const meta = (id: 'MD6001' | 'MD6002') => ({id, slug: id === 'MD6001' ? 'success-rate-below-slo' : 'latency-above-slo', title: 'synthetic', block: 'traffic-health' as const, severity: 'warning' as const, meshes: 'any' as const, runbook: ''});
  return (['MD6001', 'MD6002'] as const).map((id) => {
    const own = findings.filter((f) => f.checkId === id);
    return {check: meta(id), outcome: own.length ? 'fail' : 'pass', findings: own, suppressed: [], durationMs: 1};
  });
}

/** A Services view state with `n` workloads after `ticks` refreshes (history for the sparklines). */
export function syntheticState(n: number, size: Readonly<{columns: number; rows: number}> = {columns: 120, rows: 40}, ticks = 12, start = Date.parse('2024-05-01T12:00:00Z')): TuiState {
  const inventory = syntheticInventory(n);
  let state = initialState({refreshSeconds: 2, options: DEFAULT_OPTIONS, scope: 'all namespaces'}, size, start);
  state = reduce(state, {type: 'source-ok', source: 'kubernetes', at: start, detail: 'synthetic'});
  state = {...state, data: {...state.data, inventory, context: 'synthetic', meshes: [{name: 'istio', version: '1.27.1', namespace: 'istio-system', revisions: [], controlPlane: 'in-cluster'}]}};
  for (let t = 0; t < ticks; t++) {
    const at = start + t * 2000;
    // The proxy source: every refresh adds a point to each history (with Prometheus it would move one live point).
    state = reduce(state, {type: 'metrics', signals: syntheticSignals(inventory, t, at), source: 'proxies', at});
    state = reduce(state, {type: 'source-ok', source: 'metrics', at, detail: 'synthetic'});
  }
  state = reduce(state, {type: 'checks-done', results: syntheticResults(inventory), at: start + ticks * 2000});
  return reduce(state, {type: 'tick', now: start + ticks * 2000});
}

/** The next refresh of a synthetic state: new signals for every workload, one more history point. */
export function syntheticRefresh(state: TuiState, tick: number): TuiState {
  const at = state.now + 2000;
  const next = reduce(state, {type: 'metrics', signals: syntheticSignals(state.data.inventory, tick, at), source: 'proxies', at});
  return reduce(reduce(next, {type: 'source-ok', source: 'metrics', at}), {type: 'tick', now: at});
}
