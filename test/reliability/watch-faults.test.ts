/**
 * Watch failures never turn into a hot loop. The TUI's engine runs against a fixture API server
 * whose every watch fails — forbidden (403), an ERROR event with 410, a line that is not JSON,
 * throttled by API Priority and Fairness (429 with Retry-After) — and the server's log shows what
 * the engine did: retries of a kind spaced by a growing back-off (client-go's reflector: 0.8 s
 * doubling, jitter ×[1, 2)), never sooner than Retry-After, a forbidden watch replaced by periodic
 * re-lists, and all background requests together within client-go's client-side limit (5/s, bursts
 * of 10). The status line says the watches are degraded. These are lower bounds on waits and upper
 * bounds on counts that a slow machine only makes easier to meet; requests per second are measured
 * by `npm run bench`.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {defaultConfig} from '../../src/cli/config.js';
import type {Fault, RequestLogEntry} from '../../src/sim/api-server/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {LiveEngine} from '../../src/tui/engine.js';
import {initialState} from '../../src/tui/state/reducer.js';
import {createStore} from '../../src/tui/state/store.js';
import {SHOP_GRAPH} from '../helpers/sim-graphs.js';

const WATCH = /[?&]watch=(true|1)/;
const OBSERVE_MS = 9_000;
/** Server-side arrival times can be a little closer than the client's timers (request latency varies). */
const SLACK_MS = 250;
const POLL_MS = 2_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const ERROR_410 = `${JSON.stringify({type: 'ERROR', object: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2000)', reason: 'Expired', code: 410}})}\n`;

type Scenario = Readonly<{name: string; fault: Fault; degraded: RegExp; minGapMs: (attempt: number) => number}>;

/** The reflector's back-off without jitter: the least wait before retry number `n` (1-based). */
const backoffFloor = (n: number) => Math.min(30_000, 800 * 2 ** (n - 1));

const SCENARIOS: Scenario[] = [
  {name: 'watch forbidden (403)', fault: {match: WATCH, status: 403}, degraded: /watches degraded: \d+ kinds? re-listed every 2s \(watch forbidden\)/, minGapMs: () => Infinity},
  {name: 'every watch answered by an ERROR event with 410', fault: {match: WATCH, body: ERROR_410}, degraded: /watches degraded: .*410 Gone again and again/, minGapMs: backoffFloor},
  {name: 'a watch line that is not JSON', fault: {match: WATCH, body: 'this is not JSON\n'}, degraded: /watches degraded: .*backing off \(.*malformed watch event/, minGapMs: backoffFloor},
  {name: 'throttled: 429 with Retry-After: 3', fault: {match: WATCH, status: 429, retryAfter: 3}, degraded: /watches degraded: .*throttled \(429 Too Many Requests/, minGapMs: (n) => Math.max(3_000, backoffFloor(n))},
];

function kindOf(r: RequestLogEntry): string {
  return r.path.replace(/\/namespaces\/[^/]+/, '');
}

async function observe(fault: Fault): Promise<{requests: RequestLogEntry[]; start: number; degraded?: string}> {
  const sim = new TrafficSim({...SHOP_GRAPH, start: '-1h'}, systemClock);
  const api = new FixtureApiServer({objects: simObjects(sim), faults: [fault]});
  registerSimProxies(api, sim);
  await api.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-watch-faults-')), 'config');
  api.writeKubeconfig(kubeconfig);
  const config = defaultConfig();
  const store = createStore(initialState({refreshSeconds: 2, options: config.options, scope: 'meshed namespaces'}, {columns: 120, rows: 40}, Date.now()));
  const engine = new LiveEngine({flags: {kubeconfig, metricsSource: 'proxies'}, config, refreshSeconds: 2, dispatch: store.dispatch, watchPollMs: POLL_MS});
  cleanups.push(() => engine.stop(), () => api.stop());
  engine.start();
  // From the first watch on, watch what the engine does for a while.
  const deadline = Date.now() + 60_000;
  while (!api.requests.some((r) => WATCH.test(`?${new URLSearchParams(r.query as Record<string, string>)}`))) {
    if (Date.now() > deadline) throw new Error('the engine never opened a watch');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, OBSERVE_MS));
  engine.stop();
  const degraded = store.getState().sources.kubernetes.degraded;
  return {requests: api.requests.filter((r) => r.at >= start - 5_000), start, ...(degraded ? {degraded} : {})};
}

const isWatch = (r: RequestLogEntry) => r.query.watch === 'true' || r.query.watch === '1';
/** Lists and watches of kinds (not discovery, not the metrics proxies). */
const isBackground = (r: RequestLogEntry) => !r.path.includes('/proxy') && /\/(api\/v1|apis\/[^/]+\/[^/]+)\/(namespaces\/[^/]+\/)?[a-z]+$/.test(r.path);

describe('the TUI engine under watch faults', () => {
  test.concurrent.each(SCENARIOS)('$name', async ({fault, degraded, minGapMs, name}) => {
    const {requests, start, degraded: status} = await observe(fault);
    expect(status, 'the status line').toMatch(degraded);

    const watches = requests.filter(isWatch);
    const byKind = new Map<string, number[]>();
    for (const r of watches) byKind.set(kindOf(r), [...(byKind.get(kindOf(r)) ?? []), r.at]);
    expect(byKind.size, 'kinds watched').toBeGreaterThan(5);
    for (const [kind, times] of byKind) {
      if (name.startsWith('watch forbidden')) {
        // One refused watch per kind, then re-lists only, at the poll period.
        expect(times.length, kind).toBe(1);
        const lists = requests.filter((r) => !isWatch(r) && kindOf(r) === kind && r.at > times[0]).map((r) => r.at);
        for (let i = 1; i < lists.length; i++) expect(lists[i] - lists[i - 1], `${kind} re-lists`).toBeGreaterThanOrEqual(POLL_MS - SLACK_MS);
        continue;
      }
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], `${kind}: wait before retry ${i}`).toBeGreaterThanOrEqual(minGapMs(i) - SLACK_MS);
    }

    // All background lists and watches together stay within 5 a second, bursts of 10.
    const background = requests.filter((r) => r.at >= start && isBackground(r)).map((r) => r.at);
    for (const t of background) {
      const inWindow = background.filter((u) => u >= t && u < t + 2_000).length;
      expect(inWindow, 'background requests in 2 s').toBeLessThanOrEqual(10 + 5 * 2 + 1);
    }
  }, 120_000);
});
