/**
 * ink-testing-library at a fixed terminal size: its fake stdout is always 100 columns with no rows,
 * so the harness mounts an empty tree, sets columns and rows, then renders the real one (Ink lays
 * out at stdout.columns; the app reads rows). Frames come back without ANSI codes (or with them, to
 * look at colours), and tests wait for a frame instead of sleeping.
 */
import React from 'react';
import {render} from 'ink-testing-library';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export type Sized = ReturnType<typeof render> & Readonly<{
  /** The last frame, ANSI removed. */
  frame(): string;
  /** The last frame with its ANSI codes. */
  raw(): string;
  resize(columns: number, rows: number): void;
  /** Resolves once a frame satisfies the predicate (2 s at most). */
  waitFor(predicate: (frame: string) => boolean, what?: string, timeoutMs?: number): Promise<string>;
  /** Type keys, one chunk each, with a moment for the input hook in between. */
  press(...keys: string[]): Promise<void>;
}>;

export function renderAt(tree: React.ReactElement, size: {columns: number; rows: number}): Sized {
  const r = render(React.createElement(React.Fragment));
  const dims = {...size};
  Object.defineProperty(r.stdout, 'columns', {get: () => dims.columns, configurable: true});
  Object.defineProperty(r.stdout, 'rows', {get: () => dims.rows, configurable: true});
  r.rerender(tree);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  return {
    ...r,
    frame,
    raw: () => r.lastFrame() ?? '',
    resize(columns, rows) {
      dims.columns = columns;
      dims.rows = rows;
      r.stdout.emit('resize');
    },
    async waitFor(predicate, what = 'a frame', timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (predicate(f)) return f;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(k);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    },
  };
}

/** Lines of a frame (a frame ends without a trailing newline in debug mode). */
export function lines(frame: string): string[] {
  return frame.split('\n');
}
