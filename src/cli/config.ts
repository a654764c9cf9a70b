/**
 * `.meshdoctor.yaml` (or `--config FILE`): thresholds, per-namespace/workload threshold overrides,
 * suppressions (each with a reason), severity re-grades, metrics and runbook settings.
 * Validated against a JSON schema; a bad file is exit 2 with `file:line: reason`.
 */
import {existsSync} from 'node:fs';
import {CapExceeded, readFileCapped} from '../sources/limits.js';
import {resolve} from 'node:path';
import {LineCounter, parseDocument} from 'yaml';
import {parseDuration} from '../core/duration.js';
import type {ResolvedOptions, ThresholdOverride, Thresholds, ThresholdsPatch} from '../core/options.js';
import {DEFAULT_OPTIONS, mergeThresholds} from '../core/options.js';
import type {SuppressionRule} from '../core/suppress.js';
import type {Severity} from '../core/types.js';
import {ExitCode, ExitError} from './exit-codes.js';

export const DEFAULT_CONFIG_FILE = '.meshdoctor.yaml';

export type MeshdoctorConfig = Readonly<{
  file?: string;
  options: ResolvedOptions;
  suppress: readonly SuppressionRule[];
  /** check id or slug → severity */
  overrides: ReadonlyMap<string, Severity>;
  prometheus: Readonly<{url?: string; headers: Readonly<Record<string, string>>}>;
  runbooks: Readonly<{dirs: readonly string[]; baseUrl?: string}>;
}>;

const duration = {type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$|^\\d+$'};
const share = {type: 'number', minimum: 0, maximum: 1};
const count = {type: 'integer', minimum: 0};
const positive = {type: 'number', minimum: 0};

function section(properties: Record<string, object>): object {
  return {type: 'object', additionalProperties: false, properties};
}

const THRESHOLD_SECTIONS: Record<string, object> = {
  metrics: section({window: duration, minRequests: count, minRps: positive, timeout: duration}),
  slo: section({successWarn: share, successError: share}),
  latency: section({p99WarnMs: positive, p99ErrorMs: positive}),
  flags: section({warnShare: share, errorShare: share, minCount: count}),
  mtls: section({plaintextWarnShare: share}),
  egress: section({minCount: count}),
  noTraffic: section({window: duration}),
  proxySync: section({staleAfter: duration, massStaleShare: share}),
  restarts: section({warnCount: count, window: duration}),
  linkerd: section({leafMinRemaining: duration}),
  certs: section({errorDays: positive, errorLifetimeFraction: share, warnDays: positive, warnLifetimeFraction: share}),
  controlPlane: section({timeout: duration}),
  grace: section({readiness: duration, podMinAge: duration, status: duration}),
};

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...THRESHOLD_SECTIONS,
    clusterDomain: {type: 'string', pattern: '^[a-z0-9.-]+$'},
    scoped: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {namespace: {type: 'string'}, name: {type: 'string'}, ...THRESHOLD_SECTIONS},
        anyOf: [{required: ['namespace']}, {required: ['name']}],
      },
    },
    suppress: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'reason'],
        properties: {check: {type: 'string', minLength: 1}, namespace: {type: 'string'}, subject: {type: 'string'}, reason: {type: 'string', minLength: 1}},
      },
    },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'severity'],
        properties: {check: {type: 'string', minLength: 1}, severity: {enum: ['error', 'warning', 'info']}},
      },
    },
    prometheus: section({url: {type: 'string', minLength: 1}, headers: {type: 'object', additionalProperties: {type: 'string'}}}),
    runbooks: section({dirs: {type: 'array', items: {type: 'string'}}, baseUrl: {type: 'string'}}),
  },
} as const;

/**
 * The validator's schema as published for editors and CI (`schemas/meshdoctor-config.schema.json`,
 * written by `npm run docs`; a test keeps the file equal to this).
 */
export function publishedConfigSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '.meshdoctor.yaml',
    description: 'meshdoctor configuration: thresholds (durations as 30s, 5m, 1h…), per-namespace or per-workload threshold overrides (scoped), suppressions (each with a reason), severity re-grades (overrides), Prometheus and runbook settings. See the README, "Configuration".',
    ...CONFIG_SCHEMA,
  };
}

type RawSections = Record<string, Record<string, unknown> | undefined>;

const DURATION_FIELDS: Record<string, Record<string, string>> = {
  metrics: {window: 'windowSeconds', timeout: 'timeoutSeconds'},
  noTraffic: {window: 'windowSeconds'},
  proxySync: {staleAfter: 'staleAfterSeconds'},
  restarts: {window: 'windowSeconds'},
  linkerd: {leafMinRemaining: 'leafMinRemainingSeconds'},
  controlPlane: {timeout: 'timeoutSeconds'},
  grace: {readiness: 'readinessSeconds', podMinAge: 'podMinAgeSeconds', status: 'statusSeconds'},
};

/** Config-file sections (durations as text) → a thresholds patch (durations in seconds). */
export function thresholdsPatch(raw: RawSections): ThresholdsPatch {
  const patch: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(THRESHOLD_SECTIONS)) {
    const sectionValue = raw[name];
    if (!sectionValue) continue;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sectionValue)) {
      const renamed = DURATION_FIELDS[name]?.[k];
      if (renamed) out[renamed] = parseDuration(String(v));
      else out[k] = v;
    }
    patch[name] = out;
  }
  return patch as ThresholdsPatch;
}

export function defaultConfig(): MeshdoctorConfig {
  return {options: DEFAULT_OPTIONS, suppress: [], overrides: new Map(), prometheus: {headers: {}}, runbooks: {dirs: []}};
}

function fail(file: string, line: number, reason: string): never {
  throw new ExitError(ExitCode.usage, `${file}:${line}: ${reason}`);
}

/** ajv is CommonJS: under NodeNext its class is the default export's `default`. */
async function createAjv(): Promise<import('ajv').default> {
  const mod = (await import('ajv')) as unknown as {default: {default?: new (o: object) => import('ajv').default} & (new (o: object) => import('ajv').default)};
  const Ajv = mod.default.default ?? mod.default;
  return new Ajv({allErrors: false, strict: false});
}

/** Parse and validate config text. `file` is used in messages only. */
export async function parseConfig(text: string, file: string): Promise<MeshdoctorConfig> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {lineCounter, prettyErrors: false});
  const yamlError = doc.errors[0];
  if (yamlError) fail(file, yamlError.linePos?.[0]?.line ?? 1, yamlError.message.split('\n')[0]);
  let value: unknown;
  try {
    value = doc.toJS({maxAliasCount: 50}) ?? {};
  } catch (error) {
    fail(file, 1, error instanceof Error ? error.message : String(error));
  }
  const ajv = await createAjv();
  const validate = ajv.compile(CONFIG_SCHEMA);
  if (!validate(value)) {
    const e = validate.errors![0];
    const path = e.instancePath.split('/').slice(1).map((p: string) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = doc.getIn(path, true) as {range?: [number, number, number]} | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : 1;
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'config';
    const detail = e.keyword === 'additionalProperties' ? `unknown key "${(e.params as {additionalProperty: string}).additionalProperty}"` : e.message ?? 'invalid';
    fail(file, line, `${where}: ${detail}`);
  }
  const cfg = value as RawSections & {
    clusterDomain?: string;
    scoped?: (RawSections & {namespace?: string; name?: string})[];
    suppress?: SuppressionRule[];
    overrides?: {check: string; severity: Severity}[];
    prometheus?: {url?: string; headers?: Record<string, string>};
    runbooks?: {dirs?: string[]; baseUrl?: string};
  };
  const thresholds: Thresholds = mergeThresholds(DEFAULT_OPTIONS.thresholds, thresholdsPatch(cfg));
  const thresholdOverrides: ThresholdOverride[] = (cfg.scoped ?? []).map((s) => ({
    ...(s.namespace !== undefined ? {namespace: s.namespace} : {}),
    ...(s.name !== undefined ? {name: s.name} : {}),
    thresholds: thresholdsPatch(s),
  }));
  return {
    file,
    options: {...DEFAULT_OPTIONS, thresholds, thresholdOverrides, clusterDomain: cfg.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain},
    suppress: cfg.suppress ?? [],
    overrides: new Map((cfg.overrides ?? []).map((o) => [o.check, o.severity])),
    prometheus: {url: cfg.prometheus?.url, headers: cfg.prometheus?.headers ?? {}},
    runbooks: {dirs: cfg.runbooks?.dirs ?? [], baseUrl: cfg.runbooks?.baseUrl},
  };
}

/** `--config FILE`, else `.meshdoctor.yaml` in the working directory if present, else defaults. */
export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<MeshdoctorConfig> {
  const file = explicit ?? (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = readFileCapped(resolve(cwd, file), 'config', `config file ${file}`).toString('utf8');
  } catch (error) {
    if (error instanceof CapExceeded) throw new ExitError(ExitCode.usage, error.message);
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExitError(ExitCode.usage, `${file}: cannot read config file (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`);
  }
  return parseConfig(text, file);
}
