/**
 * MD4205 — a Linkerd proxy's identity (leaf) certificate is expired or about to, or its refreshes
 * fail: once it expires the pod can no longer speak mTLS. Leaves live 24 h and are renewed at 70 %,
 * so less than `linkerd.leafMinRemaining` (6 h) left means renewal is stuck (identity controller,
 * issuer, or network to it). Reported once per workload (D4).
 */
import type {Pod, Severity, Subject} from '../../src/core/index.js';
import {defineCheck, formatDuration, nameList, subjectKey} from '../../src/core/index.js';
import {window} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD4205',
  slug: 'linkerd-proxy-identity-cert-expiring',
  title: "Linkerd proxies renew their identity certificates in time",
  block: 'security',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {signals: ['leafCerts'], kinds: ['pods']},
  anchor: 'none — gap (linkerd2#11215)',
  *evaluate(ctx) {
    const t = ctx.thresholds();
    const now = ctx.now.getTime() / 1000;
    type Problem = {pod: string; severity: Severity; why: string; remaining: number | null; errors: number};
    const groups = new Map<string, {subject: Subject; problems: Problem[]}>();
    for (const row of ctx.signals.get('leafCerts')?.rows ?? []) {
      const remaining = row.expiresAt === null ? null : row.expiresAt - now;
      let problem: Problem | undefined;
      if (remaining !== null && remaining < 0) problem = {pod: row.pod, severity: 'error', why: `expired ${formatDuration(-remaining)} ago`, remaining, errors: row.refreshErrors};
      else if (remaining !== null && remaining < ctx.thresholds(row.namespace).linkerd.leafMinRemainingSeconds) problem = {pod: row.pod, severity: 'warning', why: `expires in ${formatDuration(remaining)}`, remaining, errors: row.refreshErrors};
      else if (row.refreshErrors > 0) problem = {pod: row.pod, severity: 'warning', why: `${Math.round(row.refreshErrors)} failed refreshes in the last ${window(ctx)}`, remaining, errors: row.refreshErrors};
      if (!problem) continue;
      const pod = ctx.objects.get('pods', row.namespace, row.pod) as Pod | undefined;
      const subject: Subject = pod ? ctx.workloads.ownerOf(pod) : {kind: 'Pod', apiVersion: 'v1', namespace: row.namespace, name: row.pod};
      const key = subjectKey(subject);
      const g = groups.get(key) ?? {subject, problems: []};
      g.problems.push(problem);
      groups.set(key, g);
    }
    for (const {subject, problems} of groups.values()) {
      const severity: Severity = problems.some((p) => p.severity === 'error') ? 'error' : 'warning';
      const worst = [...problems].sort((a, b) => (a.remaining ?? Infinity) - (b.remaining ?? Infinity))[0];
      yield {
        subject,
        severity,
        message: `${subject.namespace}/${subject.name}: proxy identity certificate ${worst.why} (pods ${nameList(problems.map((p) => p.pod))}); it should renew ${formatDuration(t.linkerd.leafMinRemainingSeconds)} or more before expiry`,
        evidence: {pods: problems.length, worstPod: worst.pod, remainingSeconds: worst.remaining === null ? null : Math.round(worst.remaining), refreshErrors: Math.round(problems.reduce((a, p) => a + p.errors, 0))},
      };
    }
  },
});
