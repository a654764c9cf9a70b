/**
 * MD5212 — a Linkerd ServerAuthorization (policy.linkerd.io/v1beta1, the pre-2.12 API still
 * served) selects no Server: `spec.server.name` names no Server in its namespace, or
 * `spec.server.selector` matches the labels of none. The policy controller applies a
 * ServerAuthorization to the Servers it selects (`server_selector.selects` in
 * policy-controller/k8s/index/src/inbound/index.rs, linkerd/linkerd2), so this one authorises
 * nobody: the clients it lists are denied by the Server it was written for (which MD5202 reports
 * when nothing else authorises it) — this finding names the cause.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, selectorText, subjectOf} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD5212',
  slug: 'linkerd-serverauthorization-no-server',
  title: 'every Linkerd ServerAuthorization selects a Server',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {kinds: ['serverauthorizations.policy.linkerd.io'], optionalKinds: ['servers.policy.linkerd.io']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const authz of ctx.objects.list('serverauthorizations.policy.linkerd.io')) {
      const ns = authz.metadata.namespace ?? 'default';
      const server = authz.spec?.server;
      if (!server || typeof server !== 'object') continue;
      if (typeof server.name === 'string' && server.name !== '') {
        if (ctx.objects.get('servers.policy.linkerd.io', ns, server.name)) continue;
        findings.push({
          subject: subjectOf(authz),
          message: `ServerAuthorization ${ns}/${authz.metadata.name} names Server ${server.name}, which does not exist in ${ns}: the clients it lists are authorised nowhere`,
          evidence: {server: server.name},
        });
      } else if (server.selector && typeof server.selector === 'object') {
        if (ctx.objects.select('servers.policy.linkerd.io', ns, server.selector).length > 0) continue;
        findings.push({
          subject: subjectOf(authz),
          message: `ServerAuthorization ${ns}/${authz.metadata.name} selects Servers labelled {${selectorText(server.selector) || 'all'}}, and no Server in ${ns} carries those labels: the clients it lists are authorised nowhere`,
          evidence: {selector: selectorText(server.selector)},
        });
      }
    }
    return findings;
  },
});
