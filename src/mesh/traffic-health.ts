/**
 * Shared rules of the metric checks (docs/rules.md §4.1): the minimum-traffic guard, share severities,
 * per-object threshold annotations, and mapping metric label values (namespace + workload name,
 * or a service name) back to the Kubernetes objects findings are about. Pure.
 */
import type {CheckContext} from '../core/check.js';
import type {KubeObject, Service} from '../core/kube-types/index.js';
import type {FlagGroup, ServiceClientRow} from '../core/signals.js';
import type {Thresholds} from '../core/options.js';
import {subjectOf} from '../core/subjects.js';
import type {MeshName, Severity, Subject} from '../core/types.js';

export const SLO_ANNOTATION = 'meshdoctor.io/slo-success';
export const P99_ANNOTATION = 'meshdoctor.io/p99-ms';

/** Minimum-traffic guard: no verdict on a handful of requests. */
export function enoughTraffic(requests: number, windowSeconds: number, t: Thresholds): boolean {
  return requests >= t.metrics.minRequests && requests / Math.max(windowSeconds, 1) >= t.metrics.minRps;
}

/** warning ≥ flags.warnShare, error ≥ flags.errorShare. */
export function shareSeverity(share: number, t: Thresholds): Severity | undefined {
  if (share >= t.flags.errorShare) return 'error';
  if (share >= t.flags.warnShare) return 'warning';
  return undefined;
}

export function percent(share: number): string {
  const p = share * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(1) : p.toFixed(2)}%`;
}

export function window(ctx: CheckContext): string {
  return ctx.signals.set?.window ?? `${ctx.thresholds().metrics.windowSeconds}s`;
}

export function windowSeconds(ctx: CheckContext): number {
  return ctx.signals.set?.windowSeconds ?? ctx.thresholds().metrics.windowSeconds;
}

const WORKLOAD_KINDS = [
  ['deployments.apps', 'Deployment'],
  ['statefulsets.apps', 'StatefulSet'],
  ['daemonsets.apps', 'DaemonSet'],
] as const;

/**
 * The workload object a metric's workload label names (Istio `destination_workload` and Linkerd's
 * `deployment` are the top owner's name). Reads all three kinds, so a check's reads do not depend
 * on which one matched.
 */
export function workloadObject(ctx: CheckContext, namespace: string, name: string): KubeObject | undefined {
  let found: KubeObject | undefined;
  for (const [key] of WORKLOAD_KINDS) {
    const o = ctx.objects.get(key, namespace, name);
    if (o && !found) found = o;
  }
  return found;
}

/** The subject for a workload named by metrics: the object if it exists, else a Deployment by that name (or the kind the labels said). */
export function workloadSubject(ctx: CheckContext, namespace: string, name: string, kindHint?: string): Subject {
  const o = workloadObject(ctx, namespace, name);
  if (o) return subjectOf(o);
  const kind = kindHint ?? 'Deployment';
  return {kind, apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', namespace, name};
}

/**
 * The Service a client-side row is about. Istio and Linkerd rows carry the namespace; Consul's
 * `consul_destination_service` is matched by name among meshed namespaces (ambiguous → no namespace).
 */
export function serviceFor(ctx: CheckContext, row: Pick<ServiceClientRow, 'namespace' | 'service'>): {subject: Subject; service?: Service} {
  if (row.namespace) {
    const service = ctx.objects.get('services', row.namespace, row.service);
    return {subject: service ? subjectOf(service) : {kind: 'Service', apiVersion: 'v1', namespace: row.namespace, name: row.service}, ...(service ? {service} : {})};
  }
  const matches = ctx.objects.list('services').filter((s) => s.metadata.name === row.service && ctx.scope.meshedNamespaces.has(s.metadata.namespace ?? ''));
  if (matches.length === 1) return {subject: subjectOf(matches[0]), service: matches[0]};
  return {subject: {kind: 'Service', apiVersion: 'v1', name: row.service}};
}

/** An annotation on the workload or one of the given Services, parsed as a number. */
export function annotationNumber(objects: readonly (KubeObject | undefined)[], key: string): number | undefined {
  for (const o of objects) {
    const raw = o?.metadata.annotations?.[key];
    if (raw === undefined) continue;
    const text = raw.trim();
    const n = Number(text.replace(/%$/, ''));
    if (!Number.isFinite(n) || n <= 0) continue;
    return text.endsWith('%') || n > 1 ? n / 100 : n;
  }
  return undefined;
}

export function annotationMs(objects: readonly (KubeObject | undefined)[], key: string): number | undefined {
  for (const o of objects) {
    const raw = o?.metadata.annotations?.[key];
    if (raw === undefined) continue;
    const n = Number(raw.trim().replace(/ms$/, ''));
    if (Number.isFinite(n) && n > 0) return n;
  }
  return undefined;
}

/** Services in a namespace whose selector matches a workload's pod template labels. */
export function servicesSelecting(ctx: CheckContext, workload: KubeObject | undefined): Service[] {
  const labels = (workload as {spec?: {template?: {metadata?: {labels?: Record<string, string>}}}} | undefined)?.spec?.template?.metadata?.labels;
  if (!workload || !labels) return [];
  return ctx.objects.list('services', workload.metadata.namespace).filter((s) => {
    const sel = s.spec?.selector;
    return sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}

export type FlagShare = Readonly<{
  mesh: MeshName;
  row: ServiceClientRow;
  flagged: number;
  total: number;
  share: number;
  per: 'requests' | 'connections';
}>;

/**
 * The share of a flag group for a service: per request, or — for TCP services and Consul connect
 * failures — per connection. Only rows above the guard with ≥ flags.minCount flagged events.
 */
export function flagShares(ctx: CheckContext, rows: readonly ServiceClientRow[], group: FlagGroup, meshes: readonly MeshName[]): FlagShare[] {
  const out: FlagShare[] = [];
  const seconds = windowSeconds(ctx);
  for (const row of rows) {
    if (!meshes.includes(row.mesh)) continue;
    const t = ctx.thresholds(row.namespace, row.service);
    const candidates: FlagShare[] = [];
    const httpFlagged = row.flags[group] ?? 0;
    if (row.requests > 0 && enoughTraffic(row.requests, seconds, t) && httpFlagged >= t.flags.minCount) {
      candidates.push({mesh: row.mesh, row, flagged: httpFlagged, total: row.requests, share: httpFlagged / row.requests, per: 'requests'});
    }
    const connFlagged = row.connectionFlags?.[group] ?? 0;
    const connections = row.connections ?? 0;
    if (connections > 0 && enoughTraffic(connections, seconds, t) && connFlagged >= t.flags.minCount) {
      candidates.push({mesh: row.mesh, row, flagged: connFlagged, total: connections, share: connFlagged / connections, per: 'connections'});
    }
    const worst = candidates.sort((a, b) => b.share - a.share)[0];
    if (worst && shareSeverity(worst.share, t)) out.push(worst);
  }
  return out;
}

/** Findings for a flag-share check (MD6005–MD6007, MD6102–MD6104): one per Service over the threshold. */
export function flagFindings(ctx: CheckContext, group: FlagGroup, meshes: readonly MeshName[], meaning: string): {subject: Subject; severity: Severity; message: string; evidence: Record<string, string | number>}[] {
  const rows = ctx.signals.get('serviceClient')?.rows ?? [];
  return flagShares(ctx, rows, group, meshes).map((f) => {
    const {subject} = serviceFor(ctx, f.row);
    const t = ctx.thresholds(f.row.namespace, f.row.service);
    const name = f.row.namespace ? `${f.row.namespace}/${f.row.service}` : f.row.service;
    return {
      subject,
      severity: shareSeverity(f.share, t)!,
      message: `${percent(f.share)} of ${Math.round(f.total)} ${f.per} to ${name} in the last ${window(ctx)} failed with ${group.replace('|', ' or ')} (${meaning})`,
      evidence: {flag: group, flagged: Math.round(f.flagged), [f.per]: Math.round(f.total), share: Number(f.share.toFixed(4)), window: window(ctx), mesh: f.mesh},
    };
  });
}
