/**
 * MD4207 — a Linkerd Server selects pods that run no Linkerd proxy. Inbound policy is enforced by
 * the proxy in the destination pod; a pod without one accepts every connection, in plaintext,
 * whatever Servers and AuthorizationPolicies say. The policy controller still indexes the Server
 * and `linkerd viz authz` still lists it, so the gap is invisible. Typical causes: injection
 * disabled or forgotten for the workload, the injector down when the pods were created
 * (failurePolicy Ignore), or a selector broad enough to catch unmeshed pods. In a manifest-only
 * run a pod template counts as meshed when it or its namespace asks for injection; when the
 * namespace is not among the files, templates without their own annotation are not judged.
 */
import type {FindingDraft, LinkerdServer, Pod} from '../../src/core/index.js';
import {defineCheck, nameList, subjectKey, subjectOf} from '../../src/core/index.js';
import {linkerdMeshed} from '../../src/mesh/linkerd/meshed.js';
import {serverAllowsEveryone} from '../../src/mesh/linkerd/policy.js';
import {podServerClaims} from '../../src/mesh/linkerd/servers.js';


export default defineCheck({
  id: 'MD4207',
  slug: 'linkerd-server-pods-unmeshed',
  title: 'every pod a Linkerd Server selects runs the Linkerd proxy that enforces it',
  block: 'security',
  severity: 'error',
  meshes: ['linkerd'],
  inputs: {kinds: ['servers.policy.linkerd.io'], optionalKinds: ['pods', 'namespaces']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const unmeshed = new Map<string, {server: LinkerdServer; pods: Pod[]}>();
    for (const {pod, claims} of podServerClaims(ctx.objects)) {
      const nsName = pod.metadata.namespace ?? 'default';
      const ns = ctx.objects.get('namespaces', undefined, nsName);
      const ownAnnotation = pod.metadata.annotations?.['linkerd.io/inject'];
      // A template whose namespace is not in the files: injection is decided by an object we cannot see.
      if (ctx.mode !== 'live' && !ns && typeof ownAnnotation !== 'string') continue;
      if (linkerdMeshed(pod, ns, ctx.mode)) continue;
      for (const {server} of claims) {
        if (serverAllowsEveryone(server)) continue;
        const key = subjectKey(subjectOf(server));
        let entry = unmeshed.get(key);
        if (!entry) unmeshed.set(key, (entry = {server, pods: []}));
        if (!entry.pods.includes(pod)) entry.pods.push(pod);
      }
    }
    const findings: FindingDraft[] = [];
    for (const {server, pods} of unmeshed.values()) {
      const names = pods.map((p) => p.metadata.name);
      const workloads = [...new Set(pods.map((p) => subjectKey(ctx.workloads.ownerOf(p))))];
      findings.push({
        subject: subjectOf(server),
        message: `Server ${server.metadata.namespace ?? 'default'}/${server.metadata.name} selects ${pods.length} pod(s) without a Linkerd proxy (${nameList(names, 3)}): nothing enforces its policy there, so any client connects to them unauthenticated and in plaintext`,
        evidence: {pods: nameList(names), workloads: nameList(workloads), port: String(server.spec?.port ?? '')},
      });
    }
    return findings;
  },
});
