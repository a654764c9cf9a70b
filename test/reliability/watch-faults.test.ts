/**
 * Watch failures never turn into a hot loop. The TUI's engine runs against a fixture API server
 * whose every watch fails — forbidden (403), an ERROR event with 410, a line that is not JSON,
 * throttled by API Priority and Fairness (429 with Retry-After) — and the server's log shows what
 * the engine did: retries of a kind spaced by a growing back-off (client-go's reflector: 0.8 s
 * doubling, jitter ×[1, 2)), never sooner than Retry-After, a forbidden watch replaced by periodic
 * re-lists, and all background requests together within client-go's client-side limit (5/s, bursts
 * of 10). The status line says the watches are degraded. The assertions are counts: no more attempts
 * than the waits allow in the time the engine ran — a slow machine only makes them easier to meet.
 * Requests per second are measured by `npm run bench`.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {defaultConfig} from '../../src/cli/config.js';
import {resolveSettings} from '../../src/cli/settings.js';
import type {Fault, RequestLogEntry} from '../../src/sim/api-server/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {LiveEngine} from '../../src/tui/engine.js';
import {initialState} from '../../src/tui/state/reducer.js';
import {createStore} from '../../src/tui/state/store.js';
import {SHOP_GRAPH} from '../helpers/sim-graphs.js';

const WATCH = /[?&]watch=(true|1)/;
const OBSERVE_MS = 9_000;
const POLL_MS = 2_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const ERROR_410 = `${JSON.stringify({type: 'ERROR', object: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2000)', reason: 'Expired', code: 410}})}\n`;

type Scenario = Readonly<{name: string; fault: Fault; degraded: RegExp; gapMs: (attempt: number) => number}>;

/** The reflector's back-off without jitter: the least wait before retry number `n` (1-based). */
const backoffFloor = (n: number) => Math.min(30_000, 800 * 2 ** (n - 1));

const SCENARIOS: Scenario[] = [
  {name: 'watch forbidden (403)', fault: {match: WATCH, status: 403}, degraded: /watches degraded: \d+ kinds? re-listed every 2s \(watch forbidden\)/, gapMs: () => Infinity},
  {name: 'every watch answered by an ERROR event with 410', fault: {match: WATCH, body: ERROR_410}, degraded: /watches degraded: .*410 Gone again and again/, gapMs: backoffFloor},
  {name: 'a watch line that is not JSON', fault: {match: WATCH, body: 'this is not JSON\n'}, degraded: /watches degraded: .*backing off \(.*malformed watch event/, gapMs: backoffFloor},
  {name: 'throttled: 429 with Retry-After: 3', fault: {match: WATCH, status: 429, retryAfter: 3}, degraded: /watches degraded: .*throttled \(429 Too Many Requests/, gapMs: (n) => Math.max(3_000, backoffFloor(n))},
];

/** The most attempts that fit in `ms` when retry n waits at least gap(n): the first, and every retry whose waits add up within it. */
function mostAttempts(ms: number, gap: (n: number) => number): number {
  let attempts = 1;
  for (let waited = gap(1); waited <= ms; waited += gap(attempts)) attempts++;
  return attempts;
}

function kindOf(r: RequestLogEntry): string {
  return r.path.replace(/\/namespaces\/[^/]+/, '');
}

async function observe(fault: Fault): Promise<{requests: RequestLogEntry[]; start: number; durationMs: number; degraded?: string}> {
  const sim = new TrafficSim({...SHOP_GRAPH, start: '-1h'}, systemClock);
  const api = new FixtureApiServer({objects: simObjects(sim), faults: [fault]});
  registerSimProxies(api, sim);
  await api.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-watch-faults-')), 'config');
  api.writeKubeconfig(kubeconfig);
  const config = defaultConfig();
  const store = createStore(initialState({refreshSeconds: 2, options: config.options, scope: 'meshed namespaces'}, {columns: 120, rows: 40}, Date.now()));
  const engine = new LiveEngine({settings: resolveSettings({kubeconfig, metricsSource: 'proxies'}, config), refreshSeconds: 2, dispatch: store.dispatch, watchPollMs: POLL_MS});
  cleanups.push(() => engine.stop(), () => api.stop());
  engine.start();
  // From the first watch on, let the engine run for a while, then stop it.
  const deadline = Date.now() + 60_000;
  let first: RequestLogEntry | undefined;
  while (!(first = api.requests.find(isWatch))) {
    if (Date.now() > deadline) throw new Error('the engine never opened a watch');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, OBSERVE_MS));
  engine.stop();
  const stoppedAt = Date.now();
  const degraded = store.getState().sources.kubernetes.degraded;
  return {requests: api.requests.filter((r) => r.at >= first!.at), start: first.at, durationMs: stoppedAt - first.at, ...(degraded ? {degraded} : {})};
}

const isWatch = (r: RequestLogEntry) => r.query.watch === 'true' || r.query.watch === '1';
/** Lists and watches of kinds (not discovery, not the metrics proxies). */
const isBackground = (r: RequestLogEntry) => !/\/proxy(\/|$)/.test(r.path) && /\/(api\/v1|apis\/[^/]+\/[^/]+)\/(namespaces\/[^/]+\/)?[a-z]+$/.test(r.path);

describe('the TUI engine under watch faults', () => {
  test.concurrent.each(SCENARIOS)('$name', async ({fault, degraded, gapMs, name}) => {
    const {requests, durationMs, degraded: status} = await observe(fault);
    expect(status, 'the status line').toMatch(degraded);

    // Counts only: however slow the machine, the engine cannot fit more attempts into the time it ran.
    const byKind = new Map<string, RequestLogEntry[]>();
    for (const r of requests.filter(isBackground)) byKind.set(kindOf(r), [...(byKind.get(kindOf(r)) ?? []), r]);
    const watched = [...byKind.values()].filter((rs) => rs.some(isWatch));
    expect(watched.length, 'kinds watched').toBeGreaterThan(5);
    for (const rs of watched) {
      const kind = kindOf(rs[0]);
      const watches = rs.filter(isWatch).length;
      if (name.startsWith('watch forbidden')) {
        // One refused watch per kind, then re-lists only, at the poll period.
        expect(watches, kind).toBe(1);
        expect(rs.length - watches, `${kind} re-lists`).toBeLessThanOrEqual(1 + Math.floor(durationMs / POLL_MS));
        continue;
      }
      expect(watches, `${kind}: watches in ${durationMs} ms`).toBeLessThanOrEqual(mostAttempts(durationMs, gapMs));
    }
    // All lists and watches together: client-go's limit, 5 a second after a burst of 10 (+10 granted before the first watch).
    expect(requests.filter(isBackground).length, 'background requests').toBeLessThanOrEqual(20 + 5 * Math.ceil(durationMs / 1000));
  }, 120_000);
});
