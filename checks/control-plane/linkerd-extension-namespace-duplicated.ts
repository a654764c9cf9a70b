/**
 * MD2207 — the label `linkerd.io/extension=<name>` sits on more than one namespace. Linkerd's
 * CLI finds an extension's namespace by that label and takes the first namespace the API lists
 * (name order), so `linkerd viz …` (or `multicluster …`) silently talks to that one; a leftover
 * namespace from an old install shadows the live extension, and `linkerd check` reports the same
 * condition (l5d-extension-namespaces). One finding per namespace that is not the one used.
 */
import type {FindingDraft, Namespace} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {EXTENSION_LABEL} from '../../src/mesh/linkerd/components.js';

export default defineCheck({
  id: 'MD2207',
  slug: 'linkerd-extension-namespace-duplicated',
  title: 'each Linkerd extension label (linkerd.io/extension) is on one namespace only',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {kinds: ['namespaces']},
  anchor: 'l5d-extension-namespaces',
  evaluate(ctx) {
    const byExtension = new Map<string, Namespace[]>();
    for (const ns of ctx.objects.list('namespaces')) {
      const ext = ns.metadata?.labels?.[EXTENSION_LABEL];
      if (typeof ext !== 'string' || ext === '' || typeof ns.metadata.name !== 'string') continue;
      const group = byExtension.get(ext);
      if (group) group.push(ns);
      else byExtension.set(ext, [ns]);
    }
    const findings: FindingDraft[] = [];
    for (const [ext, namespaces] of byExtension) {
      if (namespaces.length < 2) continue;
      const sorted = [...namespaces].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      const used = sorted[0].metadata.name;
      for (const ns of sorted.slice(1)) {
        findings.push({
          subject: subjectOf(ns),
          message: `namespace ${ns.metadata.name} carries ${EXTENSION_LABEL}=${ext}, which is also on ${sorted.filter((n) => n !== ns).map((n) => n.metadata.name).join(', ')}: linkerd ${ext} commands use ${used} (first by name) and ignore the others`,
          evidence: {extension: ext, namespaces: sorted.map((n) => n.metadata.name).join(','), used},
        });
      }
    }
    return findings;
  },
});
