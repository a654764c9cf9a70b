/**
 * `stat` over several clusters: the built CLI and the real client-node against two fixture API
 * servers whose simulated proxies serve metrics, and one address where nothing listens. One table
 * (a CLUSTER column, worst first over the fleet) or one JSON document with a cluster on every
 * workload; the unreachable cluster is named with its reason and the run exits 3.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import type {TrafficGraph} from '../../src/sim/traffic/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {fleetEnv, runCli, scratch} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

const {write} = scratch('md-stat-clusters-');
const graph = (namespace: string, caller: string, server: string, errorRate: number): TrafficGraph => ({
  start: '2024-01-01T00:00:00Z',
  mesh: 'istio',
  workloads: [{namespace, name: caller, replicas: 1}, {namespace, name: server, replicas: 1, errorRate}],
  edges: [{from: `${namespace}/${caller}`, to: `${namespace}/${server}`, rps: 20}],
});
// west's teller fails half its requests (and ledger, calling it, sees that): the worst of the fleet, whichever cluster is read first.
const GRAPHS = {east: graph('shop', 'storefront', 'basket', 0), west: graph('bank', 'ledger', 'teller', 0.5)} as const;
const servers: FixtureApiServer[] = [];
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  const fleet: Record<string, FixtureApiServer> = {};
  for (const [name, g] of Object.entries(GRAPHS)) {
    const sim = new TrafficSim({...g, start: '-1h'}, systemClock);
    fleet[name] = new FixtureApiServer({objects: simObjects(sim)});
    registerSimProxies(fleet[name], sim);
  }
  servers.push(...Object.values(fleet));
  env = await fleetEnv(write, fleet, ['down']);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const STAT = ['stat', '--metrics-source', 'proxies', '--sample', '1s'];

describe('stat --context a,b,c', () => {
  test('JSON: each workload names its cluster, worst first over the fleet; each cluster its source, the unreachable one its error; exit 3', async () => {
    const r = await runCli([...STAT, '--context', 'east,west,down', '-o', 'json'], {env});
    const json = JSON.parse(r.stdout);
    expect(errorsOf('stat-clusters-report', json)).toEqual([]);
    expect(json.contexts).toEqual(['east', 'west', 'down']);
    expect(json.clusters.map((c: {name: string; source: string | null}) => [c.name, c.source])).toEqual([['east', 'proxies'], ['west', 'proxies'], ['down', null]]);
    expect(json.clusters[2].error).toMatch(/127\.0\.0\.1:1/);
    const rows = json.workloads.map((w: {cluster: string; namespace: string; workload: string}) => `${w.cluster} ${w.namespace}/${w.workload}`);
    expect([...rows].sort()).toEqual(['east shop/basket', 'east shop/storefront', 'west bank/ledger', 'west bank/teller']);
    expect(rows[0]).toMatch(/^west bank\//);
    expect(r.code).toBe(3);
  });

  test('table: a line per cluster, then one table with a CLUSTER column; every cluster read exits 0', async () => {
    const r = await runCli([...STAT, '--context', 'west,east'], {env});
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^west: source: proxies /);
    expect(lines[1]).toMatch(/^east: source: proxies /);
    // The callers have no inbound traffic: the legend says how their row reads.
    expect(lines[2]).toMatch(/^VIEW out: /);
    expect(lines[3]).toMatch(/^CLUSTER\s+NAMESPACE\s+WORKLOAD\s+MESH/);
    expect(lines[4]).toMatch(/^west\s+bank\s/);
    expect(lines.slice(4).map((l) => l.split(/\s+/).slice(0, 3).join(' ')).sort()).toEqual(['east shop basket', 'east shop storefront', 'west bank ledger', 'west bank teller']);
  });

  test('--all-contexts with --no-cluster is a usage error before any cluster is contacted', async () => {
    const before = servers.map((s) => s.requests.length);
    const r = await runCli([...STAT, '--all-contexts', '--no-cluster', '--prometheus-url', 'http://127.0.0.1:1'], {env});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^meshdoctor: --all-contexts: .*--no-cluster/);
    expect(servers.map((s) => s.requests.length)).toEqual(before);
    for (const s of servers) expect(s.nonGetRequests()).toEqual([]);
  });
});
