/**
 * MD4105 — a DestinationRule originates TLS (mode SIMPLE or MUTUAL) without verifying the server's
 * certificate (IST0128 at host level, IST0129 at port level). Any endpoint that answers — or anyone
 * on the path — is trusted.
 *
 * Deliberately different from upstream, because istiod changed under the analyzer: istioctl reports
 * every SIMPLE/MUTUAL setting without `caCertificates` (or with `credentialName` but no
 * `workloadSelector`). Since Istio 1.21 (VERIFY_CERTIFICATE_AT_CLIENT on by default, and the flag
 * removed later), istiod fills an empty `caCertificates` with the proxy's system trust store
 * (pilot/pkg/networking/core/cluster_tls.go: CaCertificatePath defaults to "system"), so the
 * server *is* verified. meshdoctor therefore reports:
 * - `insecureSkipVerify: true` with SIMPLE/MUTUAL, on any version (verification switched off);
 * - the upstream rule (no CA, or a credential without a selector) only when an istiod revision older
 *   than 1.21 is running, where it is still true.
 * It also reads subset-level traffic policies, which the upstream analyzer skips.
 */
import type {ClientTLSSettings, DestinationRule, FindingDraft, TrafficPolicy} from '../../src/core/index.js';
import {defineCheck, parseSemverTag, subjectOf} from '../../src/core/index.js';

type Site = Readonly<{where: string; tls: ClientTLSSettings}>;

/** Every TLS setting of a traffic policy: host level, then each port. */
function* policySites(policy: TrafficPolicy | undefined, prefix: string): Generator<Site> {
  if (!policy) return;
  if (policy.tls) yield {where: prefix || 'host', tls: policy.tls};
  for (const setting of policy.portLevelSettings ?? []) {
    if (setting.tls) yield {where: `${prefix ? `${prefix} ` : ''}port ${setting.port?.number ?? setting.port?.name ?? '?'}`, tls: setting.tls};
  }
}

function* sites(dr: DestinationRule): Generator<Site> {
  yield* policySites(dr.spec.trafficPolicy, '');
  for (const subset of dr.spec.subsets ?? []) yield* policySites(subset.trafficPolicy, `subset ${subset.name}`);
}

/** True when some running istiod revision predates 1.21 (no system-trust-store default there). */
function hasPre121Revision(versions: readonly (string | undefined)[]): boolean {
  return versions.some((v) => {
    const parsed = parseSemverTag(v);
    return parsed !== undefined && parsed.major === 1 && parsed.minor < 21;
  });
}

export default defineCheck({
  id: 'MD4105',
  slug: 'istio-dr-tls-unverified',
  title: 'DestinationRules that originate TLS verify the server certificate',
  block: 'security',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['destinationrules.networking.istio.io']},
  anchor: 'IST0128, IST0129',
  *evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const legacy = hasPre121Revision([istio?.version, ...(istio?.revisions ?? []).map((r) => r.version)]);
    for (const dr of ctx.objects.list('destinationrules.networking.istio.io')) {
      const hasSelector = dr.spec.workloadSelector !== undefined;
      const problems: string[] = [];
      for (const {where, tls} of sites(dr)) {
        const mode = (tls.mode ?? '').toUpperCase();
        if (mode !== 'SIMPLE' && mode !== 'MUTUAL') continue;
        if (tls.insecureSkipVerify === true) {
          problems.push(`${where}: ${mode} with insecureSkipVerify`);
          continue;
        }
        const ca = Boolean(tls.caCertificates);
        const credential = Boolean(tls.credentialName) && hasSelector;
        if (legacy && !ca && !credential) problems.push(`${where}: ${mode} without caCertificates (istiod before 1.21 does not verify then)`);
      }
      if (problems.length === 0) continue;
      const host = dr.spec.host;
      const draft: FindingDraft = {
        subject: subjectOf(dr),
        message: `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name} originates TLS to ${host} without verifying the server certificate — ${problems.join('; ')}`,
        evidence: {host, settings: problems.length, first: problems[0]},
      };
      yield draft;
    }
  },
});
