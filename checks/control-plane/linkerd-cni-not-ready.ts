/**
 * MD2203 — Linkerd runs in CNI mode but the `linkerd-cni` DaemonSet is missing or not ready on
 * every node. Pods scheduled on a node without a ready CNI pod get no iptables redirection: their
 * `linkerd-network-validator` init container fails and they never start. The nodes concerned are
 * named in the evidence.
 */
import type {DaemonSet, FindingDraft, Pod} from '../../src/core/index.js';
import {defineCheck, matchesSelector, nameList, notApplicable, subjectOf} from '../../src/core/index.js';
import {CNI_DAEMONSET, CNI_DEFAULT_NAMESPACE} from '../../src/mesh/linkerd/components.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import {olderThan} from '../../src/mesh/pods.js';
import {podReady} from '../../src/mesh/readiness.js';

function podsOf(pods: readonly Pod[], ds: DaemonSet): Pod[] {
  return pods.filter(
    (p) => p.metadata.namespace === ds.metadata.namespace &&
      ((p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.name === ds.metadata.name) || (ds.spec.selector !== undefined && matchesSelector(p.metadata.labels, ds.spec.selector))),
  );
}

export default defineCheck({
  id: 'MD2203',
  slug: 'linkerd-cni-not-ready',
  title: 'the linkerd-cni DaemonSet is ready on every node when Linkerd runs in CNI mode',
  block: 'control-plane',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['daemonsets.apps', 'pods'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'cni-plugin-ds-exists, cni-plugin-ready',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const config = ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config');
    const cniEnabled = linkerdValues(config).cniEnabled === true;
    const daemonSets = ctx.objects.list('daemonsets.apps').filter((d) => d.metadata.name === CNI_DAEMONSET);
    if (!cniEnabled && daemonSets.length === 0) return notApplicable('Linkerd is not in CNI mode (cniEnabled is not set and no linkerd-cni DaemonSet exists)');
    const findings: FindingDraft[] = [];
    if (daemonSets.length === 0) {
      // No DaemonSet means no namespace to name: the finding goes on the config that asks for CNI mode.
      findings.push({
        subject: config ? subjectOf(config) : {kind: 'ConfigMap', apiVersion: 'v1', namespace: linkerd.namespace, name: 'linkerd-config'},
        message: `linkerd-config sets cniEnabled: true but no ${CNI_DAEMONSET} DaemonSet exists (expected in ${CNI_DEFAULT_NAMESPACE}): new meshed pods fail linkerd-network-validator and cannot start`,
        evidence: {cniEnabled: true, daemonSet: CNI_DAEMONSET},
      });
      return findings;
    }
    const grace = ctx.thresholds().grace.readinessSeconds;
    const pods = ctx.objects.list('pods');
    for (const ds of daemonSets) {
      const desired = ds.status?.desiredNumberScheduled ?? 0;
      const ready = ds.status?.numberReady ?? 0;
      if (ready >= desired) continue;
      const notReady = podsOf(pods, ds).filter((p) => !podReady(p));
      // A rollout or a new node: pods that only just started are given the readiness grace.
      if (notReady.length > 0 && notReady.length >= desired - ready && notReady.every((p) => !olderThan(p, ctx.now, grace))) continue;
      const nodes = notReady.map((p) => p.spec.nodeName ?? p.metadata.name);
      findings.push({
        subject: subjectOf(ds),
        message: `DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} is ready on ${ready} of ${desired} nodes${nodes.length ? `; not ready on ${nameList(nodes)}` : ''}: meshed pods scheduled there cannot start`,
        evidence: {desired, ready, nodes: nameList(nodes) || null},
      });
    }
    return findings;
  },
});
