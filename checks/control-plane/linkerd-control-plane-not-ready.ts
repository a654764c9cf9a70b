/**
 * MD2201 — a core Linkerd component (destination, identity, proxy-injector) has no ready pod, a
 * failed ReplicaSet, or is degraded (HA with one replica left, unschedulable pods). Without
 * destination, proxies cannot discover endpoints or policy; without identity, no certificates;
 * without the injector, new pods start unmeshed. Each component is judged on its own — unlike
 * `linkerd check`, nothing here waits for another check. The webhooks a component serves are named,
 * since MD2002 leaves them to this finding.
 */
import type {Deployment, FindingDraft, Pod, Subject} from '../../src/core/index.js';
import {defineCheck, matchesLabels, nameList, notApplicable, subjectOf} from '../../src/core/index.js';
import {COMPONENT_LABEL, CORE_COMPONENTS} from '../../src/mesh/linkerd/components.js';
import {olderThan} from '../../src/mesh/pods.js';
import {podProblem} from '../../src/mesh/readiness.js';
import {meshOwnedWebhooks} from '../../src/mesh/webhooks.js';

function allContainersReady(pod: Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((c) => c.ready);
}

function unschedulable(pod: Pod): boolean {
  return pod.status?.phase === 'Pending' && (pod.status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
}

export default defineCheck({
  id: 'MD2201',
  slug: 'linkerd-control-plane-not-ready',
  title: 'the Linkerd destination, identity and proxy-injector components have ready pods',
  block: 'control-plane',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['deployments.apps', 'pods', 'replicasets.apps'],
    optionalKinds: ['services', 'mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io'],
  },
  anchor: 'l5d-api-control-ready, l5d-existence-replicasets, l5d-existence-unschedulable-pods, l5d-control-plane-replicas, l5d-cp-proxy-healthy',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const ns = linkerd.namespace;
    const grace = ctx.thresholds(ns).grace.readinessSeconds;
    const webhooks = meshOwnedWebhooks(ctx.objects, ctx.meshes).filter((w) => w.mesh.name === 'linkerd' && w.webhook.clientConfig.service?.namespace === ns);
    const replicaSets = ctx.objects.list('replicasets.apps', ns);
    const findings: FindingDraft[] = [];
    for (const component of CORE_COMPONENTS) {
      const deployments = ctx.objects.select('deployments.apps', ns, {[COMPONENT_LABEL]: component});
      const deployment: Deployment | undefined = deployments.find((d) => d.metadata.name === `linkerd-${component}`) ?? deployments[0];
      const subject: Subject = deployment ? subjectOf(deployment) : {kind: 'Deployment', apiVersion: 'apps/v1', namespace: ns, name: `linkerd-${component}`};
      const pods = ctx.objects.select('pods', ns, {[COMPONENT_LABEL]: component}).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      const ready = pods.filter(allContainersReady);
      const problems = pods.filter((p) => !allContainersReady(p)).map(podProblem);
      const failedSets = replicaSets.filter(
        (rs) => (!deployment || (rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === deployment.metadata.name)) &&
          (rs.status?.conditions ?? []).some((c) => c.type === 'ReplicaFailure' && c.status === 'True') &&
          (deployment !== undefined || rs.metadata.labels?.[COMPONENT_LABEL] === component),
      );
      const template = deployment?.spec.template.metadata?.labels ?? {[COMPONENT_LABEL]: component};
      const served = webhooks.filter((w) => {
        const svc = ctx.objects.get('services', ns, w.webhook.clientConfig.service!.name);
        return svc?.spec.selector !== undefined && Object.keys(svc.spec.selector).length > 0 && matchesLabels(template, svc.spec.selector);
      }).map((w) => w.config.metadata.name);
      const desired = deployment?.spec.replicas ?? 1;
      const available = deployment?.status?.availableReplicas ?? 0;
      const evidence = {
        component,
        desired,
        available,
        readyPods: ready.length,
        pods: nameList(problems, 5) || null,
        webhooks: [...new Set(served)].join(',') || null,
      };
      const blocks = served.length > 0 ? `; webhook ${[...new Set(served)].join(', ')} cannot be served` : '';
      const starting = pods.length > 0 && pods.every((p) => allContainersReady(p) || !olderThan(p, ctx.now, grace));
      if (failedSets.length > 0) {
        const c = failedSets[0].status!.conditions!.find((x) => x.type === 'ReplicaFailure')!;
        findings.push({subject, message: `linkerd-${component}: ReplicaSet ${failedSets[0].metadata.name} cannot create pods (${c.reason ?? 'ReplicaFailure'}${c.message ? `: ${c.message}` : ''})${blocks}`, evidence});
      } else if (ready.length === 0 && !starting) {
        const why = !deployment && pods.length === 0 ? 'no Deployment and no pod exist' : pods.length === 0 ? 'no pod exists' : `no pod is running with all containers ready (${nameList(problems, 3)})`;
        findings.push({subject, message: `linkerd-${component} has no ready pod: ${why}${blocks}`, evidence});
      } else if (desired >= 2 && available <= 1) {
        findings.push({subject, severity: 'warning', message: `linkerd-${component} is degraded: ${available} of ${desired} replicas available (HA needs at least 2)`, evidence});
      } else if (pods.some(unschedulable)) {
        findings.push({subject, severity: 'warning', message: `linkerd-${component} has unschedulable pods: ${nameList(pods.filter(unschedulable).map(podProblem), 3)}`, evidence});
      }
    }
    return findings;
  },
});
