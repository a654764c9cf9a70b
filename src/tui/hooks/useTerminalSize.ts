/**
 * The terminal's size, kept in the store: Ink 6 has no hook for it. On a resize in the alternate
 * screen the screen is cleared first, so no stale line of the old layout survives (Ink only clears
 * when the width shrinks).
 */
import {useEffect} from 'react';
import type {Store} from '../state/store.js';

export function sizeOf(stdout: NodeJS.WriteStream): {columns: number; rows: number} {
  return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

export function useTerminalSize(store: Store, stdout: NodeJS.WriteStream, clearScreen?: () => void): void {
  useEffect(() => {
    const apply = () => {
      const size = sizeOf(stdout);
      const current = store.getState().size;
      if (current.columns === size.columns && current.rows === size.rows) return;
      clearScreen?.();
      store.dispatch({type: 'resize', ...size});
    };
    apply();
    stdout.on('resize', apply);
    return () => {
      stdout.off('resize', apply);
    };
  }, [store, stdout, clearScreen]);
}
