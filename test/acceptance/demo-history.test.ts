/**
 * History never contradicts the present (issue 16): for every workload of both incident demos, over
 * a real Prometheus backfilled from the simulator, the TUI frozen with `--at` draws a chart whose
 * last point is exactly what `meshdoctor stat --at` prints for that instant (success rate — the
 * worse of client and server side —, RPS and p99), and the chart shows the incident as it was
 * during the whole window, not from the moment the tool was opened.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {defaultConfig} from '../../src/cli/config.js';
import {resolveSettings} from '../../src/cli/settings.js';
import {startDemo, type RunningDemo} from '../../src/sim/demo/index.js';
import {prometheusBinaries, type PrometheusBinaries} from '../../src/sim/demo/prometheus.js';
import {loadScenario} from '../../src/sim/demo/scenario.js';
import {chartLines} from '../../src/tui/components/Chart.js';
import {LiveEngine} from '../../src/tui/engine.js';
import {initialState} from '../../src/tui/state/reducer.js';
import {createStore} from '../../src/tui/state/store.js';
import type {TuiState} from '../../src/tui/state/types.js';
import {workloadDetail} from '../../src/tui/state/workload.js';
import {runCli} from '../helpers/cli.js';
import {requirePrometheus} from '../helpers/prometheus.js';

type StatRow = Readonly<{namespace: string; workload: string; basis: 'inbound' | 'outbound'; successRate: number | null; clientSuccessRate: number | null; outboundSuccessRate: number | null; rps: number | null; latencyMs: {p99: number | null}}>;

/** What the Services row and the chart call success: the worse of the two sides (a gateway's or client's: what it got back). */
function worse(r: StatRow): number | null {
  if (r.basis === 'outbound') return r.outboundSuccessRate;
  const known = [r.successRate, r.clientSuccessRate].filter((v): v is number => v !== null);
  return known.length ? Math.min(...known) : null;
}

/** Equal to what `stat -o json` rounds to (6 digits for shares, 3 for rates and milliseconds). */
function same(actual: number | null | undefined, expected: number | null, digits: number, what: string): void {
  if (expected === null) expect(actual ?? null, what).toBeNull();
  else expect(actual, what).toBeCloseTo(expected, digits - 1);
}

async function frozenTui(demo: RunningDemo, at: number): Promise<{state: () => TuiState; stop: () => void}> {
  const config = defaultConfig();
  const store = createStore(initialState({refreshSeconds: 2, at, options: config.options, scope: 'meshed namespaces'}, {columns: 160, rows: 50}, Date.now()));
  const engine = new LiveEngine({
    settings: resolveSettings({kubeconfig: demo.kubeconfig, prometheusUrl: demo.prometheusUrl, metricsSource: 'prometheus'}, config),
    refreshSeconds: 2, at: new Date(at), dispatch: store.dispatch,
    onFatal: (e) => {
      throw e;
    },
  });
  engine.start();
  return {state: () => store.getState(), stop: () => engine.stop()};
}

async function until(state: () => TuiState, what: string, predicate: (s: TuiState) => boolean, timeoutMs = 45_000): Promise<TuiState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = state();
    if (predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: sources ${JSON.stringify(s.sources)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const name of ['istio-shop', 'linkerd-emojivoto']) {
  describe(`${name}: the chart's last point is stat --at at the same instant`, () => {
    let demo: RunningDemo;
    let tui: Awaited<ReturnType<typeof frozenTui>> | undefined;
    let at: number;
    let stat: StatRow[];
    let state: TuiState;

    beforeAll(async () => {
      requirePrometheus();
      demo = await startDemo(loadScenario(name), {prometheus: prometheusBinaries() as PrometheusBinaries});
      // The moment the demo opened, on a whole second: inside the backfilled history.
      at = Math.floor(Date.now() / 1000) * 1000 - 2000;
      const printed = await runCli(['stat', '--kubeconfig', demo.kubeconfig, '--prometheus-url', demo.prometheusUrl!, '--at', String(at / 1000), '-o', 'json'], {timeoutMs: 60_000});
      expect(printed.stderr).toBe('');
      stat = (JSON.parse(printed.stdout) as {workloads: StatRow[]}).workloads;
      tui = await frozenTui(demo, at);
      state = await until(tui.state, 'the history of every workload', (s) => s.data.inventory.length > 0 && s.data.inventory.every((w) => s.data.history[`${w.namespace}/${w.workload}`]?.last()?.t === at && s.data.history[`${w.namespace}/${w.workload}`]!.length > 30));
    }, 180_000);

    afterAll(async () => {
      tui?.stop();
      await demo?.stop();
    });

    test('every workload: success, RPS and p99 of the last chart point and of the chart\'s labels equal stat --at', () => {
      expect(stat.map((r) => `${r.namespace}/${r.workload}`).sort()).toEqual(state.data.inventory.map((w) => `${w.namespace}/${w.workload}`).sort());
      for (const row of stat) {
        const key = `${row.namespace}/${row.workload}`;
        const detail = workloadDetail(state, row.namespace, row.workload);
        const last = detail.history.at(-1)!;
        expect(last.t, key).toBe(at);
        same(last.successRate, worse(row), 6, `${key} success`);
        same(last.rps, row.rps, 3, `${key} rps`);
        same(last.p99 ?? null, row.latencyMs.p99, 3, `${key} p99`);
        // The Services row prints the same figures.
        expect([detail.row?.success ?? null, detail.row?.rps ?? null, detail.row?.p99 ?? null], key).toEqual([last.successRate, last.rps, last.p99]);
      }
    });

    test('the gateway and the clients are rows with their traffic: what they sent, as they saw it', () => {
      const senders = stat.filter((r) => r.basis === 'outbound').map((r) => `${r.namespace}/${r.workload}`);
      expect(senders).toEqual(name === 'istio-shop' ? ['istio-ingress/istio-ingressgateway'] : ['emojivoto/vote-bot']);
      const sender = stat.find((r) => r.basis === 'outbound')!;
      expect(sender.rps).toBeCloseTo(name === 'istio-shop' ? 900 : 200, 0);
      expect(sender.outboundSuccessRate).toBeCloseTo(name === 'istio-shop' ? 1 : 0.96, 3);
      expect(sender.latencyMs.p99).toBeGreaterThan(0);
    });

    if (name === 'istio-shop') {
      test('--at draws the incident as it was: the canary at about 88 % as its callers saw it for the whole window, its p99 past a second', () => {
        const detail = workloadDetail(state, 'shop', 'checkout-v2');
        const window = detail.history.filter((p) => p.t >= at - 15 * 60_000);
        expect(window.length).toBeGreaterThanOrEqual(55);
        for (const p of window) {
          expect(p.successRate, new Date(p.t).toISOString()).toBeGreaterThan(0.86);
          expect(p.successRate, new Date(p.t).toISOString()).toBeLessThan(0.905);
          expect(p.p99, new Date(p.t).toISOString()).toBeGreaterThan(1000);
        }
        const lines = chartLines({points: detail.history, changes: [], from: at - 15 * 60_000, to: at, width: 120, height: 6, holdMs: 30_000, successWarn: 0.99, successError: 0.95});
        const text = lines.map((l) => l.map((s) => s.text).join(''));
        const canary = stat.find((r) => r.workload === 'checkout-v2')!;
        expect(text[0].trimEnd().endsWith(`${(canary.clientSuccessRate! * 100).toFixed(1)}%`)).toBe(true);
        // No blank column: the whole window has data.
        expect(text.slice(0, 6).every((l) => l.length > 0)).toBe(true);
        expect(text.at(-5)!.slice(8, 8 + 104).includes(' ')).toBe(false);
      });
    }
  });
}
