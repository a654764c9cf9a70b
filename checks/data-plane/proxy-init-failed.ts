/**
 * MD3004 — a pod cannot start because its mesh init container failed: `istio-init`/`linkerd-init`
 * could not program iptables (missing NET_ADMIN, PSP/PSA), or the CNI validator (`istio-validation`,
 * `linkerd-network-validator`) found the node's CNI plugin not ready.
 */
import type {FindingDraft, MeshName, Pod, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, MESH_NAMES, nameList} from '../../src/core/index.js';
import {INIT_CONTAINERS} from '../../src/mesh/markers.js';

type Failed = {pod: Pod; mesh: MeshName; container: string; detail: string; subject: Subject};

export default defineCheck({
  id: 'MD3004',
  slug: 'proxy-init-failed',
  title: 'mesh init containers complete successfully',
  block: 'data-plane',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {kinds: ['pods']},
  anchor: 'none — gap (osm-docs: osm-init must exit 0)',
  evaluate(ctx) {
    const failed: Failed[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded') continue;
      for (const status of pod.status?.initContainerStatuses ?? []) {
        const mesh = MESH_NAMES.find((m) => INIT_CONTAINERS[m].includes(status.name));
        if (!mesh) continue;
        const term = status.state?.terminated;
        const waiting = status.state?.waiting;
        let detail: string | undefined;
        if (term && term.exitCode !== undefined && term.exitCode !== 0) detail = `exit code ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}`;
        else if (waiting?.reason === 'CrashLoopBackOff') {
          const last = status.lastState?.terminated;
          detail = `CrashLoopBackOff${last?.exitCode !== undefined ? `, last exit code ${last.exitCode}` : ''}`;
        }
        if (detail) failed.push({pod, mesh, container: status.name, detail, subject: ctx.workloads.ownerOf(pod)});
      }
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(failed, (f) => f.subject).values()) {
      const first = items[0];
      const cni = first.container.includes('validat');
      findings.push({
        subject,
        message: `${first.container} failed in ${items.length} pod(s), which cannot start: ${nameList(items.map((i) => `${i.pod.metadata.name} (${i.detail})`))}${cni ? ' — the CNI plugin is not ready on that node' : ''}`,
        evidence: {mesh: first.mesh, container: first.container, pods: items.length, example: first.pod.metadata.name, node: first.pod.spec.nodeName ?? null},
      });
    }
    return findings;
  },
});
