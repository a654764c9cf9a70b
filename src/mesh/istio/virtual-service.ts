/** Walking a VirtualService: the gateways it binds to and every destination it sends traffic to. */
import type {Destination, VirtualService} from '../../core/kube-types/index.js';

/** Every gateway named by `spec.gateways` or a route match, except the implicit `mesh`. */
export function gatewayRefs(vs: VirtualService): string[] {
  const refs = new Set<string>(vs.spec.gateways ?? []);
  for (const route of [...(vs.spec.http ?? []), ...(vs.spec.tls ?? []), ...(vs.spec.tcp ?? [])]) {
    for (const m of route.match ?? []) for (const g of m.gateways ?? []) refs.add(g);
  }
  refs.delete('mesh');
  return [...refs];
}

/** `<ns>/<name>` or `<name>` (relative to the VirtualService) → [namespace, name]. */
export function splitGatewayRef(ref: string, vsNamespace: string): [string, string] {
  const slash = ref.indexOf('/');
  return slash === -1 ? [vsNamespace, ref] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

export type DestinationUse = Readonly<{destination: Destination; where: string; weight?: number}>;

/** Every destination in http/tls/tcp routes, mirrors included, with where it was found. */
export function destinations(vs: VirtualService): DestinationUse[] {
  const out: DestinationUse[] = [];
  (vs.spec.http ?? []).forEach((r, i) => {
    (r.route ?? []).forEach((d, j) => out.push({destination: d.destination, where: `http[${i}].route[${j}]`, weight: d.weight}));
    if (r.mirror) out.push({destination: r.mirror, where: `http[${i}].mirror`});
    (r.mirrors ?? []).forEach((m, j) => out.push({destination: m.destination, where: `http[${i}].mirrors[${j}]`}));
  });
  for (const kind of ['tls', 'tcp'] as const) {
    (vs.spec[kind] ?? []).forEach((r, i) => (r.route ?? []).forEach((d, j) => out.push({destination: d.destination, where: `${kind}[${i}].route[${j}]`, weight: d.weight})));
  }
  return out.filter((d) => d.destination && typeof d.destination.host === 'string');
}
