/**
 * MD5210 — two Linkerd Servers select the same port of the same pod. The policy controller applies
 * only one of them per pod port: the Server created first (then the first by name) wins, the other
 * is skipped with nothing more than a log line in the controller — no status, no event, and the
 * admission webhook accepts both (policy-controller/k8s/index/src/inbound/index.rs,
 * policy-controller/runtime/src/admission.rs in linkerd/linkerd2). The skipped Server's
 * authorizations, routes and protocol do not apply to that port. Reported on the skipped Server.
 */
import type {FindingDraft, LinkerdServer} from '../../src/core/index.js';
import {defineCheck, nameList, subjectKey, subjectOf} from '../../src/core/index.js';
import {podServerClaims} from '../../src/mesh/linkerd/servers.js';

type Shadowed = {server: LinkerdServer; winners: Set<string>; ports: Set<number>; pods: string[]};

export default defineCheck({
  id: 'MD5210',
  slug: 'linkerd-server-port-conflict',
  title: 'no two Linkerd Servers select the same port of a pod',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {kinds: ['servers.policy.linkerd.io'], optionalKinds: ['pods']},
  anchor: 'none — gap (the policy controller only logs "Port already matched by another server")',
  evaluate(ctx) {
    const shadowed = new Map<string, Shadowed>();
    for (const {pod, claims} of podServerClaims(ctx.objects)) {
      const winner = new Map<number, LinkerdServer>();
      const seen = new Set<string>();
      for (const {server, port} of claims) {
        const first = winner.get(port);
        if (!first) {
          winner.set(port, server);
          continue;
        }
        if (first === server) continue;
        const key = subjectKey(subjectOf(server));
        let entry = shadowed.get(key);
        if (!entry) shadowed.set(key, (entry = {server, winners: new Set(), ports: new Set(), pods: []}));
        entry.winners.add(first.metadata.name);
        entry.ports.add(port);
        if (!seen.has(key)) {
          seen.add(key);
          entry.pods.push(pod.metadata.name);
        }
      }
    }
    const findings: FindingDraft[] = [];
    for (const {server, winners, ports, pods} of shadowed.values()) {
      const ns = server.metadata.namespace ?? 'default';
      const winnerList = [...winners].sort().join(', ');
      findings.push({
        subject: subjectOf(server),
        message: `Server ${ns}/${server.metadata.name} selects port ${[...ports].sort((a, b) => a - b).join(', ')} of ${pods.length} pod(s) (${nameList(pods, 3)}) that Server ${winnerList} already governs: Linkerd applies ${winnerList} (created first) and ignores this Server's policy there`,
        evidence: {port: [...ports].join(','), governedBy: winnerList, pods: nameList(pods)},
      });
    }
    return findings;
  },
});
