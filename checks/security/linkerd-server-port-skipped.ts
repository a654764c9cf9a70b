/**
 * MD4206 — a Linkerd Server protects a pod port that the pod's traffic redirection skips
 * (`config.linkerd.io/skip-inbound-ports`, proxy-init `--inbound-ports-to-ignore`). Connections
 * to that port go straight to the application: the proxy never sees them, so the Server's
 * authorizations, its default deny and mTLS are not enforced there, and no metrics are recorded.
 * Servers whose access policy allows everyone anyway (`all-unauthenticated`, `audit`) are not
 * reported; the proxy's own ports (4190, 4191, 4143) are never redirected and are not judged.
 * Not seen here: a cluster-wide `proxyInit.ignoreInboundPorts` in a manifest-only run (live pods
 * carry it in their linkerd-init arguments, which this check reads).
 */
import type {FindingDraft, LinkerdServer} from '../../src/core/index.js';
import {defineCheck, nameList, subjectKey, subjectOf} from '../../src/core/index.js';
import {skippedInboundPorts, linkerdMeshed} from '../../src/mesh/linkerd/meshed.js';
import {specIncludes} from '../../src/mesh/linkerd/opaque-ports.js';
import {isProxyPort, serverAllowsEveryone} from '../../src/mesh/linkerd/policy.js';
import {governingClaims, podServerClaims} from '../../src/mesh/linkerd/servers.js';

const PROXY_CONTROL_PORT = 4190;

type Bypass = {server: LinkerdServer; ports: Set<number>; pods: string[]; source: string};

export default defineCheck({
  id: 'MD4206',
  slug: 'linkerd-server-port-skipped',
  title: 'no port a Linkerd Server protects is skipped by the proxy\'s traffic redirection',
  block: 'security',
  severity: 'error',
  meshes: ['linkerd'],
  inputs: {kinds: ['servers.policy.linkerd.io'], optionalKinds: ['pods', 'namespaces']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const bypasses = new Map<string, Bypass>();
    for (const {pod, claims} of podServerClaims(ctx.objects)) {
      const ns = ctx.objects.get('namespaces', undefined, pod.metadata.namespace ?? 'default');
      if (!linkerdMeshed(pod, ns, ctx.mode)) continue;
      const skipped = skippedInboundPorts(pod, ns);
      if (!skipped) continue;
      for (const [port, {server}] of governingClaims(claims)) {
        if (isProxyPort(port) || port === PROXY_CONTROL_PORT || serverAllowsEveryone(server)) continue;
        if (!specIncludes(skipped.spec, port)) continue;
        const key = subjectKey(subjectOf(server));
        let entry = bypasses.get(key);
        if (!entry) bypasses.set(key, (entry = {server, ports: new Set(), pods: [], source: skipped.source}));
        entry.ports.add(port);
        if (!entry.pods.includes(pod.metadata.name)) entry.pods.push(pod.metadata.name);
      }
    }
    const findings: FindingDraft[] = [];
    for (const {server, ports, pods, source} of bypasses.values()) {
      const portList = [...ports].sort((a, b) => a - b).join(', ');
      findings.push({
        subject: subjectOf(server),
        message: `Server ${server.metadata.namespace ?? 'default'}/${server.metadata.name} protects port ${portList}, which ${pods.length} pod(s) (${nameList(pods, 3)}) skip in their traffic redirection (${source}): connections reach the application without the proxy, so the Server's policy and mTLS are not enforced`,
        evidence: {port: portList, pods: nameList(pods), source},
      });
    }
    return findings;
  },
});
