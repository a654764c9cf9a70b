/**
 * MD5207 — a Service and the meshed pods behind it disagree about which ports are opaque. Clients
 * look at the Service's opaque ports (the client proxy then skips protocol detection), servers at
 * the pod's. When only one side treats a port as opaque, server-speaks-first protocols hang for
 * the 10-second detection timeout, or HTTP traffic loses its HTTP features. Each side's effective
 * setting is its own `config.linkerd.io/opaque-ports` annotation, else the namespace's, else the
 * cluster default (`proxy.opaquePorts` in linkerd-config) — so a default port (5432, 3306…) that
 * both sides leave unannotated is consistent. A Server with `proxyProtocol: opaque` selecting the
 * pods on that port makes it opaque on the pods too (Linkerd honours it without the annotation).
 */
import type {FindingDraft, LinkerdServer, Pod, Service, ServicePort} from '../../src/core/index.js';
import {defineCheck, subjectKey, subjectOf} from '../../src/core/index.js';
import {injectionTargets} from '../../src/mesh/injection.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import type {PortSpec} from '../../src/mesh/linkerd/opaque-ports.js';
import {DEFAULT_OPAQUE_PORTS, OPAQUE_PORTS_ANNOTATION, parsePortSpec, specIncludes} from '../../src/mesh/linkerd/opaque-ports.js';
import {serverSelectsPod} from '../../src/mesh/linkerd/policy.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {podActive} from '../../src/mesh/pods.js';

/** The container port a Service port reaches on a pod: [number, container port name]. */
function targetOn(pod: Pod, port: ServicePort): [number, string | undefined] | undefined {
  const target = port.targetPort ?? port.port;
  for (const c of pod.spec.containers) {
    for (const cp of c.ports ?? []) {
      if (typeof target === 'number' ? cp.containerPort === target : cp.name === target) return [cp.containerPort, cp.name];
    }
  }
  return typeof target === 'number' ? [target, undefined] : undefined;
}

export default defineCheck({
  id: 'MD5207',
  slug: 'linkerd-opaque-ports-mismatch',
  title: 'Services and their meshed pods agree on opaque ports',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['services', 'pods'],
    optionalKinds: ['namespaces', 'servers.policy.linkerd.io'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'linkerd-opaque-ports-definition',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const values = linkerdValues(ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config'));
    const proxyValues = values.proxy as {opaquePorts?: unknown} | undefined;
    const defaults = typeof proxyValues?.opaquePorts === 'string' ? proxyValues.opaquePorts : DEFAULT_OPAQUE_PORTS;
    const findings: FindingDraft[] = [];
    const specs = new Map<string, PortSpec>();
    const spec = (text: string) => {
      let parsed = specs.get(text);
      if (!parsed) specs.set(text, (parsed = parsePortSpec(text)));
      return parsed;
    };
    const serversByNamespace = new Map<string, readonly LinkerdServer[]>();
    for (const svc of ctx.objects.list('services') as readonly Service[]) {
      const selector = svc.spec.selector;
      if (svc.spec.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) continue;
      const ns = svc.metadata.namespace ?? 'default';
      const namespace = ctx.objects.get('namespaces', undefined, ns);
      // Pods of one workload share their template: judging one pod per workload is enough.
      const byWorkload = new Map<string, Pod>();
      for (const p of ctx.objects.select('pods', ns, selector)) {
        if (!podActive(p) || !(proxyContainer(p, 'linkerd') !== undefined || (ctx.mode === 'manifests' && injectionTargets(p, namespace, ['linkerd']).length > 0))) continue;
        const owner = subjectKey(ctx.workloads.ownerOf(p));
        if (!byWorkload.has(owner)) byWorkload.set(owner, p);
      }
      const pods = [...byWorkload.values()];
      if (pods.length === 0) continue;
      const nsAnnotation = namespace?.metadata.annotations?.[OPAQUE_PORTS_ANNOTATION];
      const svcText = svc.metadata.annotations?.[OPAQUE_PORTS_ANNOTATION] ?? nsAnnotation ?? defaults;
      let opaqueServers = serversByNamespace.get(ns);
      if (!opaqueServers) serversByNamespace.set(ns, (opaqueServers = ctx.objects.list('servers.policy.linkerd.io', ns).filter((srv) => srv.spec.proxyProtocol === 'opaque')));
      const svcSpec = spec(svcText);
      const mismatches: string[] = [];
      let example: string | undefined;
      for (const port of svc.spec.ports ?? []) {
        if (port.protocol && port.protocol !== 'TCP') continue;
        const svcOpaque = specIncludes(svcSpec, port.port, port.name);
        for (const pod of pods) {
          const target = targetOn(pod, port);
          if (!target) continue;
          const podSpec = spec(pod.metadata.annotations?.[OPAQUE_PORTS_ANNOTATION] ?? nsAnnotation ?? defaults);
          const podOpaque = specIncludes(podSpec, target[0], target[1]) ||
            opaqueServers!.some((srv) => serverSelectsPod(srv, pod) && (srv.spec.port === target[0] || (target[1] !== undefined && srv.spec.port === target[1])));
          if (podOpaque !== svcOpaque) {
            const where = target[0] === port.port ? `port ${port.port}` : `port ${port.port} (container port ${target[0]})`;
            mismatches.push(podOpaque ? `${where} is opaque on the pods but not on the Service` : `${where} is opaque on the Service but not on the pods`);
            example ??= pod.metadata.name;
            break;
          }
        }
      }
      if (mismatches.length > 0) {
        findings.push({
          subject: subjectOf(svc),
          message: `Service ${ns}/${svc.metadata.name}: ${mismatches.join('; ')}; annotate both with the same config.linkerd.io/opaque-ports`,
          evidence: {serviceOpaquePorts: svcText, podExample: example ?? null, mismatches: mismatches.length},
        });
      }
    }
    return findings;
  },
});
