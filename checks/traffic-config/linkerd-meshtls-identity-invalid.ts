/**
 * MD5204 — a MeshTLSAuthentication names identities that cannot match anything: an identityRef to
 * a ServiceAccount or Namespace that does not exist, an identity string that is not `*`,
 * `*.<suffix>` or a DNS-style name, or a local-trust-domain identity
 * (`<sa>.<ns>.serviceaccount.identity.<linkerd-ns>.<trust-domain>`) for a ServiceAccount that does
 * not exist. Policies requiring it then admit fewer clients than intended.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import {identityWellFormed, normGroup, parseIdentity} from '../../src/mesh/linkerd/policy.js';
import {absenceIsKnown, namespaceExists, serviceAccountExists} from '../../src/mesh/references.js';

export default defineCheck({
  id: 'MD5204',
  slug: 'linkerd-meshtls-identity-invalid',
  title: 'MeshTLSAuthentication identities refer to ServiceAccounts and Namespaces that exist',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['meshtlsauthentications.policy.linkerd.io'],
    optionalKinds: ['serviceaccounts', 'namespaces'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'none — gap (KIA0106 analog)',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const values = linkerdValues(ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config'));
    const trustDomain = values.identityTrustDomain ?? 'cluster.local';
    const saKnown = absenceIsKnown(ctx.objects, ctx.mode, 'serviceaccounts');
    const nsKnown = absenceIsKnown(ctx.objects, ctx.mode, 'namespaces');
    const findings: FindingDraft[] = [];
    for (const authn of ctx.objects.list('meshtlsauthentications.policy.linkerd.io')) {
      const ns = authn.metadata.namespace ?? 'default';
      const problems: string[] = [];
      for (const ref of authn.spec.identityRefs ?? []) {
        const group = normGroup(ref.group);
        if (ref.kind === 'ServiceAccount' && group === '') {
          if (!ref.name || ref.name === '*') continue;
          const refNs = ref.namespace ?? ns;
          if (saKnown && !serviceAccountExists(ctx.objects, refNs, ref.name)) problems.push(`identityRef ServiceAccount ${refNs}/${ref.name} does not exist`);
        } else if (ref.kind === 'Namespace' && group === '') {
          if (ref.name && ref.name !== '*' && nsKnown && !namespaceExists(ctx.objects, ref.name)) problems.push(`identityRef Namespace ${ref.name} does not exist`);
        } else {
          problems.push(`identityRef ${ref.kind} ${ref.name} is not a ServiceAccount or Namespace`);
        }
      }
      for (const identity of authn.spec.identities ?? []) {
        if (!identityWellFormed(identity)) {
          problems.push(`identity "${identity}" is malformed (expected *, *.<suffix> or a DNS-style name)`);
          continue;
        }
        const local = identity.startsWith('*') ? undefined : parseIdentity(identity, linkerd.namespace, trustDomain);
        if (local && saKnown && (!nsKnown || namespaceExists(ctx.objects, local.namespace)) && !serviceAccountExists(ctx.objects, local.namespace, local.serviceAccount)) {
          problems.push(`identity ${identity} names ServiceAccount ${local.namespace}/${local.serviceAccount}, which does not exist`);
        } else if (local && nsKnown && !namespaceExists(ctx.objects, local.namespace)) {
          problems.push(`identity ${identity} names namespace ${local.namespace}, which does not exist`);
        }
      }
      if (problems.length > 0) {
        findings.push({
          subject: subjectOf(authn),
          message: `MeshTLSAuthentication ${ns}/${authn.metadata.name}: ${problems.join('; ')}; clients with that identity are not authenticated`,
          evidence: {problems: problems.length, trustDomain},
        });
      }
    }
    return findings;
  },
});
