/**
 * MD3005 — proxies run a different version than the control plane that configures them: usually
 * pods not restarted after an upgrade. Istio supports a data plane one minor behind istiod, Linkerd
 * expects proxies to match; skew also hides fixes the upgrade was meant to bring.
 * Istio: istio-proxy image tag (D9), else the version istiod's syncz reports, against the image of
 * the istiod Deployment of the pod's revision; when that Deployment is not in the input (a managed or
 * remote control plane, or RBAC that hides it), against the proxy image the revision's injector
 * ConfigMap (`istio-sidecar-injector[-<rev>]`, `values`: global.hub/proxy.image/tag) injects — the
 * reference upstream's IST0158 uses (istio/istio pkg/config/analysis/analyzers/injection/
 * injection-image.go). Revision tags resolve to their revision through their webhook. Linkerd: linkerd-proxy image (else the
 * `linkerd.io/proxy-version` annotation) against the proxy of the linkerd-destination pods.
 */
import type {CheckInputs, FindingDraft, ParsedVersion, Pod, Subject} from '../../src/core/index.js';
import {compareVersions, defineCheck, imageTag, nameList, parseLinkerdTag, parseSemverTag, subjectKey} from '../../src/core/index.js';
import {containerImage} from '../../src/mesh/detect-util.js';
import {istiodRevision} from '../../src/mesh/istio/detect.js';
import {connectedProxies} from '../../src/mesh/istio/syncz.js';
import {CONTROL_PLANE_COMPONENT} from '../../src/mesh/linkerd/detect.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {podActive} from '../../src/mesh/pods.js';

/** Syncz is a fallback for digest-only images: the check runs without it. */
const SYNCZ: CheckInputs = {facts: ['istioSyncz']};
/** The injector ConfigMaps (one per revision) in the Istio control-plane namespace: a fallback too. */
const INJECTOR_CONFIG: CheckInputs = {named: [{kind: 'configmaps', mesh: 'istio', where: 'control-plane'}]};

/** The version of the proxy image an injector ConfigMap's `values` injects (hub/proxyv2:tag, or a full proxy.image). */
function injectorVersion(values: string | undefined): ParsedVersion | undefined {
  if (!values) return undefined;
  let parsed: {global?: {hub?: string; tag?: unknown; proxy?: {image?: string}}};
  try {
    parsed = JSON.parse(values) as typeof parsed;
  } catch {
    return undefined;
  }
  const g = parsed?.global;
  if (!g || typeof g !== 'object') return undefined;
  const image = g.proxy?.image;
  if (typeof image === 'string' && image.includes('/')) return parseSemverTag(imageTag(image));
  return typeof g.tag === 'string' || typeof g.tag === 'number' ? parseSemverTag(String(g.tag)) : undefined;
}

type Skew = {pod: Pod; mesh: 'istio' | 'linkerd'; proxy: ParsedVersion; control: ParsedVersion; revision: string; source: string; subject: Subject};

function distance(a: ParsedVersion, b: ParsedVersion): number {
  return a.major === b.major ? Math.abs(a.minor - b.minor) : 99;
}

export default defineCheck({
  id: 'MD3005',
  slug: 'proxy-version-skew',
  title: 'proxies run the version of the control plane that configures them',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['istio', 'linkerd'],
  runtime: true,
  inputs: {kinds: ['pods', 'deployments.apps'], optionalKinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io'], anyOf: [SYNCZ, INJECTOR_CONFIG, {}]},
  anchor: 'IST0158; l5d-data-plane-version, l5d-data-plane-cli-version',
  evaluate(ctx) {
    const skews: Skew[] = [];
    if (ctx.mesh('istio')) {
      const istiodByRev = new Map<string, ParsedVersion>();
      const sourceByRev = new Map<string, string>();
      for (const d of ctx.objects.select('deployments.apps', undefined, {app: 'istiod'})) {
        const v = parseSemverTag(imageTag(containerImage(d, 'discovery')));
        const rev = istiodRevision(d.metadata.labels);
        if (v) {
          istiodByRev.set(rev, v);
          sourceByRev.set(rev, `istiod revision ${rev}`);
        }
      }
      // Without an istiod Deployment for a revision, the injector ConfigMap says what it injects.
      const istioNs = ctx.mesh('istio')?.namespace;
      if (istioNs && ctx.available(INJECTOR_CONFIG)) {
        for (const cm of ctx.objects.list('configmaps', istioNs)) {
          const name = cm.metadata.name;
          if (name !== 'istio-sidecar-injector' && !name.startsWith('istio-sidecar-injector-')) continue;
          const rev = name === 'istio-sidecar-injector' ? 'default' : name.slice('istio-sidecar-injector-'.length);
          const v = injectorVersion(cm.data?.values);
          if (v && !istiodByRev.has(rev)) {
            istiodByRev.set(rev, v);
            sourceByRev.set(rev, `the injector of revision ${rev} (ConfigMap ${istioNs}/${name})`);
          }
        }
      }
      // Tags (istio.io/tag) point at a revision through their injector webhook.
      for (const mwc of ctx.objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io')) {
        const tag = mwc.metadata.labels?.['istio.io/tag'];
        const rev = mwc.metadata.labels?.['istio.io/rev'];
        if (tag && rev && istiodByRev.has(rev) && !istiodByRev.has(tag)) {
          istiodByRev.set(tag, istiodByRev.get(rev)!);
          sourceByRev.set(tag, `${sourceByRev.get(rev)} (tag ${tag})`);
        }
      }
      let synczVersions: Map<string, string> | undefined;
      const fromSyncz = (pod: Pod): ParsedVersion | undefined => {
        if (!synczVersions) {
          synczVersions = new Map();
          const fact = ctx.available(SYNCZ) ? ctx.facts.get('istioSyncz').value : undefined;
          for (const c of fact ? connectedProxies(fact) : []) if (c.proxy.istioVersion) synczVersions.set(c.proxy.proxy, c.proxy.istioVersion);
        }
        return parseSemverTag(synczVersions.get(`${pod.metadata.name}.${pod.metadata.namespace}`));
      };
      for (const pod of ctx.objects.list('pods')) {
        const proxy = proxyContainer(pod, 'istio');
        if (!proxy || !podActive(pod)) continue;
        const revision = pod.metadata.labels?.['istio.io/rev'] || 'default';
        const control = istiodByRev.get(revision);
        if (!control) continue;
        const version = parseSemverTag(imageTag(proxy.image)) ?? fromSyncz(pod);
        if (!version || compareVersions(version, control) === 0) continue;
        skews.push({pod, mesh: 'istio', proxy: version, control, revision, source: sourceByRev.get(revision) ?? `istiod revision ${revision}`, subject: ctx.workloads.ownerOf(pod)});
      }
    }
    const linkerd = ctx.mesh('linkerd');
    if (linkerd) {
      const destination = ctx.objects.select('pods', linkerd.namespace, {[CONTROL_PLANE_COMPONENT]: 'destination'})
        .map((p) => parseLinkerdTag(imageTag(proxyContainer(p, 'linkerd')?.image)))
        .find((v) => v !== undefined);
      if (destination) {
        for (const pod of ctx.objects.list('pods')) {
          const proxy = proxyContainer(pod, 'linkerd');
          if (!proxy || !podActive(pod)) continue;
          const version = parseLinkerdTag(imageTag(proxy.image)) ?? parseLinkerdTag(pod.metadata.annotations?.['linkerd.io/proxy-version']);
          if (!version || version.text === destination.text) continue;
          skews.push({pod, mesh: 'linkerd', proxy: version, control: destination, revision: 'default', source: 'the Linkerd control plane', subject: ctx.workloads.ownerOf(pod)});
        }
      }
    }
    const findings: FindingDraft[] = [];
    const groups = new Map<string, Skew[]>();
    for (const s of skews) {
      const key = `${subjectKey(s.subject)}|${s.mesh}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const items of groups.values()) {
      const first = items[0];
      const versions = [...new Set(items.map((i) => i.proxy.text))];
      const d = Math.max(...items.map((i) => distance(i.proxy, i.control)));
      findings.push({
        subject: first.subject,
        message: `${items.length} pod(s) run ${first.mesh} proxy ${versions.join(', ')} while ${first.source} runs ${first.control.text}: ${nameList(items.map((i) => i.pod.metadata.name))}; restart them to pick up the current proxy`,
        evidence: {mesh: first.mesh, proxyVersion: versions.join(','), controlPlaneVersion: first.control.text, minorDistance: d === 99 ? null : d, revision: first.mesh === 'istio' ? first.revision : null, pods: items.length},
      });
    }
    return findings;
  },
});
