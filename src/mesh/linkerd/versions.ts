/**
 * Linkerd release facts keyed by version. Edge releases are numbered by date (edge-YY.M.N);
 * stable/enterprise releases by 2.X. Linkerd 2.18 (April 2025, edge-25.4.x) was the first
 * release that requires the Gateway API CRDs to be installed (linkerd.io/2.18/features/gateway-api:
 * "Linkerd requires that the Gateway API be installed on your cluster before Linkerd can be
 * installed"); earlier releases installed and owned them.
 */
import type {ParsedVersion} from '../../core/versions.js';

/** Whether this Linkerd version reads its routes from gateway.networking.k8s.io and needs its CRDs; undefined when the version is unknown. */
export function requiresGatewayApi(version: ParsedVersion | undefined): boolean | undefined {
  if (!version) return undefined;
  if (version.channel === 'edge') return version.major > 25 || (version.major === 25 && version.minor >= 4);
  return version.major > 2 || (version.major === 2 && version.minor >= 18);
}
