/**
 * How OSM reads a Service hostname such as a TrafficSplit's `spec.service` (OSM v1.2, pkg/k8s/util.go
 * splitHostName): the port is cut off; `svc` → svc; `a.b` → service a in namespace b when b is a
 * namespace, else subdomain a of service b; `a.b.c` → a when c is `svc` or not a namespace, else b
 * (`pod.service.namespace`); four labels `pod.service.namespace.svc` → the second; five
 * `service.namespace.svc.cluster.local` → the first; six → the second. OSM then looks the name up in
 * the TrafficSplit's own namespace, whatever namespace the hostname names.
 */

/** The Service name OSM takes from `host`; `isNamespace` tells whether a label names a namespace (undefined: not known). */
export function osmServiceFromHostname(host: string, isNamespace: (name: string) => boolean | undefined): string {
  const labels = host.split(':')[0].split('.');
  switch (labels.length) {
    case 1:
      return labels[0];
    case 2:
      // service.namespace unless the second label is known not to be a namespace (subdomain.service).
      return isNamespace(labels[1]) === false ? labels[1] : labels[0];
    case 3:
      if (labels[2] === 'svc') return labels[0];
      return isNamespace(labels[2]) === true ? labels[1] : labels[0];
    case 4:
    case 6:
      return labels[1];
    default:
      return labels[0];
  }
}
