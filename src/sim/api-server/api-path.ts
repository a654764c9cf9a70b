/** Request paths of the Kubernetes API, parsed into what they address (apiserver's RequestInfo, reduced). */

export type ResourcePath = Readonly<{
  type: 'resource';
  group: string;
  version: string;
  /** The legacy `/watch/` path prefix. */
  watchPrefix: boolean;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** What follows the subresource, still URL-encoded (`/metrics` in `pods/x/proxy/metrics`). */
  subpath: string;
}>;

export type ApiPath =
  | Readonly<{type: 'version' | 'health' | 'openapi' | 'api' | 'apis' | 'unknown'}>
  | Readonly<{type: 'group'; group: string}>
  | Readonly<{type: 'groupVersion'; group: string; version: string}>
  | ResourcePath;

function resourcePath(group: string, version: string, raw: string[], trailingSlash: boolean): ApiPath {
  let rest = raw;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/<ns>/<resource>…`; `namespaces` and `namespaces/<name>` address Namespace objects.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decodeURIComponent(rest[1]);
    rest = rest.slice(2);
  }
  if (rest.length === 0) return {type: 'unknown'};
  const [resource, name, subresource] = rest.slice(0, 3).map(decodeURIComponent);
  const subpath = rest.length > 3 ? `/${rest.slice(3).join('/')}${trailingSlash ? '/' : ''}` : trailingSlash && subresource ? '/' : '';
  return {type: 'resource', group, version, watchPrefix, namespace, resource, name, subresource, subpath};
}

export function parseApiPath(pathname: string): ApiPath {
  const trailingSlash = pathname.length > 1 && pathname.endsWith('/');
  const segments = pathname.split('/').filter((s) => s !== '');
  try {
    const [root, a, b] = segments;
    if (segments.length === 1 && root === 'version') return {type: 'version'};
    if (segments.length === 1 && (root === 'healthz' || root === 'livez' || root === 'readyz')) return {type: 'health'};
    if (root === 'openapi') return {type: 'openapi'};
    if (root === 'api') {
      if (segments.length === 1) return {type: 'api'};
      if (segments.length === 2) return {type: 'groupVersion', group: '', version: a};
      return resourcePath('', a, segments.slice(2), trailingSlash);
    }
    if (root === 'apis') {
      if (segments.length === 1) return {type: 'apis'};
      if (segments.length === 2) return {type: 'group', group: a};
      if (segments.length === 3) return {type: 'groupVersion', group: a, version: b};
      return resourcePath(a, b, segments.slice(3), trailingSlash);
    }
  } catch {
    // A malformed %-escape addresses nothing.
  }
  return {type: 'unknown'};
}
