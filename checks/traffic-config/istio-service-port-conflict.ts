/**
 * MD5118 — Services selecting the same meshed pods disagree about a port (IST0116, IST0137): the same
 * Service port declared as two protocols (one inbound listener per port, so one protocol loses), or
 * the same target port exposed under two Service port numbers (the sidecar builds one inbound
 * cluster per target port). Traffic to one of the Services then breaks in protocol-specific ways.
 * Reported on each conflicting Service and, as upstream does (istio/istio pkg/config/analysis/
 * analyzers/deployment/services.go reports the Deployment), on the workload whose pods they select.
 * Protocols are Istio's (appProtocol or port-name prefix): upstream compares the Kubernetes
 * `protocol` field (TCP/UDP), which two Services rarely disagree on; the Istio protocol is what decides
 * the sidecar's inbound listener.
 */
import type {FindingDraft, Service, Subject} from '../../src/core/index.js';
import {defineCheck, subjectKey, subjectOf} from '../../src/core/index.js';
import {declaredProtocol, protocolFamily} from '../../src/mesh/istio/protocols.js';
import {hasIstioSidecar, servicePods, targetPortNumber} from '../../src/mesh/istio/sidecars.js';

export default defineCheck({
  id: 'MD5118',
  slug: 'istio-service-port-conflict',
  title: 'Services that select the same pods agree on ports and protocols',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['services', 'pods'], optionalKinds: ['namespaces']},
  anchor: 'IST0116, IST0137',
  evaluate(ctx) {
    // pod → Services selecting it (meshed pods only).
    const byPod = new Map<string, {services: Service[]; pod: ReturnType<typeof servicePods>[number]}>();
    for (const svc of ctx.objects.list('services')) {
      const ns = ctx.objects.get('namespaces', undefined, svc.metadata.namespace ?? 'default');
      for (const pod of servicePods(ctx.objects, svc)) {
        if (!hasIstioSidecar(pod, ns)) continue;
        const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
        const entry = byPod.get(key) ?? {services: [], pod};
        entry.services.push(svc);
        byPod.set(key, entry);
      }
    }
    const reasons = new Map<Service, Set<string>>();
    const add = (svc: Service, text: string) => reasons.set(svc, (reasons.get(svc) ?? new Set()).add(text));
    const workloads = new Map<string, {subject: Subject; reasons: Set<string>}>();
    const addWorkload = (subject: Subject, text: string) => {
      const key = subjectKey(subject);
      const entry = workloads.get(key) ?? {subject, reasons: new Set<string>()};
      entry.reasons.add(text);
      workloads.set(key, entry);
    };
    for (const {services, pod} of byPod.values()) {
      if (services.length < 2) continue;
      const protocols = new Map<number, {svc: Service; protocol: string}[]>();
      const targets = new Map<number, {svc: Service; port: number}[]>();
      for (const svc of services) {
        for (const p of svc.spec.ports ?? []) {
          const declared = declaredProtocol(p);
          if (declared) protocols.set(p.port, [...(protocols.get(p.port) ?? []), {svc, protocol: protocolFamily(declared.protocol)}]);
          const target = targetPortNumber(pod, p);
          if (target !== undefined) targets.set(target, [...(targets.get(target) ?? []), {svc, port: p.port}]);
        }
      }
      for (const [port, list] of protocols) {
        if (new Set(list.map((l) => l.protocol)).size < 2) continue;
        const text = `port ${port} is ${list.map((l) => `${l.protocol} in ${l.svc.metadata.name}`).join(', ')}`;
        for (const l of list) add(l.svc, text);
        addWorkload(ctx.workloads.ownerOf(pod), text);
      }
      for (const [target, list] of targets) {
        if (new Set(list.map((l) => l.port)).size < 2) continue;
        const text = `target port ${target} is exposed as ${list.map((l) => `${l.port} by ${l.svc.metadata.name}`).join(', ')}`;
        for (const l of list) add(l.svc, text);
        addWorkload(ctx.workloads.ownerOf(pod), text);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [svc, set] of reasons) {
      const list = [...set];
      findings.push({
        subject: subjectOf(svc),
        message: `Service ${svc.metadata.namespace}/${svc.metadata.name} conflicts with another Service selecting the same meshed pods: ${list.join('; ')}`,
        evidence: {conflict: list[0], conflicts: list.length},
      });
    }
    for (const {subject, reasons: set} of workloads.values()) {
      const list = [...set];
      findings.push({
        subject,
        message: `${subject ? `${subject.kind} ${subject.namespace}/${subject.name}` : 'A workload'} is selected by Services that disagree about a port: ${list.join('; ')}`,
        evidence: {conflict: list[0], conflicts: list.length},
      });
    }
    return findings;
  },
});
