/** Durations as users write them (`90s`, `1m`, `1h30m`, `7d`, `500ms`) ⇄ seconds. */

const UNIT_SECONDS: Readonly<Record<string, number>> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/** Parse a duration to seconds; undefined when malformed. A bare number means seconds. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  while (consumed < s.length) {
    PART.lastIndex = consumed;
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    consumed = PART.lastIndex;
  }
  return total;
}

/** Compact human form: 90 → "1m30s", 7200 → "2h", 0.5 → "500ms". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  if (rest < 1) return `${sign}${Math.round(rest * 1000)}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
    if (parts.length === 2) break;
  }
  return sign + (parts.join('') || '0s');
}
