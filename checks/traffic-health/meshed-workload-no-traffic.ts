/**
 * MD6004 — a meshed workload that is ready and has a Service with ready endpoints received no
 * request and no connection over `noTraffic.window` (15 m): traffic may be going around the mesh,
 * to an old version, or nowhere. Gateways, Jobs/CronJobs and control planes are left out, and so
 * are namespaces whose proxies are not scraped at all (MD1004).
 */
import type {Pod, Subject} from '../../src/core/index.js';
import {defineCheck, formatDuration, nameList, subjectKey} from '../../src/core/index.js';
import {proxyMeshes} from '../../src/mesh/markers.js';
import {olderThan, podActive} from '../../src/mesh/pods.js';
import {podReady, readyEndpointCount} from '../../src/mesh/readiness.js';

const EXCLUDED_KINDS = new Set(['Job', 'CronJob', 'Pod']);

function isGateway(pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  return labels.istio === 'ingressgateway' || labels.istio === 'egressgateway' || labels['gateway.networking.k8s.io/gateway-name'] !== undefined ||
    labels['linkerd.io/proxy-role'] === 'gateway' || pod.spec.containers.some((c) => c.args?.includes('router'));
}

export default defineCheck({
  id: 'MD6004',
  slug: 'meshed-workload-no-traffic',
  title: 'meshed workloads with ready Services receive traffic',
  block: 'traffic-health',
  severity: 'info',
  meshes: ['istio', 'linkerd', 'consul'],
  runtime: true,
  inputs: {signals: ['noTraffic', 'presence'], kinds: ['pods', 'services', 'endpointslices.discovery.k8s.io']},
  anchor: 'none — gap',
  *evaluate(ctx) {
    const t = ctx.thresholds();
    const scraped = new Set((ctx.signals.get('presence')?.rows ?? []).map((r) => `${r.mesh}/${r.namespace}`));
    const traffic = new Map<string, number>();
    for (const r of ctx.signals.get('noTraffic')?.rows ?? []) traffic.set(`${r.namespace}/${r.workload}`, (traffic.get(`${r.namespace}/${r.workload}`) ?? 0) + r.requests + r.connections);
    const controlPlanes = new Set(ctx.meshes.flatMap((m) => [m.namespace, ...Object.values(m.extensions ?? {})]));
    const groups = new Map<string, {subject: Subject; pods: Pod[]; mesh: string}>();
    for (const pod of ctx.objects.list('pods')) {
      const ns = pod.metadata.namespace ?? 'default';
      const mesh = proxyMeshes(pod)[0];
      if (!mesh || controlPlanes.has(ns) || !podActive(pod) || !podReady(pod) || isGateway(pod)) continue;
      if (!olderThan(pod, ctx.now, t.noTraffic.windowSeconds)) continue;
      if (!scraped.has(`${mesh}/${ns}`)) continue;
      const owner = ctx.workloads.ownerOf(pod);
      if (EXCLUDED_KINDS.has(owner.kind)) continue;
      const key = subjectKey(owner);
      const g = groups.get(key) ?? {subject: owner, pods: [], mesh};
      g.pods.push(pod);
      groups.set(key, g);
    }
    const services = ctx.objects.list('services');
    for (const {subject, pods, mesh} of groups.values()) {
      if ((traffic.get(`${subject.namespace}/${subject.name}`) ?? 0) > 0) continue;
      const selecting = services.filter((s) => s.metadata.namespace === subject.namespace && s.spec?.selector && Object.keys(s.spec.selector).length > 0 &&
        pods.some((p) => Object.entries(s.spec!.selector!).every(([k, v]) => p.metadata.labels?.[k] === v)));
      const ready = selecting.filter((s) => readyEndpointCount(ctx.objects, s) > 0);
      if (ready.length === 0) continue;
      yield {
        subject,
        message: `${subject.namespace}/${subject.name} is ready behind ${ready.map((s) => s.metadata.name).join(', ')} but received no requests or connections in the last ${formatDuration(t.noTraffic.windowSeconds)} (pods ${nameList(pods.map((p) => p.metadata.name))})`,
        evidence: {services: ready.map((s) => s.metadata.name).join(','), window: formatDuration(t.noTraffic.windowSeconds), mesh, pods: pods.length},
      };
    }
  },
});
