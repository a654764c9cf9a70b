/**
 * `:ctx NAME` and the `:ctx` picker, the pure side: which keys switch (an effect for the app and a
 * reset of what was read from the old cluster), which only explain why not, and Tab completion.
 */
import {describe, expect, test} from 'vitest';
import {interpretKey} from '../../../src/tui/state/keymap.js';
import {currentView} from '../../../src/tui/state/reducer.js';
import type {TuiState} from '../../../src/tui/state/types.js';
import {deployment, finding, result, run, signals, stateWith, T0, wl} from '../../helpers/tui.js';

/** On context `test` with a workload, numbers, a finding, a namespace chosen and a workload open; the kubeconfig knows three contexts. */
function onTest(): TuiState {
  const s = stateWith({
    inventory: [wl('shop', 'cart')],
    signals: signals({'shop/cart': {requests: 600}}),
    results: [result('MD6001', 'fail', [finding('MD6001', deployment('shop', 'cart'))])],
  });
  return run(s, {type: 'contexts', names: ['prod-eu1', 'prod-us1', 'test']}, {type: 'open'}, {type: 'navigate', entry: {view: 'workload', namespace: 'shop', workload: 'cart', cursor: -1, scroll: 0}});
}

const typed = (s: TuiState, text: string) => interpretKey({...s, mode: {kind: 'command', text}}, '', {return: true});

describe(':ctx NAME', () => {
  test('a known other context: the state forgets the old cluster and the app is asked to read the new one', () => {
    const s = onTest();
    const keys = typed(s, 'ctx prod-us1');
    expect(keys.effects).toEqual([{kind: 'switch-context', context: 'prod-us1'}]);
    const after = run(s, ...keys.actions);
    expect(after.data.context).toBe('prod-us1');
    expect(after.data.inventory).toEqual([]);
    expect(after.data.golden).toEqual([]);
    expect(after.data.results).toEqual([]);
    expect(after.data.snapshot).toBeUndefined();
    expect(after.sources.kubernetes.state).toBe('connecting');
    expect(after.stack).toEqual([{view: 'services'}]);
    expect(after.mode).toEqual({kind: 'normal'});
    expect(after.flash?.text).toBe('switched to context prod-us1');
  });

  test('the current context, or one the kubeconfig does not have: no switch, a message', () => {
    const s = onTest();
    for (const [text, message] of [['ctx test', 'already on context test'], ['ctx nowhere', ':ctx: no context "nowhere" in the kubeconfig (:ctx lists them)']] as const) {
      const keys = typed(s, text);
      expect(keys.effects, text).toEqual([]);
      const after = run({...s, mode: {kind: 'command', text}}, ...keys.actions);
      expect(after.flash?.text).toBe(message);
      expect(after.data.context).toBe('test');
    }
  });

  test('Tab completes context names', () => {
    const tab = (text: string) => run({...onTest(), mode: {kind: 'command', text}}, {type: 'complete'}).mode;
    expect(tab('ct')).toEqual({kind: 'command', text: 'ctx '});
    expect(tab('ctx prod-u')).toEqual({kind: 'command', text: 'ctx prod-us1'});
    expect(tab('ctx p')).toEqual({kind: 'command', text: 'ctx prod-'});
  });
});

describe(':ctx (the picker)', () => {
  test('lists the contexts with the cursor on the current one; enter on another switches, on the current one closes', () => {
    const s = run({...onTest(), mode: {kind: 'command', text: 'ctx'}}, {type: 'submit'});
    expect(currentView(s)).toEqual({view: 'contexts', cursor: 2, scroll: 0});
    const same = interpretKey(s, '', {return: true});
    expect(same.effects).toEqual([]);
    expect(currentView(run(s, ...same.actions)).view).toBe('workload');
    const up = run(s, ...interpretKey(s, 'k', {}).actions);
    const other = interpretKey(up, '', {return: true});
    expect(other.effects).toEqual([{kind: 'switch-context', context: 'prod-us1'}]);
    expect(run(up, ...other.actions).data.context).toBe('prod-us1');
  });

  test('without a kubeconfig list there is nothing to pick: it says so', () => {
    const s = run(stateWith({now: T0}), {type: 'mode', mode: {kind: 'command', text: 'ctx'}}, {type: 'submit'});
    expect(currentView(s).view).toBe('services');
    expect(s.flash?.level).toBe('warn');
  });
});
