/**
 * Global flags → typed settings, once, at the edge — as kubectl's ConfigFlags become a client getter.
 * Every bad value is a usage error (exit 2) here, before anything is read; nothing past this module
 * sees a raw flag. Sources get `ClusterAccess` (how to reach the API server, as whom), the metrics
 * gatherer `MetricsSettings`, the control-plane provider `ControlPlaneSettings`, the collector a scope;
 * the TUI engine the whole `Settings`. See docs/architecture.md "Flags and settings".
 */
import type {LabelSelector} from '../core/kube-types/index.js';
import type {ResolvedOptions} from '../core/options.js';
import {parseLabelSelector} from '../core/selectors.js';
import type {MeshName} from '../core/types.js';
import type {ScopeRequest} from '../snapshot/snapshot.js';
import type {ClusterAccess} from '../sources/kube/kubeconfig.js';
import type {MetricsSettings, MetricsSourceChoice} from '../sources/metrics/gather.js';
import type {MeshdoctorConfig} from './config.js';
import {loadConfig} from './config.js';
import type {GlobalFlags} from './options.js';
import {choiceFlag, durationFlag, headerFlag, meshFlag, scopeFlags, usage} from './options.js';

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
export const DEFAULT_SAMPLE_SECONDS = 5;

export type ControlPlaneSettings = Readonly<{
  /** `--istiod-url`: read istiod there instead of through a port-forward to each replica. */
  istiodUrl?: URL;
  timeoutMs: number;
}>;

export type Settings = Readonly<{
  config: MeshdoctorConfig;
  /** Check options: the config's, with `--cluster-domain` and `--window` applied. */
  options: ResolvedOptions;
  cluster: ClusterAccess;
  scope: ScopeRequest;
  /** `-n` or `-A` was given: a saved snapshot is re-scoped only then. */
  scopeGiven: boolean;
  /** `-l`: findings, rows and workloads are narrowed to objects (or pods) whose labels match. */
  selector?: LabelSelector;
  meshOverride?: MeshName;
  metrics: MetricsSettings;
  controlPlane: ControlPlaneSettings;
  /** `--no-color` was given (NO_COLOR, TERM=dumb and the terminal are looked at where output is written). */
  noColor: boolean;
}>;

/** Flags that carry metrics settings beyond the global ones (`check` and `stat`: `--sample`). */
export type SettingsFlags = GlobalFlags & {sample?: string};

function istiodUrl(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return usage(`--istiod-url: "${value}" is not a URL (example: http://127.0.0.1:15014)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') usage(`--istiod-url: "${value}" must be http:// or https://`);
  return url;
}

function selectorFlag(value: string | undefined): LabelSelector | undefined {
  if (value === undefined) return undefined;
  try {
    return parseLabelSelector(value);
  } catch (error) {
    return usage(`-l/--selector: "${value}": ${(error as Error).message}`);
  }
}

function clusterAccess(flags: GlobalFlags): ClusterAccess {
  const groups = flags.asGroup ?? [];
  if (groups.length > 0 && flags.as === undefined) usage('--as-group: needs --as (a user to impersonate, as with kubectl)');
  if (flags.as === '') usage('--as: needs a user name');
  const timeoutSeconds = durationFlag('--request-timeout', flags.requestTimeout) ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
  return {
    ...(flags.kubeconfig !== undefined ? {kubeconfig: flags.kubeconfig} : {}),
    ...(flags.context !== undefined ? {context: flags.context} : {}),
    requestTimeoutMs: timeoutSeconds * 1000,
    ...(flags.as !== undefined ? {impersonate: {user: flags.as, groups}} : {}),
  };
}

/** Flags and the loaded config → settings (pure; bad values throw usage errors). */
export function resolveSettings(flags: SettingsFlags, config: MeshdoctorConfig): Settings {
  const scope = scopeFlags(flags);
  const t = config.options.thresholds;
  const windowSeconds = durationFlag('--window', flags.window) ?? t.metrics.windowSeconds;
  const headers: Record<string, string> = {...config.prometheus.headers};
  for (const h of flags.prometheusHeader ?? []) {
    const [name, value] = headerFlag(h);
    headers[name] = value;
  }
  const prometheusUrl = flags.prometheusUrl ?? config.prometheus.url;
  const meshOverride = meshFlag(flags.mesh);
  const selector = selectorFlag(flags.selector);
  return {
    config,
    options: {
      ...config.options,
      thresholds: {...t, metrics: {...t.metrics, windowSeconds}},
      ...(flags.clusterDomain ? {clusterDomain: flags.clusterDomain} : {}),
    },
    cluster: clusterAccess(flags),
    scope,
    scopeGiven: Boolean(flags.namespace || flags.allNamespaces),
    ...(selector ? {selector} : {}),
    ...(meshOverride ? {meshOverride} : {}),
    metrics: {
      source: choiceFlag<MetricsSourceChoice>('--metrics-source', flags.metricsSource ?? 'auto', ['auto', 'prometheus', 'proxies']),
      ...(prometheusUrl ? {prometheusUrl} : {}),
      headers,
      windowSeconds,
      noTrafficSeconds: t.noTraffic.windowSeconds,
      timeoutMs: t.metrics.timeoutSeconds * 1000,
      sampleSeconds: durationFlag('--sample', flags.sample) ?? DEFAULT_SAMPLE_SECONDS,
    },
    controlPlane: {
      ...(flags.istiodUrl !== undefined ? {istiodUrl: istiodUrl(flags.istiodUrl)!} : {}),
      timeoutMs: t.controlPlane.timeoutSeconds * 1000,
    },
    noColor: flags.color === false,
  };
}

/** `--config` (or .meshdoctor.yaml) loaded, then the flags resolved against it. */
export async function loadSettings(flags: SettingsFlags): Promise<Settings> {
  return resolveSettings(flags, await loadConfig(flags.config));
}
