/**
 * MD2204 — the Linkerd viz extension is installed but one of its Deployments has no available
 * replica, or the tap APIService is not Available. Dashboards, `linkerd viz stat/tap/top` and the
 * metrics meshdoctor reads through viz's Prometheus stop working. Prometheus is not expected when
 * the viz namespace names an external one (`viz.linkerd.io/external-prometheus`).
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, notApplicable, subjectOf} from '../../src/core/index.js';
import {EXTERNAL_PROMETHEUS_ANNOTATION, TAP_APISERVICE, VIZ_DEPLOYMENTS} from '../../src/mesh/linkerd/components.js';
import {podProblem, podReady} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2204',
  slug: 'linkerd-viz-not-ready',
  title: 'the Linkerd viz extension Deployments are available and the tap API is served',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {
    kinds: ['namespaces', 'deployments.apps'],
    optionalKinds: ['apiservices.apiregistration.k8s.io', 'pods'],
  },
  anchor: 'l5d-viz-pods-running, l5d-tap-api, l5d-viz-prometheus',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const vizNs = linkerd.extensions?.viz;
    if (!vizNs) return notApplicable('the Linkerd viz extension is not installed (no namespace labelled linkerd.io/extension=viz)');
    const ns = ctx.objects.get('namespaces', undefined, vizNs);
    const external = ns?.metadata.annotations?.[EXTERNAL_PROMETHEUS_ANNOTATION];
    const graceMs = ctx.thresholds(vizNs).grace.statusSeconds * 1000;
    const young = (created: string | undefined) => created !== undefined && ctx.now.getTime() - Date.parse(created) < graceMs;
    const findings: FindingDraft[] = [];
    for (const name of VIZ_DEPLOYMENTS) {
      if (name === 'prometheus' && external) continue;
      const d = ctx.objects.get('deployments.apps', vizNs, name);
      if (!d || d.spec.replicas === 0 || (d.status?.availableReplicas ?? 0) > 0 || young(d.metadata.creationTimestamp)) continue;
      const pods = d.spec.selector ? ctx.objects.select('pods', vizNs, d.spec.selector).filter((p) => !podReady(p)) : [];
      findings.push({
        subject: subjectOf(d),
        message: `viz Deployment ${vizNs}/${name} has no available replica${pods.length ? ` (${nameList(pods.map(podProblem), 3)})` : ''}`,
        evidence: {desired: d.spec.replicas ?? 1, available: d.status?.availableReplicas ?? 0, pods: nameList(pods.map((p) => p.metadata.name)) || null},
      });
    }
    const tap = ctx.objects.get('deployments.apps', vizNs, 'tap');
    const api = ctx.objects.get('apiservices.apiregistration.k8s.io', undefined, TAP_APISERVICE);
    if (api) {
      const available = api.status?.conditions?.find((c) => c.type === 'Available');
      if (available?.status !== 'True' && !young(api.metadata.creationTimestamp)) {
        findings.push({
          subject: subjectOf(api),
          message: `APIService ${TAP_APISERVICE} is not Available (${available ? `${available.reason ?? available.status}${available.message ? `: ${available.message}` : ''}` : 'no status'}): linkerd viz tap and top fail`,
          evidence: {status: available?.status ?? 'absent', reason: available?.reason ?? null},
        });
      }
    } else if (tap) {
      findings.push({
        subject: {kind: 'APIService', apiVersion: 'apiregistration.k8s.io/v1', name: TAP_APISERVICE},
        message: `APIService ${TAP_APISERVICE} does not exist although viz runs tap: linkerd viz tap and top fail`,
        evidence: {status: 'absent'},
      });
    }
    return findings;
  },
});
