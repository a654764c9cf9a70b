/**
 * `MESHDOCTOR_TUI_TIMINGS=<file>` (read by `npm run bench`): milestones once each, and for long runs
 * a `steady` line per sampling period with the frames drawn, Ink's render times, memory and the
 * event-loop delay. Without the variable nothing is written.
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {createTimings} from '../../../src/tui/timings.js';

const dir = mkdtempSync(join(tmpdir(), 'md-timings-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('TUI timings', () => {
  it('writes each milestone once and a steady sample per period with the frames since the last one', () => {
    const file = join(dir, 'a.jsonl');
    let now = 0;
    const timings = createTimings({MESHDOCTOR_TUI_TIMINGS: file, MESHDOCTOR_TUI_TIMINGS_EVERY_MS: '1000'}, () => now);
    timings.mark('first-frame');
    timings.mark('first-frame');
    now = 1000;
    timings.frame(4);
    now = 2500;
    timings.frame(2);
    now = 2600;
    timings.frame(8);
    now = 3500;
    timings.frame(6);
    const written = lines(file);
    expect(written.filter((l) => l.event === 'first-frame')).toHaveLength(1);
    const steady = written.filter((l) => l.event === 'steady');
    expect(steady.map((s) => [s.frames, s.renderMsMax, s.renderMsMean])).toEqual([[1, 4, 4], [1, 2, 2], [2, 8, 7]]);
    for (const s of steady) {
      expect(s.rssMB).toBeGreaterThan(0);
      expect(s.heapMB).toBeGreaterThan(0);
      expect(typeof s.loopDelayP99Ms).toBe('number');
    }
  });

  it('writes nothing without MESHDOCTOR_TUI_TIMINGS', () => {
    const timings = createTimings({});
    timings.mark('first-frame');
    timings.frame(3);
    expect(readdirSync(dir).filter((f) => f !== 'a.jsonl')).toEqual([]);
  });
});
