/**
 * The Prometheus text exposition format (what proxies serve on their metrics port) → flat samples.
 * Sample lines are parsed by `parse-prometheus-text-format` (label escapes, +Inf/NaN, timestamps,
 * ported from the Prometheus Python client). Its histogram grouping merges series that differ only
 * in labels into one, so type hints are dropped before parsing: every `_bucket` line stays its own
 * sample with its `le` label, and callers group them.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export type ExpoSample = Readonly<{name: string; labels: Readonly<Record<string, string>>; value: number}>;

/** Thrown on a line the parser rejects; the message names the line number. */
export class ExpositionError extends Error {}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function number(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default: {
      const n = text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(n)) throw new ExpositionError(`not a sample value: "${text.slice(0, 40)}"`);
      return n;
    }
  }
}

export function parseExposition(text: string): ExpoSample[] {
  const lines = text.split('\n').filter((l) => !/^#\s*(TYPE|UNIT|EOF)\b/.test(l.trim()));
  let families: ReturnType<typeof parsePrometheusTextFormat>;
  try {
    families = parsePrometheusTextFormat(`${lines.join('\n')}\n`);
  } catch (error) {
    throw new ExpositionError(`not Prometheus text format: ${(error as Error).message.slice(0, 200)}`);
  }
  const out: ExpoSample[] = [];
  for (const family of families) {
    // The parser accepts any token as a name; an HTML error page must not pass for metrics.
    if (!METRIC_NAME.test(family.name)) throw new ExpositionError(`not Prometheus text format: "${family.name.slice(0, 60)}" is not a metric name`);
    for (const m of family.metrics) {
      if (m.value === undefined) continue;
      out.push({name: family.name, labels: m.labels ?? {}, value: number(m.value)});
    }
  }
  return out;
}
