/** Flag values → typed values, each bad value a one-line usage error (exit 2). Used by settings.ts and the commands' own flags only. */
import {parseDuration} from '../core/duration.js';
import type {MeshName, Severity} from '../core/types.js';
import {MESH_NAMES} from '../core/types.js';
import {ExitCode, ExitError} from './exit-codes.js';

/** Global flags shared by every command (kubectl conventions). */
export type GlobalFlags = {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  mesh?: string;
  requestTimeout?: string;
  prometheusUrl?: string;
  prometheusHeader?: string[];
  metricsSource?: string;
  window?: string;
  config?: string;
  color?: boolean;
  clusterDomain?: string;
  /** `--istiod-url`: read istiod's debug endpoints there instead of through a port-forward. */
  istiodUrl?: string;
  /** `-l/--selector`: kubectl label-selector text. */
  selector?: string;
  /** `--as`, `--as-group` (repeatable): impersonation, as kubectl sends it. */
  as?: string;
  asGroup?: string[];
};

export function usage(message: string): never {
  throw new ExitError(ExitCode.usage, message);
}

export function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0) usage(`${flag}: "${value}" is not a duration (examples: 30s, 1m, 2h)`);
  return seconds;
}

export function severityFlag(flag: string, value: string): Severity {
  if (value === 'error' || value === 'warning' || value === 'info') return value;
  return usage(`${flag}: "${value}" must be one of error, warning, info`);
}

export function choiceFlag<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  return usage(`${flag}: "${value}" must be one of ${choices.join(', ')}`);
}

export function meshFlag(value: string | undefined): MeshName | undefined {
  if (value === undefined || value === 'auto') return undefined;
  return choiceFlag('--mesh', value, MESH_NAMES);
}

/** `-n a,b` (repeatable) → list; -n and -A together are a usage error. */
export function scopeFlags(flags: GlobalFlags): {mode: 'meshed'} | {mode: 'all'} | {mode: 'namespaces'; namespaces: string[]} {
  if (flags.namespace && flags.allNamespaces) usage('-n/--namespace and -A/--all-namespaces cannot be used together');
  if (flags.allNamespaces) return {mode: 'all'};
  if (flags.namespace) {
    const namespaces = flags.namespace.split(',').map((s) => s.trim()).filter(Boolean);
    for (const ns of namespaces) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) usage(`-n: "${ns}" is not a valid namespace name`);
    return {mode: 'namespaces', namespaces};
  }
  return {mode: 'meshed'};
}

/** `Name: value` → [name, value]. */
export function headerFlag(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0) usage(`--prometheus-header: "${value}" must look like "Name: value"`);
  return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()];
}

/** Comma/space separated check ids or slugs. */
export function idList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Colour when stdout is a TTY, unless NO_COLOR is set (non-empty) or --no-color given. */
export function useColor(noColor: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (noColor) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
