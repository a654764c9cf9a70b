/**
 * Thresholds and tunables (docs/rules.md §2 table), as the config file writes them and as checks read
 * them. Durations are written as strings (`1m`) in the config file and resolved to seconds here.
 */

export type Thresholds = Readonly<{
  metrics: Readonly<{windowSeconds: number; minRequests: number; minRps: number; timeoutSeconds: number}>;
  slo: Readonly<{successWarn: number; successError: number}>;
  latency: Readonly<{p99WarnMs: number; p99ErrorMs: number}>;
  flags: Readonly<{warnShare: number; errorShare: number; minCount: number}>;
  mtls: Readonly<{plaintextWarnShare: number}>;
  egress: Readonly<{minCount: number}>;
  noTraffic: Readonly<{windowSeconds: number}>;
  proxySync: Readonly<{staleAfterSeconds: number; massStaleShare: number}>;
  restarts: Readonly<{warnCount: number; windowSeconds: number}>;
  linkerd: Readonly<{leafMinRemainingSeconds: number}>;
  certs: Readonly<{errorDays: number; errorLifetimeFraction: number; warnDays: number; warnLifetimeFraction: number}>;
  controlPlane: Readonly<{timeoutSeconds: number}>;
  /** D6 grace periods. */
  grace: Readonly<{readinessSeconds: number; podMinAgeSeconds: number; statusSeconds: number}>;
}>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  metrics: {windowSeconds: 60, minRequests: 30, minRps: 0.5, timeoutSeconds: 10},
  slo: {successWarn: 0.99, successError: 0.95},
  latency: {p99WarnMs: 1000, p99ErrorMs: 5000},
  flags: {warnShare: 0.01, errorShare: 0.05, minCount: 5},
  mtls: {plaintextWarnShare: 0.01},
  egress: {minCount: 5},
  noTraffic: {windowSeconds: 900},
  proxySync: {staleAfterSeconds: 30, massStaleShare: 0.2},
  restarts: {warnCount: 3, windowSeconds: 3600},
  linkerd: {leafMinRemainingSeconds: 6 * 3600},
  certs: {errorDays: 7, errorLifetimeFraction: 0.1, warnDays: 60, warnLifetimeFraction: 0.25},
  controlPlane: {timeoutSeconds: 10},
  grace: {readinessSeconds: 60, podMinAgeSeconds: 300, statusSeconds: 120},
};

/** Deep-partial thresholds, as a config file or an override entry gives them. */
export type ThresholdsPatch = {[K in keyof Thresholds]?: Partial<Thresholds[K]>};

/** A threshold override scoped to a namespace glob and optionally a workload/service name glob. */
export type ThresholdOverride = Readonly<{namespace?: string; name?: string; thresholds: ThresholdsPatch}>;

export type ResolvedOptions = Readonly<{
  thresholds: Thresholds;
  thresholdOverrides: readonly ThresholdOverride[];
  clusterDomain: string;
  /** `check --require-metrics`: MD1003 is an error instead of a warning. */
  requireMetrics: boolean;
}>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  thresholds: DEFAULT_THRESHOLDS,
  thresholdOverrides: [],
  clusterDomain: 'cluster.local',
  requireMetrics: false,
};

export function mergeThresholds(base: Thresholds, patch: ThresholdsPatch | undefined): Thresholds {
  if (!patch) return base;
  const out: Record<string, unknown> = {...base};
  for (const key of Object.keys(patch) as (keyof Thresholds)[]) {
    out[key] = {...base[key], ...patch[key]};
  }
  return out as Thresholds;
}

/** `*` and `?` glob → RegExp anchored on both ends. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Thresholds in effect for one namespace/name: later matching overrides win. */
export function thresholdsFor(options: ResolvedOptions, namespace: string | undefined, name: string | undefined): Thresholds {
  let result = options.thresholds;
  for (const o of options.thresholdOverrides) {
    if (o.namespace !== undefined && (namespace === undefined || !globToRegExp(o.namespace).test(namespace))) continue;
    if (o.name !== undefined && (name === undefined || !globToRegExp(o.name).test(name))) continue;
    result = mergeThresholds(result, o.thresholds);
  }
  return result;
}
