/**
 * Screen geometry shared by the reducer (scrolling) and the components (rendering), so that what
 * the reducer scrolls is exactly what the views show. The frame is one line shorter than the
 * terminal: Ink clears the whole terminal on every frame once output reaches the last row.
 */

/** The smallest terminal the layout draws in (a tmux quarter split); below it, a notice. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;

/** Header line, title/summary line; command-or-message line and key hints below the body. */
const CHROME_ROWS = 4;

export function tooSmall(size: Readonly<{columns: number; rows: number}>): boolean {
  return size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
}

/** Lines Ink may draw: never the terminal's last row. */
export function frameHeight(size: Readonly<{rows: number}>): number {
  return Math.max(1, size.rows - 1);
}

/** Lines between the title line and the footer. */
export function bodyHeight(size: Readonly<{rows: number}>): number {
  return Math.max(1, frameHeight(size) - CHROME_ROWS);
}

/** Rows of the services table (its column header and the legend under it take a line each). */
export function tableRows(size: Readonly<{rows: number}>): number {
  return Math.max(1, bodyHeight(size) - 2);
}

/** Lines of the workload view's top part (chart and what-changed axis); the scrolling details get the rest. */
export function workloadChartHeight(size: Readonly<{rows: number}>): number {
  const body = bodyHeight(size);
  return body >= 30 ? 8 : body >= 22 ? 6 : body >= 16 ? 4 : 2;
}

/** Lines of the workload view's top part besides the chart: title, rps and p99 rows, changes row, time axis. */
export const WORKLOAD_CHART_EXTRA_ROWS = 5;

/** Lines of the workload view's details pane: the body minus the title, the chart and its rows. */
export function workloadDetailRows(size: Readonly<{rows: number}>): number {
  return Math.max(1, bodyHeight(size) - workloadChartHeight(size) - WORKLOAD_CHART_EXTRA_ROWS);
}

/** Width of the runbook view's step list. */
export function runbookSideWidth(size: Readonly<{columns: number}>): number {
  return Math.max(22, Math.min(44, Math.floor(size.columns * 0.34)));
}

/** Keep `cursor` inside a window of `height` rows starting at `scroll`. */
export function followCursor(cursor: number, scroll: number, height: number, count: number): number {
  let s = scroll;
  if (cursor < s) s = cursor;
  if (cursor >= s + height) s = cursor - height + 1;
  return Math.max(0, Math.min(s, Math.max(0, count - height)));
}
