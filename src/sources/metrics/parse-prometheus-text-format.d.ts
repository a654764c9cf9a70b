declare module 'parse-prometheus-text-format' {
  type ParsedMetric = {value?: string; labels?: Record<string, string>; timestamp_ms?: string};
  type ParsedFamily = {name: string; help: string; type: string; metrics: ParsedMetric[]};
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
