/**
 * ServiceProfiles are looked up by the fully qualified name of the destination Service,
 * `<svc>.<ns>.svc.<clusterDomain>`: a profile in the Service's namespace is server-side, one in a
 * client's namespace applies to that client only. Any other name is never served.
 */
export type ProfileTarget = Readonly<{service: string; namespace: string}>;

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** The Service a profile name designates, or undefined when the name is not `<svc>.<ns>.svc.<clusterDomain>`. */
export function profileTarget(name: string, clusterDomain: string): ProfileTarget | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!name.endsWith(suffix)) return undefined;
  const head = name.slice(0, -suffix.length);
  const m = new RegExp(`^(${LABEL})\\.(${LABEL})$`).exec(head);
  return m ? {service: m[1], namespace: m[3]} : undefined;
}

export function profileName(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/** An authority (`host[:port]`) as dstOverrides write it, reduced to the in-cluster Service it names. */
export function authorityTarget(authority: string, clusterDomain: string): ProfileTarget | undefined {
  const host = authority.replace(/:\d+$/, '');
  return profileTarget(host, clusterDomain);
}
