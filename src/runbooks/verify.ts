/**
 * Verify steps: lines of a ```meshdoctor block that meshdoctor runs itself.
 *   check MD5101                           re-run one check on fresh data
 *   metrics {{namespace}}/{{workload}}     golden metrics of a workload, now
 *   promql <expr> <op> <number>            pass/fail of a PromQL value against a threshold
 * Parsing is pure; running needs sources and lives with the commands (VerifyRunner).
 */

export type CompareOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type VerifySpec =
  | Readonly<{kind: 'check'; raw: string; checkId: string}>
  | Readonly<{kind: 'metrics'; raw: string; target: string}>
  | Readonly<{kind: 'promql'; raw: string; expr: string; op: CompareOp; threshold: number}>
  | Readonly<{kind: 'invalid'; raw: string; reason: string}>;

export type VerifyResult = Readonly<{
  status: 'pass' | 'fail' | 'error';
  /** What was measured, for display: "2 findings", "success 87.9%, 41.2 rps", "0.42". */
  value: string;
  at: string;
}>;

/** What a walkthrough needs to run verify steps; implemented by the CLI and the TUI. */
export interface VerifyRunner {
  run(spec: Exclude<VerifySpec, {kind: 'invalid'}>): Promise<VerifyResult>;
}

const PROMQL = /^promql\s+(.+?)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseVerify(line: string): VerifySpec {
  const raw = line.trim();
  const [word, ...rest] = raw.split(/\s+/);
  if (word === 'check') {
    if (rest.length === 1 && /^MD\d{4}$/.test(rest[0])) return {kind: 'check', raw, checkId: rest[0]};
    return {kind: 'invalid', raw, reason: 'expected `check MDxxxx`'};
  }
  if (word === 'metrics') {
    if (rest.length === 1 && /^[^/\s]+\/[^/\s]+$/.test(rest[0])) return {kind: 'metrics', raw, target: rest[0]};
    return {kind: 'invalid', raw, reason: 'expected `metrics NAMESPACE/WORKLOAD`'};
  }
  if (word === 'promql') {
    const m = PROMQL.exec(raw);
    if (m) return {kind: 'promql', raw, expr: m[1], op: m[2] as CompareOp, threshold: Number(m[3])};
    return {kind: 'invalid', raw, reason: 'expected `promql <expr> <op> <number>`'};
  }
  return {kind: 'invalid', raw, reason: `unknown verify step "${word}" (check, metrics or promql)`};
}

export function compare(value: number, op: CompareOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
