/**
 * The fast string-width inside the Ink bundle must measure exactly as string-width does: a wrong
 * width would misplace every cell after it on the line.
 */
import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import fastStringWidth, {ONE_CELL} from '../../../src/tui/string-width.js';

/** Every BMP code point the fast path accepts. */
function oneCellCodePoints(): number[] {
  const out: number[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) if (ONE_CELL.test(String.fromCharCode(cp))) out.push(cp);
  return out;
}

describe('fast string-width', () => {
  const cells = oneCellCodePoints();

  test('string-width gives every character of the fast path one cell', () => {
    expect(cells.length).toBeGreaterThan(500);
    const wider = cells.filter((cp) => stringWidth(String.fromCharCode(cp)) !== 1).map((cp) => cp.toString(16));
    expect(wider).toEqual([]);
  });

  test('the TUI\'s own marks take the fast path', () => {
    for (const mark of ['▸', '·', '…', '›', '✖', '‼', 'ℹ', '✔', '✎', '⚠', '█', '▁', '│', '─', '→', '↑', '×', '−', '○', '▲']) {
      expect(ONE_CELL.test(mark), mark).toBe(true);
    }
  });

  test('agrees with string-width on any mix of fast-path characters, colour codes and anything else', () => {
    const fast = fc.constantFrom(...cells.map((cp) => String.fromCharCode(cp)));
    const sgr = fc.constantFrom('\u001B[31m', '\u001B[1;4m', '\u001B[39m', '\u001B[0m', '\u001B[38;5;208m');
    const other = fc.constantFrom('字', '😀', '👩‍💻', 'é', '\u0301', '\u200B', '\u001B]8;;x\u0007', '\u009B31m', 'ｱ', '\u00AD', '\t', '\u0007', '✅', '◽');
    const strings = fc.array(fc.oneof({weight: 8, arbitrary: fast}, {weight: 2, arbitrary: sgr}, {weight: 1, arbitrary: other}), {maxLength: 60}).map((parts) => parts.join(''));
    fc.assert(fc.property(strings, (s) => fastStringWidth(s) === stringWidth(s)), {numRuns: 2000});
  });

  test('options go to string-width untouched', () => {
    expect(fastStringWidth('\u001B[31mab\u001B[39m', {countAnsiEscapeCodes: true})).toBe(stringWidth('\u001B[31mab\u001B[39m', {countAnsiEscapeCodes: true}));
    expect(fastStringWidth('·', {ambiguousIsNarrow: false})).toBe(stringWidth('·', {ambiguousIsNarrow: false}));
  });
});
