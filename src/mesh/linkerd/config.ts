/**
 * The `linkerd-config` ConfigMap: its `values` key holds the Helm values the control plane was
 * installed with (clusterNetworks, identity issuer scheme, trust anchors, cniEnabled…).
 */
import {parse} from 'yaml';
import type {ConfigMap} from '../../core/kube-types/index.js';

export type LinkerdValues = Readonly<{
  clusterNetworks?: string;
  clusterDomain?: string;
  identityTrustDomain?: string;
  identityTrustAnchorsPEM?: string;
  cniEnabled?: boolean;
  identity?: Readonly<{externalCA?: boolean; issuer?: Readonly<{scheme?: string}>}>;
  [key: string]: unknown;
}>;

/** Parsed `values`; an empty object when absent or unparsable (callers report what they need). */
export function linkerdValues(config: ConfigMap | undefined): LinkerdValues {
  const text = config?.data?.values;
  if (!text) return {};
  try {
    const value = parse(text, {maxAliasCount: 50}) as unknown;
    return value && typeof value === 'object' ? (value as LinkerdValues) : {};
  } catch {
    return {};
  }
}
