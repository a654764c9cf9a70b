/**
 * Several clusters in one run (`check`/`stat` with `--context a,b,c` or `--all-contexts`): which
 * contexts, and reading them a few at a time so that tens of clusters neither open hundreds of
 * connections at once nor take tens of times one cluster's time. One context that cannot be read
 * becomes that cluster's one-line error; the others are reported.
 */
import type {ClusterReport, Report} from '../core/types.js';
import {kubeconfigContexts} from '../sources/kube/kubeconfig.js';
import {mapLimit} from '../sources/concurrency.js';
import {describeError} from './errors.js';
import {ExitCode, ExitError} from './exit-codes.js';
import {usage} from './options.js';

/** Clusters read at once: each already runs up to 6 list requests in parallel (snapshot/collect.ts). */
export const CONTEXT_CONCURRENCY = 4;

export type ContextFlags = {kubeconfig?: string; context?: string; allContexts?: boolean};

/** One cluster as before (the current context, or `--context NAME`), or several, each by name. */
export type ContextChoice = Readonly<{several: false}> | Readonly<{several: true; contexts: readonly string[]}>;

/**
 * `--context a,b` names several contexts (a name that exists as written, comma and all, is one);
 * `--all-contexts` every context of the kubeconfig. Unknown names are a usage error (exit 2) before
 * any cluster is contacted, as kubectl rejects an unknown --context.
 */
export function contextChoice(flags: ContextFlags): ContextChoice {
  if (flags.allContexts && flags.context !== undefined) usage('--all-contexts and --context cannot be used together');
  if (!flags.allContexts && !flags.context?.includes(',')) return {several: false};
  const known = kubeconfigContexts(flags.kubeconfig !== undefined ? {kubeconfig: flags.kubeconfig} : {}).map((c) => c.name).sort();
  if (flags.allContexts) {
    if (known.length === 0) usage('--all-contexts: the kubeconfig defines no contexts');
    return {several: true, contexts: known};
  }
  const value = flags.context!;
  if (known.includes(value)) return {several: false};
  const contexts = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (contexts.length === 0) usage(`--context: "${value}" names no context`);
  const unknown = contexts.filter((c) => !known.includes(c));
  if (unknown.length > 0) usage(`--context: ${unknown.map((c) => `"${c}"`).join(', ')} not found in the kubeconfig (known contexts: ${known.join(', ') || 'none'})`);
  return {several: true, contexts};
}

/**
 * For the commands about one pod or object (`proxy-config`, `logs`, `runbook`, `describe`): a
 * `--context a,b` naming several contexts is a usage error, not a context named "a,b" for the
 * kubeconfig loader (a name that exists as written, comma and all, is one context).
 */
export function oneContext(flags: ContextFlags, command: string): void {
  if (flags.allContexts) usage(`--all-contexts: ${command} takes one context`);
  if (!flags.context?.includes(',')) return;
  let known: string[] = [];
  try {
    known = kubeconfigContexts(flags.kubeconfig !== undefined ? {kubeconfig: flags.kubeconfig} : {}).map((c) => c.name);
  } catch {
    // An unreadable kubeconfig is reported by the loader, after this check.
  }
  if (!known.includes(flags.context)) usage(`--context: "${flags.context}" names several contexts; ${command} takes one context`);
}

export type ContextOutcome<T> = Readonly<{cluster: string; value: T; error?: undefined}> | Readonly<{cluster: string; value?: undefined; error: string}>;

/**
 * `read(context)` for every context, at most `limit` at once, in the order given. A failure is that
 * cluster's one-line error (sanitised, as on stderr); a usage error that is not about the cluster (a
 * bad flag value) is the same for every context and ends the run instead.
 */
export async function overContexts<T>(contexts: readonly string[], read: (context: string) => Promise<T>, limit = CONTEXT_CONCURRENCY): Promise<ContextOutcome<T>[]> {
  return mapLimit(contexts, limit, async (cluster): Promise<ContextOutcome<T>> => {
    try {
      return {cluster, value: await read(cluster)};
    } catch (error) {
      if (error instanceof ExitError && error.code === ExitCode.usage) throw error;
      return {cluster, error: describeError(error).message};
    }
  });
}

export function toClusterReports(outcomes: readonly ContextOutcome<Report>[]): ClusterReport[] {
  return outcomes.map((o) => (o.error === undefined ? {cluster: o.cluster, report: o.value} : {cluster: o.cluster, error: o.error}));
}
