/**
 * The oldest Gateway API bundle (the CRD's `gateway.networking.k8s.io/bundle-version` annotation) each
 * Istio release accepts per CRD. istiod's CRD watcher filters out a CRD below its minimum — or one
 * without the annotation — so resources of that kind are never processed (istio/istio
 * pkg/kube/kclient/crdwatcher.go minimumVersionFilter; the table is minimumCRDVersions there in
 * 1.22–1.30 and pkg/config/schema/gatewayapi/minimumversions.go from 1.31). Release prereleases
 * (`v1.5.0-rc.1`) count as their release, as istiod rounds them up.
 */
import type {ParsedVersion} from '../../core/versions.js';

type Minimum = Readonly<{crd: string; bundle: readonly [number, number, number]; since: readonly [number, number]}>;

const MINIMUMS: readonly Minimum[] = [
  {crd: 'grpcroutes.gateway.networking.k8s.io', bundle: [1, 1, 0], since: [1, 22]},
  {crd: 'backendtlspolicies.gateway.networking.k8s.io', bundle: [1, 4, 0], since: [1, 28]},
  {crd: 'tlsroutes.gateway.networking.k8s.io', bundle: [1, 5, 0], since: [1, 30]},
  {crd: 'tcproutes.gateway.networking.k8s.io', bundle: [1, 6, 0], since: [1, 31]},
];

/** CRD name → minimum bundle version for this Istio version. */
export function istioGatewayApiMinimums(istio: ParsedVersion): Map<string, readonly [number, number, number]> {
  return new Map(MINIMUMS.filter((m) => istio.major > m.since[0] || (istio.major === m.since[0] && istio.minor >= m.since[1])).map((m) => [m.crd, m.bundle]));
}

/** `v1.3.0`, `1.5.0-rc.1` → [1, 3, 0]; undefined when not a version. */
export function parseBundleVersion(text: string | undefined): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return m ? [+m[1], +m[2], +m[3]] : undefined;
}

export function bundleBelow(a: readonly [number, number, number], b: readonly [number, number, number]): boolean {
  return a[0] - b[0] < 0 || (a[0] === b[0] && (a[1] - b[1] < 0 || (a[1] === b[1] && a[2] < b[2])));
}
