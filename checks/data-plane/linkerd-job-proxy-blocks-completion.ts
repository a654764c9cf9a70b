/**
 * MD3202 — a Job's pod has finished its work but keeps running because its Linkerd proxy does:
 * every application container has terminated, and `linkerd-proxy`, injected as an ordinary
 * container, is still running. Kubernetes keeps a pod Running while any container runs, so the
 * Job never completes. Linkerd's answers are the native sidecar (`config.linkerd.io/
 * proxy-enable-native-sidecar`: the proxy becomes an init container with `restartPolicy: Always`,
 * which Kubernetes stops when the main containers end) or calling the proxy's shutdown endpoint
 * (`config.linkerd.io/proxy-admin-shutdown`) when the work is done (pkg/k8s/labels.go,
 * charts/partials/templates/_proxy.tpl in linkerd/linkerd2). Reported per Job (or CronJob) once
 * the last application container has been finished for the status grace period.
 */
import type {ContainerStatus, FindingDraft, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList} from '../../src/core/index.js';

const PROXY = 'linkerd-proxy';

function ownedByJob(pod: Pod): boolean {
  const refs = pod.metadata.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => r?.kind === 'Job');
}

/** When the last application container finished, if every one of them has; undefined otherwise. */
function appsFinishedAt(pod: Pod, statuses: readonly ContainerStatus[]): number | undefined {
  const apps = (Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).filter((c) => c?.name !== PROXY);
  if (apps.length === 0) return undefined;
  let last = -Infinity;
  for (const c of apps) {
    const finished = statuses.find((s) => s?.name === c.name)?.state?.terminated?.finishedAt;
    const t = typeof finished === 'string' ? Date.parse(finished) : NaN;
    if (Number.isNaN(t)) return undefined;
    last = Math.max(last, t);
  }
  return last;
}

export default defineCheck({
  id: 'MD3202',
  slug: 'linkerd-job-proxy-blocks-completion',
  title: 'no Job pod is kept running by its Linkerd proxy after its work is done',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {kinds: ['pods']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const stuck: {pod: Pod; since: number}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.status?.phase !== 'Running' || !ownedByJob(pod)) continue;
      if (!(Array.isArray(pod.spec?.containers) && pod.spec.containers.some((c) => c?.name === PROXY))) continue;
      const statuses = Array.isArray(pod.status.containerStatuses) ? pod.status.containerStatuses : [];
      if (!statuses.find((s) => s?.name === PROXY)?.state?.running) continue;
      const finished = appsFinishedAt(pod, statuses);
      const graceMs = ctx.thresholds(pod.metadata.namespace).grace.statusSeconds * 1000;
      if (finished === undefined || ctx.now.getTime() - finished < graceMs) continue;
      stuck.push({pod, since: finished});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(stuck, (s) => ctx.workloads.ownerOf(s.pod)).values()) {
      const oldest = Math.min(...items.map((i) => i.since));
      const minutes = Math.round((ctx.now.getTime() - oldest) / 60000);
      findings.push({
        subject,
        message: `${items.length} pod(s) of ${subject.kind} ${subject.namespace ?? ''}/${subject.name} finished their work ${minutes} min ago but keep running because linkerd-proxy does (${nameList(items.map((i) => i.pod.metadata.name), 3)}): the Job never completes`,
        evidence: {pods: nameList(items.map((i) => i.pod.metadata.name)), finishedMinutesAgo: minutes},
      });
    }
    return findings;
  },
});
