/**
 * Keys → the pure keymap → actions on the store and effects for the app to carry out. Several
 * printable characters can arrive as one input (a paste, or keys typed faster than a frame): each
 * is handled in turn, against the state the previous one left.
 */
import {useEffect} from 'react';
import {useInput, useStdin} from '../ink.js';
import type {Key} from '../ink.js';
import type {KeyInfo} from '../state/keymap.js';
import {interpretKey} from '../state/keymap.js';
import type {Store} from '../state/store.js';
import type {Effect} from '../state/types.js';

/** A character of a multi-key chunk as the key it stands for (Enter, Tab, Backspace, Esc arrive as control characters). */
function pressOf(c: string): [string, KeyInfo] {
  if (c === '\r' || c === '\n') return ['', {return: true}];
  if (c === '\t') return ['', {tab: true}];
  if (c === '\u007f' || c === '\b') return ['', {backspace: true}];
  if (c === '\u001b') return ['', {escape: true}];
  return [c, {}];
}

export function handleInput(store: Store, input: string, key: KeyInfo, onEffect: (effect: Effect) => void): void {
  const chars = [...input];
  const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab;
  let presses: [string, KeyInfo][] = chars.length > 1 && plain ? chars.map(pressOf) : [[input, key]];
  // Esc then a letter typed quickly arrives as one sequence, which terminals also use for Alt+letter.
  // meshdoctor binds nothing to Alt: it is Esc, then the letter.
  if (key.meta && !key.escape && !key.ctrl && chars.length === 1 && /[a-zA-Z0-9]/.test(input)) presses = [['', {escape: true}], [input, {}]];
  for (const [i, k] of presses) {
    const result = interpretKey(store.getState(), i, k);
    for (const a of result.actions) store.dispatch(a);
    for (const e of result.effects) onEffect(e);
  }
}

/**
 * Esc pressed twice quickly reaches Ink as one sequence (`\u001b\u001b`), which it reports as a
 * single Esc: the raw input says how many there were, and each one past the first is one more
 * press (two quick escs go back twice, as in k9s).
 */
export function extraEscapes(raw: string): number {
  return /^\u001b+$/.test(raw) ? raw.length - 1 : 0;
}

export function useKeys(store: Store, onEffect: (effect: Effect) => void): void {
  const {isRawModeSupported, internal_eventEmitter: events} = useStdin();
  useInput((input: string, key: Key) => handleInput(store, input, key, onEffect), {isActive: isRawModeSupported === true});
  useEffect(() => {
    if (isRawModeSupported !== true || !events) return undefined;
    const onRaw = (raw: unknown) => {
      for (let n = typeof raw === 'string' ? extraEscapes(raw) : 0; n > 0; n--) handleInput(store, '', {escape: true}, onEffect);
    };
    events.on('input', onRaw);
    return () => {
      events.removeListener('input', onRaw);
    };
  }, [events, isRawModeSupported, store, onEffect]);
}
