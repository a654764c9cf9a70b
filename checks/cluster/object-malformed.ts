/**
 * MD1006 — an object does not have the shape its kind requires: a string where a list belongs, a
 * Gateway server without a port, a DestinationRule without a host. In a manifest run kubectl apply
 * would be refused (the API server checks built-in kinds, and the CRDs of current Istio, Linkerd,
 * Gateway API and Consul releases carry schemas); in a cluster the API server stored it anyway (a
 * CRD without a schema for that field), and the mesh's controller cannot use it as written. Either
 * way the configuration the user meant is not in effect. Every other check reads the object as
 * repaired by the snapshot (src/core/shape.ts), so this is where the repair is made visible.
 */
import {defineCheck, groupOf, nameList} from '../../src/core/index.js';
import type {FindingDraft, MalformedObject} from '../../src/core/index.js';

/** Who reads objects of an API group, for the message. */
const READERS: Readonly<Record<string, string>> = {
  'networking.istio.io': 'istiod',
  'security.istio.io': 'istiod',
  'telemetry.istio.io': 'istiod',
  'extensions.istio.io': 'istiod',
  'linkerd.io': "Linkerd's controllers",
  'policy.linkerd.io': "Linkerd's policy controller",
  'workload.linkerd.io': "Linkerd's controllers",
  'split.smi-spec.io': 'the SMI controller',
  'access.smi-spec.io': 'the SMI controller',
  'specs.smi-spec.io': 'the SMI controller',
  'consul.hashicorp.com': "Consul's controller",
  'config.openservicemesh.io': 'osm-controller',
  'gateway.networking.k8s.io': 'the Gateway API implementation',
  'cert-manager.io': 'cert-manager',
};

function describe(m: MalformedObject): string {
  const items = m.problems.map((p) => (p.path ? `${p.path}: ${p.problem}` : p.problem));
  return nameList(items, 3);
}

export default defineCheck({
  id: 'MD1006',
  slug: 'object-malformed',
  title: 'Every object read has the shape its kind requires',
  block: 'cluster',
  severity: 'error',
  meshes: 'any',
  inputs: {},
  anchor: 'none (kubectl apply validation; istioctl validate)',
  *evaluate(ctx) {
    for (const m of ctx.objects.malformed()) {
      const group = groupOf(m.subject.apiVersion);
      const reader = READERS[group] ?? 'Kubernetes';
      const effect =
        ctx.mode === 'manifests'
          ? `kubectl apply is refused: the API server checks ${m.subject.kind} objects against their schema`
          : `${reader} cannot use it as written`;
      const seen = m.ignored ? 'meshdoctor ignored the object' : 'other checks read it without these values';
      const draft: FindingDraft = {
        subject: m.subject,
        message: `${m.subject.kind} is malformed (${describe(m)}); ${effect}; ${seen}`,
        evidence: {paths: m.problems.map((p) => p.path).join(','), problems: m.problems.length, ignored: m.ignored},
      };
      yield draft;
    }
  },
});
