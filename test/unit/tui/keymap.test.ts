import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {parseRunbook} from '../../../src/runbooks/parse.js';
import {interpretKey} from '../../../src/tui/state/keymap.js';
import type {KeyInfo} from '../../../src/tui/state/keymap.js';
import {currentView} from '../../../src/tui/state/reducer.js';
import {createStore} from '../../../src/tui/state/store.js';
import type {Effect, TuiState} from '../../../src/tui/state/types.js';
import {handleInput} from '../../../src/tui/hooks/useKeys.js';
import {deployment, finding, result, run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

const RUNBOOK = parseRunbook(`---
check: MD6001
title: t
severity: warning
---

## Meaning

m

## Impact

i

## Diagnosis

1. Look.

   \`\`\`sh
   kubectl -n {{namespace}} get pods
   kubectl -n {{namespace}} describe deploy {{name}}
   \`\`\`

2. Verify.

   \`\`\`meshdoctor
   check MD6001
   metrics {{namespace}}/{{workload}}
   \`\`\`

## Mitigation

- Roll back.
`, 'x.md');

const bad = finding('MD6001', deployment('shop', 'cart'));

function base(): TuiState {
  return run(stateWith({inventory: [wl('shop', 'cart'), wl('shop', 'api')], signals: signals({'shop/cart': {requests: 600, successes: 300}}), results: [result('MD6001', 'fail', [bad])]}), {type: 'runbooks', runbooks: new Map([['MD6001', RUNBOOK]])});
}

/** Feed keys through the store the way the app does; returns the effects asked for. */
function press(state: TuiState, ...keys: (string | KeyInfo)[]): {state: TuiState; effects: Effect[]} {
  const store = createStore(state);
  const effects: Effect[] = [];
  for (const k of keys) handleInput(store, typeof k === 'string' ? k : '', typeof k === 'string' ? {} : k, (e) => effects.push(e));
  return {state: store.getState(), effects};
}

describe('keys', () => {
  test('arrows and j/k/g/G/PgUp/PgDn move; enter drills down; esc goes back', () => {
    let {state} = press(base(), 'j');
    expect(state.services.selected).toBe('shop/api');
    ({state} = press(state, {upArrow: true}));
    expect(state.services.selected).toBe('shop/cart');
    ({state} = press(state, 'G', 'g', {pageDown: true}, {return: true}));
    expect(currentView(state)).toMatchObject({view: 'workload', workload: 'api'});
    ({state} = press(state, {escape: true}));
    expect(currentView(state).view).toBe('services');
  });

  test('several characters in one input are separate keys (":checks" then enter, as tmux sends them)', () => {
    const {state} = press(base(), ':checks', {return: true});
    expect(currentView(state).view).toBe('checks');
    expect(press(base(), 'jj').state.services.selected).toBe('shop/api');
    // Enter, Tab and Backspace inside such a chunk are keys, not text.
    expect(currentView(press(base(), 'j\r').state)).toMatchObject({view: 'workload', workload: 'api'});
    expect(press(base(), ':ns sh\t').state.mode).toEqual({kind: 'command', text: 'ns shop'});
    expect(press(base(), '/apx\u007fi\r').state.services.filter).toBe('api');
    // Esc followed at once by a letter reaches the app as Alt+letter: it is Esc, then the letter.
    const store = createStore(press(base(), 'c').state);
    handleInput(store, 'j', {meta: true}, () => {});
    expect(currentView(store.getState()).view).toBe('services');
    expect(store.getState().services.selected).toBe('shop/api');
  });

  test('/ types a live filter; ! inverts; enter keeps it; esc restores the previous one', () => {
    let {state} = press(base(), '/', 'api');
    expect(state.mode).toEqual({kind: 'filter', text: 'api', previous: ''});
    expect(state.services.filter).toBe('api');
    ({state} = press(state, {return: true}));
    expect(state.mode.kind).toBe('normal');
    ({state} = press(state, '/', '!zzz', {escape: true}));
    expect(state.services.filter).toBe('api');
  });

  test('s cycles the sort column, S reverses, t switches the trend column', () => {
    const {state} = press(base(), 's', 's', 'S', 't');
    expect(state.services.sort).toEqual({column: 'workload', reverse: true});
    expect(state.services.trend).toBe('rps');
  });

  test('? opens and closes the help; c opens the Checks view; q quits (an effect, no cluster call)', () => {
    expect(currentView(press(base(), '?').state).view).toBe('help');
    expect(currentView(press(base(), '?', '?').state).view).toBe('services');
    expect(currentView(press(base(), 'c').state).view).toBe('checks');
    expect(press(base(), 'q').effects).toEqual([{kind: 'quit'}]);
    expect(press(base(), 'R').effects).toEqual([{kind: 'refresh'}]);
  });

  test('r opens the runbook of the worst finding; space, v, y and x act on the current step', () => {
    let {state} = press(base(), 'r');
    const top = currentView(state);
    expect(top).toMatchObject({view: 'runbook', key: 'MD6001 Deployment shop/cart'});
    const key = (top as {key: string}).key;
    const copy = press(state, 'y');
    expect(copy.effects).toEqual([{kind: 'copy', text: 'kubectl -n shop get pods\nkubectl -n shop describe deploy cart', what: '2 commands of diagnosis-1'}]);
    ({state} = press(state, ' '));
    expect(state.walkthroughs[key].states['diagnosis-1'].status).toBe('done');
    expect(state.walkthroughs[key].current).toBe(1);
    const verify = press(state, 'v');
    expect(verify.effects).toEqual([
      {kind: 'verify', key, stepId: 'diagnosis-2', index: 0, spec: {kind: 'check', raw: 'check MD6001', checkId: 'MD6001'}, target: 'Deployment shop/cart'},
      {kind: 'verify', key, stepId: 'diagnosis-2', index: 1, spec: {kind: 'metrics', raw: 'metrics shop/cart', target: 'shop/cart'}, target: 'Deployment shop/cart'},
    ]);
    // Pressing v again while they run starts nothing twice.
    expect(press(verify.state, 'v').effects).toEqual([]);
    ({state} = press(state, 'x'));
    expect(state.walkthroughs[key].states['diagnosis-2'].status).toBe('skipped');
    expect(press(state, 'y').state.flash?.text).toContain('no command');
  });

  test('y refuses a command whose name from the cluster holds control or bidi characters (what is shown is what is copied)', () => {
    for (const hostile of ['cart\u001b[201~\u0015touch x\u000f', 'cart\u009b31m', 'cart\u202eevil', 'cart\u2066x', 'cart\rx', 'cart\tx', 'cart\u0008']) {
      const state = run(stateWith({inventory: [wl('shop', hostile)], signals: signals({[`shop/${hostile}`]: {requests: 600, successes: 300}}), results: [result('MD6001', 'fail', [finding('MD6001', deployment('shop', hostile))])]}), {type: 'runbooks', runbooks: new Map([['MD6001', RUNBOOK]])});
      const opened = press(state, 'r').state;
      expect(currentView(opened).view).toBe('runbook');
      const copy = press(opened, 'y');
      expect(copy.effects, JSON.stringify(hostile)).toEqual([]);
      expect(copy.state.flash).toMatchObject({level: 'error', text: expect.stringMatching(/^not copied: it holds a control or bidi character \(U\+[0-9A-F]{4}/)});
    }
    // Shell syntax alone is shown and copied as it is, quoted.
    const quoted = run(stateWith({inventory: [wl('shop', 'a;b')], signals: signals({'shop/a;b': {requests: 600, successes: 300}}), results: [result('MD6001', 'fail', [finding('MD6001', deployment('shop', 'a;b'))])]}), {type: 'runbooks', runbooks: new Map([['MD6001', RUNBOOK]])});
    expect(press(press(quoted, 'r').state, 'y').effects[0]).toMatchObject({kind: 'copy', text: "kubectl -n shop get pods\nkubectl -n shop describe deploy 'a;b'"});
  });

  test('r on a workload without findings says so', () => {
    expect(press(base(), 'j', 'r').state.flash).toMatchObject({text: 'this workload has no finding'});
  });

  test('no key sequence asks for anything but quit, refresh, copy, a verify read or reading another context the kubeconfig names', () => {
    const keys = fc.oneof(
      fc.constantFrom<(string | KeyInfo)>('j', 'k', 'g', 'G', 's', 'S', 't', 'c', 'r', 'R', '?', ':', '/', ' ', 'v', 'y', 'x', '!', 'q', 'a', '1', {return: true}, {escape: true}, {tab: true}, {backspace: true}, {upArrow: true}, {downArrow: true}, {pageUp: true}, {pageDown: true}, {ctrl: true}),
      fc.string({maxLength: 3}),
    );
    fc.assert(fc.property(fc.array(keys, {maxLength: 25}), (seq) => {
      const {effects} = press(run(base(), {type: 'contexts', names: ['other', 'test']}), ...seq);
      return effects.every((e) => ['quit', 'refresh', 'copy', 'verify'].includes(e.kind) || (e.kind === 'switch-context' && e.context === 'other'));
    }), {numRuns: 300});
  });
});

describe('line input', () => {
  test('backspace erases, Tab completes commands and namespaces, pasted control characters are dropped', () => {
    let {state} = press(base(), ':', 'n', 's', ' ', 's', {tab: true});
    expect(state.mode).toEqual({kind: 'command', text: 'ns shop'});
    ({state} = press(state, {backspace: true}));
    expect(state.mode).toEqual({kind: 'command', text: 'ns sho'});
    ({state} = press(base(), '/', 'a\u0007[31mb'));
    expect(state.mode).toMatchObject({text: 'a[31mb'});
  });
});

test('interpretKey is pure: the state it reads is not changed', () => {
  const s = base();
  const before = JSON.stringify(s.services);
  interpretKey(s, 'j', {});
  expect(JSON.stringify(s.services)).toBe(before);
  expect(T0).toBeGreaterThan(0);
});
