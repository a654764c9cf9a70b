/**
 * MD2202 — `clusterNetworks` in linkerd-config does not cover every pod CIDR, pod IP or Service IP
 * of the mesh. Linkerd treats destinations outside those networks as external: no service
 * discovery, no load balancing, no mTLS for that traffic. One finding per category (node pod CIDRs,
 * pod IPs, Service cluster IPs) with up to 5 examples. Only meshed namespaces are scanned: unlike
 * `linkerd check`, a cluster's unmeshed corners do not produce noise (linkerd2#6272, #10045).
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, notApplicable, skipped, subjectOf} from '../../src/core/index.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import {covered, parseNetworks} from '../../src/mesh/linkerd/networks.js';

export default defineCheck({
  id: 'MD2202',
  slug: 'linkerd-cluster-networks-incomplete',
  title: 'Linkerd clusterNetworks covers every pod CIDR, pod IP and Service IP of the mesh',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['pods', 'services'],
    optionalKinds: ['nodes'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'l5d-cluster-networks-cidr, l5d-cluster-networks-pods',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    if (linkerd.controlPlane !== 'in-cluster') return notApplicable('the Linkerd control plane is not in this cluster');
    const config = ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config');
    if (!config) return skipped(`ConfigMap ${linkerd.namespace}/linkerd-config not found (MD2001 reports it)`);
    const networks = parseNetworks(linkerdValues(config).clusterNetworks);
    const findings: FindingDraft[] = [];
    const meshed = ctx.scope.meshedNamespaces;
    const report = (category: string, outside: string[]) => {
      if (outside.length === 0) return;
      findings.push({
        subject: subjectOf(config),
        message: `clusterNetworks (${networks.text}) does not contain ${outside.length} ${category}: ${nameList(outside)}; Linkerd treats traffic to them as leaving the cluster (no discovery, no mTLS)`,
        evidence: {category, outside: outside.length, clusterNetworks: networks.text, examples: nameList(outside)},
      });
    };
    if (networks.invalid.length > 0) {
      findings.push({
        subject: subjectOf(config),
        message: `clusterNetworks has entries that are not CIDRs: ${networks.invalid.join(', ')}`,
        evidence: {category: 'invalid', clusterNetworks: networks.text},
      });
    }
    const nodeCidrs: string[] = [];
    for (const node of ctx.objects.list('nodes')) {
      const cidrs = node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []);
      for (const cidr of cidrs) if (covered(networks, cidr) === false) nodeCidrs.push(`${node.metadata.name} ${cidr}`);
    }
    report('node pod CIDR(s)', nodeCidrs);
    const podIps: string[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.spec.hostNetwork || !meshed.has(pod.metadata.namespace ?? '')) continue;
      const ips = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
      for (const ip of ips) if (covered(networks, ip) === false) podIps.push(`${pod.metadata.namespace}/${pod.metadata.name} ${ip}`);
    }
    report('pod IP(s)', podIps);
    const serviceIps: string[] = [];
    for (const svc of ctx.objects.list('services')) {
      if (!meshed.has(svc.metadata.namespace ?? '') || svc.spec.type === 'ExternalName') continue;
      const ips = svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : []);
      for (const ip of ips) if (ip !== 'None' && covered(networks, ip) === false) serviceIps.push(`${svc.metadata.namespace}/${svc.metadata.name} ${ip}`);
    }
    report('Service IP(s)', serviceIps);
    return findings;
  },
});
