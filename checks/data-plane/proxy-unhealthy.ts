/**
 * MD3003 — a running pod's mesh proxy is not ready long after it started (error), or keeps
 * restarting (warning, e.g. OOMKilled). Traffic through that pod fails or flaps. Control-plane pods
 * are left to the MD2 readiness checks.
 */
import type {FindingDraft, MeshName, Pod, Severity, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList} from '../../src/core/index.js';
import {proxyContainer, proxyMeshes} from '../../src/mesh/markers.js';

type Problem = {pod: Pod; mesh: MeshName; severity: Severity; detail: string; reason?: string; subject: Subject};

export default defineCheck({
  id: 'MD3003',
  slug: 'proxy-unhealthy',
  title: 'mesh proxies are ready and not restarting',
  block: 'data-plane',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {kinds: ['pods']},
  anchor: 'l5d-data-plane-ready; POP-204, POP-205',
  evaluate(ctx) {
    const cpNamespaces = new Set(ctx.meshes.flatMap((m) => [m.namespace, ...m.revisions.map((r) => r.namespace), ...Object.values(m.extensions ?? {})]));
    const problems: Problem[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.status?.phase !== 'Running' || cpNamespaces.has(pod.metadata.namespace ?? '')) continue;
      const t = ctx.thresholds(pod.metadata.namespace);
      for (const mesh of proxyMeshes(pod)) {
        const name = proxyContainer(pod, mesh)!.name;
        const status = [...(pod.status.containerStatuses ?? []), ...(pod.status.initContainerStatuses ?? [])].find((c) => c.name === name);
        if (!status) continue;
        const startedAt = Date.parse(status.state?.running?.startedAt ?? '');
        const upFor = Number.isNaN(startedAt) ? undefined : (ctx.now.getTime() - startedAt) / 1000;
        const subject = ctx.workloads.ownerOf(pod);
        if (!status.ready && upFor !== undefined && upFor >= t.grace.readinessSeconds) {
          problems.push({pod, mesh, severity: 'error', detail: `${name} not ready for ${Math.round(upFor)}s`, subject});
          continue;
        }
        const finished = Date.parse(status.lastState?.terminated?.finishedAt ?? '');
        const recent = !Number.isNaN(finished) && (ctx.now.getTime() - finished) / 1000 <= t.restarts.windowSeconds;
        if ((status.restartCount ?? 0) >= t.restarts.warnCount && recent) {
          const reason = status.lastState?.terminated?.reason;
          problems.push({pod, mesh, severity: 'warning', detail: `${name} restarted ${status.restartCount} times${reason ? ` (last: ${reason})` : ''}`, reason, subject});
        }
      }
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(problems, (p) => p.subject).values()) {
      const severity: Severity = items.some((i) => i.severity === 'error') ? 'error' : 'warning';
      const relevant = items.filter((i) => i.severity === severity);
      findings.push({
        subject,
        severity,
        message: severity === 'error'
          ? `the ${relevant[0].mesh} proxy is not ready in ${relevant.length} running pod(s): ${nameList(relevant.map((i) => `${i.pod.metadata.name} (${i.detail})`))}`
          : `the ${relevant[0].mesh} proxy keeps restarting in ${relevant.length} pod(s): ${nameList(relevant.map((i) => `${i.pod.metadata.name} (${i.detail})`))}`,
        evidence: {mesh: relevant[0].mesh, pods: relevant.length, example: relevant[0].pod.metadata.name, reason: relevant.find((i) => i.reason)?.reason ?? null},
      });
    }
    return findings;
  },
});
