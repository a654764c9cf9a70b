/**
 * MD5115 — a policy's selector matches no pod (IST0127, KIA0004), or its targetRef names a Service or
 * Gateway that does not exist: the AuthorizationPolicy, PeerAuthentication, RequestAuthentication,
 * Sidecar, Telemetry, EnvoyFilter or WasmPlugin applies to nothing — a typo in a label silently
 * disables a security control. Objects in the root namespace select across all namespaces.
 * Istio Gateways are MD5111's.
 */
import type {FindingDraft, KubeObject, Labels, PolicyTargetRef} from '../../src/core/index.js';
import {defineCheck, selectorText, subjectOf} from '../../src/core/index.js';

const SELECTOR_KINDS = [
  'authorizationpolicies.security.istio.io', 'peerauthentications.security.istio.io', 'requestauthentications.security.istio.io',
  'telemetries.telemetry.istio.io', 'wasmplugins.extensions.istio.io',
] as const;
const WORKLOAD_SELECTOR_KINDS = ['sidecars.networking.istio.io', 'envoyfilters.networking.istio.io'] as const;

export default defineCheck({
  id: 'MD5115',
  slug: 'istio-selector-no-workload',
  title: 'Istio policies select existing workloads and targets',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {
    kinds: ['pods'],
    optionalKinds: [...SELECTOR_KINDS, ...WORKLOAD_SELECTOR_KINDS, 'services', 'gateways.gateway.networking.k8s.io'],
  },
  anchor: 'IST0127; KIA0004',
  evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const root = istio?.rootNamespace ?? istio?.namespace ?? 'istio-system';
    const findings: FindingDraft[] = [];
    const judge = (obj: KubeObject, labels: Labels | undefined, refs: readonly PolicyTargetRef[]) => {
      const ns = obj.metadata.namespace ?? 'default';
      const problems: string[] = [];
      if (labels && Object.keys(labels).length > 0) {
        const pods = ctx.objects.select('pods', ns === root ? undefined : ns, labels);
        if (pods.length === 0) problems.push(`selector ${selectorText(labels)} matches no pod${ns === root ? '' : ` in ${ns}`}`);
      }
      for (const ref of refs) {
        const refNs = ref.namespace ?? ns;
        if (ref.kind === 'Service' && (ref.group ?? '') === '' && !ctx.objects.get('services', refNs, ref.name)) problems.push(`targetRef Service ${refNs}/${ref.name} does not exist`);
        if (ref.kind === 'Gateway' && ref.group === 'gateway.networking.k8s.io' && !ctx.objects.get('gateways.gateway.networking.k8s.io', refNs, ref.name)) problems.push(`targetRef Gateway ${refNs}/${ref.name} does not exist`);
      }
      if (problems.length === 0) return;
      findings.push({
        subject: subjectOf(obj),
        message: `${obj.kind} ${ns}/${obj.metadata.name}: ${problems.join('; ')} — it applies to nothing`,
        evidence: {problem: problems[0], selector: labels ? selectorText(labels) : null},
      });
    };
    for (const kind of SELECTOR_KINDS) {
      for (const obj of ctx.objects.list(kind)) {
        const spec = obj.spec as {selector?: {matchLabels?: Labels}; targetRef?: PolicyTargetRef; targetRefs?: readonly PolicyTargetRef[]};
        judge(obj, spec.selector?.matchLabels, [...(spec.targetRef ? [spec.targetRef] : []), ...(spec.targetRefs ?? [])]);
      }
    }
    for (const kind of WORKLOAD_SELECTOR_KINDS) {
      for (const obj of ctx.objects.list(kind)) {
        const spec = obj.spec as {workloadSelector?: {labels?: Labels}; targetRefs?: readonly PolicyTargetRef[]};
        judge(obj, spec.workloadSelector?.labels, spec.targetRefs ?? []);
      }
    }
    return findings;
  },
});
