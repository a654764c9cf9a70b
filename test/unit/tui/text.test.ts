import {describe, expect, test} from 'vitest';
import {blockChart, column, resample, sparkline} from '../../../src/tui/charts.js';
import {age, fit, millis, percent, rate} from '../../../src/tui/format.js';
import {renderMarkdown} from '../../../src/tui/markdown.js';

describe('format', () => {
  test('unknown is "-", never 0; a failing 99.95 % does not round up to 100 %', () => {
    expect([percent(null), rate(null), millis(null)]).toEqual(['-', '-', '-']);
    expect(percent(0.99951)).toBe('99.9%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.8796, 2)).toBe('87.96%');
    expect([rate(0), rate(4.25), rate(41.23), rate(123.4), rate(12345)]).toEqual(['0', '4.25', '41.2', '123', '12k']);
    expect([millis(4.12), millis(230), millis(1250), millis(12500)]).toEqual(['4.1ms', '230ms', '1.25s', '12.5s']);
    expect([age(500), age(4000), age(180_000), age(7_200_000)]).toEqual(['now', '4s', '3m', '2h']);
  });

  test('fit pads or cuts to exactly the width and neutralises control characters', () => {
    expect(fit('cart', 6)).toBe('cart  ');
    expect(fit('cart', 6, 'right')).toBe('  cart');
    expect(fit('checkout-v2', 6)).toBe('check…');
    expect(fit('evil\u001b[2Jname', 10)).toBe('evil\uFFFD[2Jn…');
  });
});

describe('charts', () => {
  test('sparklines keep gaps for missing data and scale to the range', () => {
    expect(sparkline([0, 0.5, 1, null], 4)).toBe('▁▅█ ');
    expect(sparkline([1, 1], 4)).toBe('  ▄▄');
    expect(sparkline([], 3)).toBe('   ');
    expect(sparkline([0.9, 1], 2, {min: 0.9, max: 1})).toBe('▁█');
  });

  test('resampling puts points in their slice; hold fills short gaps only', () => {
    const points = [{t: 0, v: 1}, {t: 40, v: 2}, {t: 95, v: 3}];
    expect(resample(points, 0, 100, 10)).toEqual([1, null, null, null, 2, null, null, null, null, 3]);
    expect(resample(points, 0, 100, 10, 50)).toEqual([1, 1, 1, 1, 2, null, null, null, null, 3]);
    expect(column(50, 0, 100, 10)).toBe(5);
    expect(column(150, 0, 100, 10)).toBe(-1);
  });

  test('block charts fill from the bottom; blank columns had no data', () => {
    const c = blockChart([0, null, 1], 2, {min: 0, max: 1});
    expect(c.rows).toEqual(['  █', '▁ █']);
  });
});

describe('markdown for the terminal', () => {
  test('paragraphs wrap (soft breaks are spaces), lists keep their markers, code is not wrapped', () => {
    const lines = renderMarkdown('Callers fail to\nconnect to **the pods** of `cart`.\n\n1. First step\n2. Second\n\n```sh\nkubectl -n shop get pods --selector app=cart,version=v2\n```\n', 20);
    const text = lines.map((l) => l.map((s) => s.text).join(''));
    expect(text).toEqual([
      'Callers fail to',
      'connect to the pods',
      'of cart.',
      '',
      '1. First step',
      '2. Second',
      '',
      'sh',
      '  kubectl -n shop get pods --selector app=cart,version=v2',
    ]);
    const styles = lines[1].filter((s) => s.bold).map((s) => s.text).join('');
    expect(styles).toBe('the pods');
    expect(lines[2].find((s) => s.code)?.text).toBe('cart');
  });

  test('control characters in runbook text cannot reach the terminal', () => {
    const text = renderMarkdown('a \u001b[31mred\u001b[0m word', 40).flat().map((s) => s.text).join('');
    expect(text).not.toContain('\u001b');
  });
});
