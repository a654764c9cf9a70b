/**
 * `clusterNetworks` (linkerd-config values): the CIDRs Linkerd treats as in-cluster. Addresses
 * outside them are not discovered through the destination service, so traffic to them is not
 * load-balanced or mTLS'd by Linkerd. Parsing and containment via ip-address (IPv4 and IPv6).
 */
import {Address4, Address6} from 'ip-address';

export const DEFAULT_CLUSTER_NETWORKS = '10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,192.168.0.0/16,fd00::/8';

type Net = Address4 | Address6;

export type Networks = Readonly<{nets: readonly Net[]; invalid: readonly string[]; text: string}>;

function parse(text: string): Net | undefined {
  const t = text.trim();
  try {
    if (Address4.isValid(t)) return new Address4(t);
    if (Address6.isValid(t)) return new Address6(t);
  } catch {
    return undefined;
  }
  return undefined;
}

export function parseNetworks(text: string | undefined): Networks {
  const source = text && text.trim() ? text : DEFAULT_CLUSTER_NETWORKS;
  const nets: Net[] = [];
  const invalid: string[] = [];
  for (const part of source.split(',').map((s) => s.trim()).filter(Boolean)) {
    const net = parse(part);
    if (net) nets.push(net);
    else invalid.push(part);
  }
  return {nets, invalid, text: source};
}

/** Whether an address or CIDR lies wholly inside one of the networks; undefined when it is not an address. */
export function covered(networks: Networks, addressOrCidr: string): boolean | undefined {
  const a = parse(addressOrCidr);
  if (!a) return undefined;
  return networks.nets.some((n) => n.v4 === a.v4 && a.isInSubnet(n as never));
}
