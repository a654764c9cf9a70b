/**
 * Istio's MeshConfig, as istiod reads it: the `mesh` key of ConfigMap `istio` in the control-plane
 * namespace (YAML). Only what checks need: the proxy defaults (`defaultConfig`).
 */
import {parse} from 'yaml';
import type {ConfigMap} from '../../core/kube-types/index.js';

export type MeshConfig = Readonly<{
  defaultConfig?: Readonly<{proxyMetadata?: Readonly<Record<string, unknown>>}>;
  [key: string]: unknown;
}>;

/** Parsed `mesh`; an empty object when absent or unparsable. */
export function istioMeshConfig(config: ConfigMap | undefined): MeshConfig {
  const text = config?.data?.mesh;
  if (typeof text !== 'string' || text === '') return {};
  try {
    const value = parse(text, {maxAliasCount: 50}) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as MeshConfig) : {};
  } catch {
    return {};
  }
}

function metadataFlag(mesh: MeshConfig, key: string): boolean {
  const md = mesh.defaultConfig?.proxyMetadata;
  return md !== null && typeof md === 'object' && String((md as Record<string, unknown>)[key]) === 'true';
}

/**
 * Proxies answer DNS for ServiceEntry hosts with an allocated virtual IP: DNS capture on, plus
 * auto-allocation (the proxy-side ISTIO_META_DNS_AUTO_ALLOCATE, or PILOT_ENABLE_IP_AUTOALLOCATE) —
 * the condition istio/istio pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go reads.
 */
export function dnsAutoAllocation(mesh: MeshConfig): boolean {
  return metadataFlag(mesh, 'ISTIO_META_DNS_CAPTURE') && (metadataFlag(mesh, 'ISTIO_META_DNS_AUTO_ALLOCATE') || metadataFlag(mesh, 'PILOT_ENABLE_IP_AUTOALLOCATE'));
}
