/** Colours mark breaches (chalk decides its colour level at import: FORCE_COLOR is set before it loads). */
import {vi} from 'vitest';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {prepareEnvironment} from '../../../src/tui/terminal.js';
import {Screen} from '../../../src/tui/views/Screen.js';
import {renderAt} from '../../helpers/ink.js';
import {run, signals, stateWith, wl} from '../../helpers/tui.js';

afterEach(() => cleanup());

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const GREEN = '\u001b[32m';

function lineOf(raw: string, name: string): string {
  return raw.split('\n').find((l) => l.includes(name)) ?? '';
}

/** `text` drawn with `code` among the SGR codes just before it. */
function painted(line: string, code: string, text: string): boolean {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:\u001b\\[\\d+m)*${esc(code)}(?:\u001b\\[\\d+m)*\\s*${esc(text)}`).test(line);
}

describe('colours', () => {
  test('an SLO breach is red, a warning yellow, healthy green; a stale age red', () => {
    const state = stateWith({
      inventory: [wl('shop', 'canary'), wl('shop', 'slowish'), wl('shop', 'fine')],
      signals: signals({'shop/canary': {requests: 1200, clientSuccesses: 1056}, 'shop/slowish': {requests: 6000, successes: 5880}, 'shop/fine': {requests: 6000}}),
    });
    const raw = renderAt(<Screen state={state} />, {columns: 120, rows: 40}).raw();
    expect(painted(lineOf(raw, 'canary'), RED, '88.0% c')).toBe(true);
    expect(painted(lineOf(raw, 'slowish'), YELLOW, '98.0% s')).toBe(true);
    expect(painted(lineOf(raw, 'fine'), GREEN, '100% s')).toBe(true);
    expect(painted(lineOf(raw, 'fine'), RED, '100% s')).toBe(false);
    const stale = run(state, {type: 'source-failed', source: 'metrics', at: state.now, reason: 'down'}, {type: 'tick', now: state.now + 30_000});
    const header = renderAt(<Screen state={stale} />, {columns: 120, rows: 40}).raw().split('\n')[0];
    expect(painted(header, RED, '30s ago STALE')).toBe(true);
  });
});

describe('the environment Ink and chalk read at import', () => {
  test('on a TTY, CI does not make Ink non-interactive; NO_COLOR and --no-color become FORCE_COLOR=0', () => {
    const env: NodeJS.ProcessEnv = {CI: 'true', CONTINUOUS_INTEGRATION: '1', NO_COLOR: '1'};
    prepareEnvironment(env, {tty: true, color: undefined});
    expect(env).toMatchObject({CI: 'false', CONTINUOUS_INTEGRATION: 'false', FORCE_COLOR: '0', NODE_ENV: 'production'});
    const plain: NodeJS.ProcessEnv = {};
    prepareEnvironment(plain, {tty: true, color: undefined});
    expect(plain.FORCE_COLOR).toBeUndefined();
    expect('CI' in plain).toBe(false);
    const flag: NodeJS.ProcessEnv = {NO_COLOR: ''};
    prepareEnvironment(flag, {tty: true, color: false});
    expect(flag.FORCE_COLOR).toBe('0');
  });
});
