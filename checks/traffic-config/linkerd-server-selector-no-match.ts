/**
 * MD5201 — a Linkerd Server selects nothing: its podSelector (or externalWorkloadSelector) matches
 * no pod, or the port it names is not a port of the selected pods. The policy it carries applies to
 * nothing, and the traffic it was meant to restrict falls back to the default policy. Workloads
 * scaled to zero still count as matched (their pod templates are checked), numeric ports are only
 * judged when the pods declare their container ports, and the proxy's own ports (4191
 * `linkerd-admin`, 4143 `linkerd-proxy`) exist on every meshed pod.
 */
import type {FindingDraft, LinkerdServer, Pod} from '../../src/core/index.js';
import {defineCheck, matchesSelector, selectorText, subjectOf} from '../../src/core/index.js';
import {isProxyPort, podHasPort} from '../../src/mesh/linkerd/policy.js';
import {podActive} from '../../src/mesh/pods.js';

const PROXY_CONTAINER = 'linkerd-proxy';

function declaresPorts(pod: Pod): boolean {
  return pod.spec.containers.some((c) => c.name !== PROXY_CONTAINER && (c.ports ?? []).length > 0);
}

export default defineCheck({
  id: 'MD5201',
  slug: 'linkerd-server-selector-no-match',
  title: 'every Linkerd Server selects pods and a port they have',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['servers.policy.linkerd.io'],
    optionalKinds: ['pods', 'externalworkloads.workload.linkerd.io', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps'],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    const report = (server: LinkerdServer, message: string, evidence: Record<string, string | number>) =>
      findings.push({subject: subjectOf(server), message: `Server ${server.metadata.namespace}/${server.metadata.name} ${message}`, evidence});
    for (const server of ctx.objects.list('servers.policy.linkerd.io')) {
      const ns = server.metadata.namespace ?? 'default';
      const port = server.spec.port;
      if (server.spec.podSelector) {
        const selector = server.spec.podSelector;
        const pods = ctx.objects.select('pods', ns, selector).filter(podActive);
        if (pods.length === 0) {
          // Scaled to zero is not "matches nothing": the workload's pods will match when they exist.
          const templates = [...ctx.objects.list('deployments.apps', ns), ...ctx.objects.list('statefulsets.apps', ns), ...ctx.objects.list('daemonsets.apps', ns)];
          if (templates.some((w) => matchesSelector(w.spec.template.metadata?.labels, selector))) continue;
          report(server, `podSelector {${selectorText(selector) || 'all'}} matches no pod in ${ns}: its policy applies to nothing`, {selector: selectorText(selector), port: String(port)});
          continue;
        }
        if (isProxyPort(port)) continue;
        const hasPort = pods.some((p) => podHasPort(p, port));
        const judged = typeof port === 'string' || pods.some(declaresPorts);
        if (!hasPort && judged) {
          const known = [...new Set(pods.flatMap((p) => p.spec.containers.filter((c) => c.name !== PROXY_CONTAINER).flatMap((c) => (c.ports ?? []).map((cp) => (cp.name ? `${cp.name}/${cp.containerPort}` : String(cp.containerPort))))))];
          report(server, `names port ${port}, which no selected pod declares (${pods.length} pod(s) with ports ${known.join(', ') || 'none'}): its policy applies to nothing`, {selector: selectorText(selector), port: String(port), podPorts: known.join(',')});
        }
      } else if (server.spec.externalWorkloadSelector) {
        const selector = server.spec.externalWorkloadSelector;
        const workloads = ctx.objects.select('externalworkloads.workload.linkerd.io', ns, selector);
        if (workloads.length === 0) {
          report(server, `externalWorkloadSelector {${selectorText(selector) || 'all'}} matches no ExternalWorkload in ${ns}: its policy applies to nothing`, {selector: selectorText(selector), port: String(port)});
          continue;
        }
        const hasPort = workloads.some((w) => (w.spec.ports ?? []).some((p) => (typeof port === 'number' ? p.port === port : p.name === port)));
        if (!hasPort && !isProxyPort(port)) report(server, `names port ${port}, which no selected ExternalWorkload lists`, {selector: selectorText(selector), port: String(port)});
      }
    }
    return findings;
  },
});
