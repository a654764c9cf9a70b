/**
 * The legacy discovery documents (/api, /apis, /apis/<g>/<v>). kubectl asks for aggregated discovery
 * first but falls back to these when the response's Content-Type is plain `application/json`.
 */
import type {ServedResource, ServedResources} from './served-resources.js';

export type SubresourceNames = ReadonlyMap<string, readonly string[]>;

export function apiVersionsDocument(serverAddress: string): unknown {
  return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]};
}

function groupDocument(served: ServedResources, group: string): unknown {
  const versions = (served.versionsOf(group) ?? []).map((version) => ({groupVersion: `${group}/${version}`, version}));
  return {name: group, versions, preferredVersion: versions[0]};
}

export function apiGroupListDocument(served: ServedResources): unknown {
  return {kind: 'APIGroupList', apiVersion: 'v1', groups: served.groups().map((g) => groupDocument(served, g))};
}

export function apiGroupDocument(served: ServedResources, group: string): unknown {
  return {kind: 'APIGroup', apiVersion: 'v1', ...(groupDocument(served, group) as object)};
}

function resourceEntry(r: ServedResource): unknown {
  return {
    name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind,
    verbs: ['get', 'list', 'watch'],
    ...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
    ...(r.categories.length ? {categories: r.categories} : {}),
  };
}

/** `subresources` maps a resource key to its registered subresource names (`proxy`, `portforward`…). */
export function apiResourceListDocument(served: ServedResources, group: string, version: string, subresources: SubresourceNames): unknown {
  const resources: unknown[] = [];
  for (const r of served.resourcesIn(group, version)) {
    resources.push(resourceEntry(r));
    for (const sub of subresources.get(r.key) ?? []) {
      resources.push({name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get']});
    }
  }
  return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources};
}
