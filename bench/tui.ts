/** TUI figures for the bench: first frame, first data frame on the demo, re-render with 2,000 workloads. */
import type {Figure} from './stats.js';

export type TuiFigures = {firstFrameMs?: Figure; firstDataFrameMs?: Figure; rerender2000Ms?: Figure};

export async function tuiFigures(_tmp: string): Promise<TuiFigures> {
  return {};
}
