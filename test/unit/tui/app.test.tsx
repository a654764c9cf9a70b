/**
 * The app end to end in-process (ink-testing-library at 120×40): keys through the real input hook,
 * the store, the views, the effects — with a fake engine whose probe answers verify steps.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {parseRunbook} from '../../../src/runbooks/parse.js';
import type {EngineHandle} from '../../../src/tui/App.js';
import {App, osc52} from '../../../src/tui/App.js';
import {createStore} from '../../../src/tui/state/store.js';
import type {LiveProbe} from '../../../src/tui/verify.js';
import {DEFAULT_THRESHOLDS} from '../../../src/core/options.js';
import {renderAt} from '../../helpers/ink.js';
import {deployment, finding, result, run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

afterEach(() => cleanup());

const RUNBOOK = parseRunbook(`---
check: MD6007
title: Callers cannot connect to a Service's pods
severity: error
---

## Meaning

Callers of {{namespace}}/{{name}} fail.

## Impact

503s.

## Diagnosis

1. Read the Service.

   \`\`\`sh
   kubectl -n {{namespace}} get service {{name}} -o yaml
   \`\`\`

2. Verify.

   \`\`\`meshdoctor
   check MD6007
   \`\`\`

## Mitigation

- Fix the port.
`, 'x.md');

const canary = finding('MD6007', {kind: 'Service', apiVersion: 'v1', namespace: 'shop', name: 'checkout-canary'}, 'error', '12% of requests fail with UF,URX');

function setup(probe: Partial<LiveProbe> = {}) {
  const state = run(stateWith({
    inventory: [wl('shop', 'checkout-v2', {services: ['shop/checkout-canary']}), wl('shop', 'cart'), wl('web', 'api')],
    signals: signals({'shop/checkout-v2': {requests: 1200, clientSuccesses: 1056}, 'shop/cart': {requests: 6000}, 'web/api': {requests: 3000}}),
    results: [result('MD6007', 'fail', [canary]), result('MD6001', 'pass')],
  }), {type: 'runbooks', runbooks: new Map([['MD6007', RUNBOOK]])});
  const store = createStore(state);
  const calls: string[] = [];
  const fullProbe: LiveProbe = {
    runCheck: async (id) => {
      calls.push(`check ${id}`);
      return result(id, 'pass');
    },
    metrics: async () => ({windowSeconds: 60}),
    promql: async () => [],
    thresholds: () => DEFAULT_THRESHOLDS,
    nowMs: () => T0,
    ...probe,
  };
  const engine: EngineHandle = {start: () => calls.push('start'), stop: () => calls.push('stop'), refreshNow: () => calls.push('refresh'), probe: fullProbe};
  const written: string[] = [];
  const r = renderAt(<App store={store} engine={engine} writeRaw={(d) => written.push(d)} clock={() => T0} tickMs={60_000} />, {columns: 120, rows: 40});
  return {r, store, calls, written};
}

describe('the app', () => {
  test('Services → enter → workload → esc; c checks; ? help; / filter; q quits and stops the engine', async () => {
    const {r, calls} = setup();
    await r.waitFor((f) => /▸ shop\s+checkout-v2/.test(f), 'the canary on top');
    expect(calls).toContain('start');
    await r.press('\r');
    await r.waitFor((f) => f.includes('Services › shop/checkout-v2') && f.includes('Findings (1)'), 'the workload view');
    await r.press('\u001b');
    await r.waitFor((f) => /^ Services\s/m.test(f.split('\n')[1]), 'back on Services');
    await r.press('c');
    await r.waitFor((f) => f.includes('Services › Checks') && f.includes('MD6007'), 'the checks view');
    await r.press('?');
    await r.waitFor((f) => f.includes('Keys') && f.includes('copy the step'), 'help');
    await r.press('\u001b', '\u001b', '/', 'a', 'p', 'i', '\r');
    const filtered = await r.waitFor((f) => f.includes('Services /api'), 'the filter');
    expect(filtered).toMatch(/web\s+api/);
    expect(filtered).not.toMatch(/checkout-v2/);
    await r.press('R');
    expect(calls).toContain('refresh');
    await r.press('q');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.at(-1)).toBe('stop');
  });

  test('runbook walkthrough: r, verify, mark done, esc, reopen — the state is kept; y copies with OSC 52', async () => {
    const {r, calls, written} = setup();
    await r.waitFor((f) => /▸ shop\s+checkout-v2/.test(f), 'the canary on top');
    await r.press('r');
    await r.waitFor((f) => f.includes('MD6007') && f.includes('for Service shop/checkout-canary') && f.includes('0/3 done'), 'the runbook');
    await r.press('y');
    expect(written).toEqual([osc52('kubectl -n shop get service checkout-canary -o yaml')]);
    await r.waitFor((f) => f.includes('copied 1 command of diagnosis-1'), 'the copy message');
    await r.press('j', 'v');
    await r.waitFor((f) => /✔ check MD6007 → no finding/.test(f), 'the verify result');
    expect(calls).toContain('check MD6007');
    await r.press(' ');
    await r.waitFor((f) => f.includes('1/3 done'), 'a step done');
    await r.press('\u001b');
    await r.waitFor((f) => f.includes('WORST FINDING'), 'back on Services');
    await r.press('r');
    const again = await r.waitFor((f) => f.includes('1/3 done'), 'the same walkthrough');
    expect(again).toMatch(/✔ 2\. Verify\. ✔/);
  });

  test('a failing verify shows ✖ with the measured value', async () => {
    const {r} = setup({runCheck: async (id) => result(id, 'fail', [canary])});
    await r.waitFor((f) => f.includes('checkout-v2'), 'rows');
    await r.press('r', 'j', 'v');
    await r.waitFor((f) => /✖ check MD6007 → 1 finding, 1 on Service shop\/checkout-canary/.test(f), 'the failing verify');
    expect(deployment('a', 'b').kind).toBe('Deployment');
  });

  test('k9s habits: :ns opens a namespace picker, enter picks; esc pressed twice quickly goes back twice; /SERVICE finds the workloads it selects', async () => {
    const {r} = setup();
    // The finding's title does not fit this column: its check's name in words, not a bare id.
    await r.waitFor((f) => /▸ shop\s+checkout-v2.*✖ slug md6007/.test(f), 'the canary with its finding named');
    await r.press(':', 'n', 's', '\r');
    await r.waitFor((f) => f.includes('Services › Namespaces') && f.includes('(all namespaces)') && /web\s+1\s+0/.test(f), 'the picker');
    await r.press('j', 'j', '\r');
    await r.waitFor((f) => f.includes('Services (ns web)') && /web\s+api/.test(f) && !f.includes('checkout-v2'), 'namespace web only');
    await r.press(':', 'n', 's', ' ', 'a', 'l', 'l', '\r');
    await r.waitFor((f) => f.includes('checkout-v2'), 'every namespace again');
    await r.press('g', '\r');
    await r.waitFor((f) => f.includes('Services › shop/checkout-v2'), 'the workload view');
    await r.press('?');
    await r.waitFor((f) => f.includes('Services › shop/checkout-v2 › Help'), 'help over the workload view');
    await r.press('\u001b\u001b');
    await r.waitFor((f) => /^ Services\s/.test(f.split('\n')[1]) && !f.split('\n')[1].includes('›'), 'two views back with one double esc');
    await r.press('/', ...'checkout-canary', '\r');
    const found = await r.waitFor((f) => f.includes('Services /checkout-canary'), 'the filter by Service name');
    expect(found).toMatch(/shop\s+checkout-v2/);
    expect(found).not.toMatch(/cart|api/);
  });

  test('resizing below 60×15 shows the notice; back to a normal size redraws the layout', async () => {
    const {r} = setup();
    await r.waitFor((f) => f.includes('WORST FINDING'), 'rows');
    r.resize(50, 12);
    await r.waitFor((f) => f.startsWith('Terminal too small'), 'the notice');
    r.resize(100, 30);
    const f = await r.waitFor((x) => x.includes('WORST FIN'), 'the layout again');
    expect(f.split('\n')).toHaveLength(29);
  });
});
