/**
 * `:ctx NAME` and the `:ctx` picker switch the running UI to another kubeconfig context, without a
 * restart: the real session and engine (client-node over HTTP) against two fixture API servers with
 * simulated proxies, the App rendered by Ink. The old cluster's rows go, the new one's come, and
 * the old cluster is no longer read.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import React from 'react';
import {parse, stringify} from 'yaml';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {defaultConfig} from '../../src/cli/config.js';
import {resolveSettings} from '../../src/cli/settings.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import type {TrafficGraph} from '../../src/sim/traffic/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../../src/sim/traffic/index.js';
import {App} from '../../src/tui/App.js';
import type {Session} from '../../src/tui/session.js';
import {createSession, engineHandle} from '../../src/tui/session.js';
import type {Sized} from '../helpers/ink.js';
import {renderAt} from '../helpers/ink.js';

const graph = (namespace: string, a: string, b: string): TrafficGraph => ({
  start: '2024-01-01T00:00:00Z',
  mesh: 'istio',
  workloads: [{namespace, name: a, replicas: 1}, {namespace, name: b, replicas: 1}],
  edges: [{from: `${namespace}/${a}`, to: `${namespace}/${b}`, rps: 10}],
});

const CLUSTERS = {east: graph('shop', 'storefront', 'basket'), west: graph('bank', 'ledger', 'teller')} as const;
const servers: Record<string, FixtureApiServer> = {};
let session: Session;
let ui: Sized;
const WAIT = 60_000;

beforeAll(async () => {
  const docs: Record<string, unknown[]>[] = [];
  for (const [name, g] of Object.entries(CLUSTERS)) {
    const sim = new TrafficSim({...g, start: '-1h'}, systemClock);
    const server = new FixtureApiServer({objects: simObjects(sim)});
    registerSimProxies(server, sim);
    await server.start();
    servers[name] = server;
    docs.push(parse(server.kubeconfig({context: name})) as Record<string, unknown[]>);
  }
  // One kubeconfig with both contexts, east current.
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-ctx-')), 'config');
  writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'east',
    clusters: docs.flatMap((d) => d.clusters), users: docs.flatMap((d) => d.users), contexts: docs.flatMap((d) => d.contexts),
  }));
  const config = defaultConfig();
  session = createSession({
    settings: resolveSettings({kubeconfig, metricsSource: 'proxies'}, config),
    tui: {refreshSeconds: 1, options: config.options, scope: 'meshed namespaces'},
    size: {columns: 120, rows: 30},
  });
  ui = renderAt(<App store={session.store} engine={engineHandle(session)} />, {columns: 120, rows: 30});
});

afterAll(async () => {
  ui?.unmount();
  session?.engine.stop();
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

const typed = async (command: string) => ui.press(':', command, '\r');

describe(':ctx', () => {
  test('the UI starts on the current context and shows its workloads', async () => {
    const frame = await ui.waitFor((f) => f.includes('storefront') && f.includes('basket'), 'east\'s workloads', WAIT);
    expect(frame).toContain('east');
    expect(frame).not.toContain('ledger');
  });

  test(':ctx west: the rows of east go at once, west\'s come, and east is no longer read', async () => {
    await typed('ctx west');
    const switched = await ui.waitFor((f) => f.includes('switched to context west') || f.includes('ledger'), 'the switch', WAIT);
    expect(switched).not.toContain('storefront');
    const frame = await ui.waitFor((f) => f.includes('ledger') && f.includes('teller'), 'west\'s workloads', WAIT);
    expect(frame).not.toContain('storefront');
    expect(frame.split('\n')[0]).toContain('west');
    // Once west is on screen, east gets nothing more while west keeps being read (metrics every second).
    const eastSeen = servers.east.requests.length;
    const westSeen = servers.west.requests.length;
    const deadline = Date.now() + WAIT;
    while (servers.west.requests.length < westSeen + 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(servers.west.requests.length).toBeGreaterThanOrEqual(westSeen + 5);
    expect(servers.east.requests.slice(eastSeen).map((r) => `${r.method} ${r.path ?? JSON.stringify(r)}`)).toEqual([]);
  });

  test(':ctx alone lists the kubeconfig\'s contexts, the current one marked; enter on another switches back', async () => {
    await typed('ctx');
    const picker = await ui.waitFor((f) => f.includes('Contexts') && f.includes('(current)'), 'the picker', WAIT);
    expect(picker).toMatch(/▸ west\s+\(current\)/);
    expect(picker).toMatch(/^\s+east\s*$/m);
    await ui.press('k', '\r');
    const frame = await ui.waitFor((f) => f.includes('storefront') && f.includes('basket'), 'east again', WAIT);
    expect(frame).not.toContain('ledger');
    expect(frame.split('\n')[0]).toContain('east');
  });

  test(':ctx with a name the kubeconfig does not have says so and stays where it is', async () => {
    await typed('ctx nowhere');
    const frame = await ui.waitFor((f) => f.includes('no context "nowhere"'), 'the error', WAIT);
    expect(frame).toContain('storefront');
  });

  test('read-only: both servers saw nothing but GETs', () => {
    for (const s of Object.values(servers)) expect(s.nonGetRequests()).toEqual([]);
  });
});
