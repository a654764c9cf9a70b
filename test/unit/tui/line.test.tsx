/**
 * A Line is drawn byte for byte as Ink would draw a <Text> per segment, from one string. (Lines drop
 * trailing blanks, so no case ends with one.)
 */
import {vi} from 'vitest';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import {cleanup} from 'ink-testing-library';
import React from 'react';
import {afterEach, expect, test} from 'vitest';
import type {Seg} from '../../../src/tui/components/Line.js';
import {Line} from '../../../src/tui/components/Line.js';
import {Text} from '../../../src/tui/ink.js';
import {renderAt} from '../../helpers/ink.js';

afterEach(() => cleanup());

const COLORS = {error: 'red', warning: 'yellow', ok: 'green', info: 'cyan', accent: 'cyan', muted: 'gray'} as const;

/** The reference: Ink's own nested <Text> styling. */
function NestedText({segs, inverse}: {segs: Seg[]; inverse?: boolean}): React.ReactElement {
  return (
    <Text wrap="truncate-end">
      {segs.map((s, i) => (
        <Text key={i} {...(s.tone ? {color: COLORS[s.tone]} : {})} bold={s.bold === true} dimColor={s.dim === true} inverse={s.inverse === true || inverse === true} underline={s.underline === true} italic={s.italic === true}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

const cases: [string, Seg[], boolean][] = [
  ['plain', [{text: 'shop '}, {text: 'cart'}], false],
  ['every style at once', [{text: '✖ ', tone: 'error', bold: true}, {text: 'MD6001', dim: true, underline: true, italic: true}, {text: ' 88.0% c', tone: 'error', bold: true, dim: true}], false],
  ['each tone', (['error', 'warning', 'ok', 'info', 'accent', 'muted'] as const).map((tone) => ({text: ` ${tone}`, tone})), false],
  ['a selected row', [{text: '▸ ', bold: true}, {text: 'checkout-v2', tone: 'warning'}, {text: ' 12 ', inverse: true}], true],
];

test.each(cases)('%s', (_, segs, inverse) => {
  const line = renderAt(<Line segs={segs} inverse={inverse} />, {columns: 100, rows: 5}).raw();
  const reference = renderAt(<NestedText segs={segs} inverse={inverse} />, {columns: 100, rows: 5}).raw();
  expect(line.includes('\u001b[')).toBe(segs.some((s) => s.tone || s.bold || s.dim || s.inverse || s.underline || s.italic) || inverse);
  expect(line).toBe(reference);
});
