/**
 * `config.linkerd.io/opaque-ports`: a comma-separated list of port numbers, `a-b` ranges and (on
 * pods) container port names. A port without the annotation falls back to the namespace's, then to
 * the cluster default (`proxy.opaquePorts` in linkerd-config values).
 */
export const OPAQUE_PORTS_ANNOTATION = 'config.linkerd.io/opaque-ports';
export const DEFAULT_OPAQUE_PORTS = '25,587,3306,4444,5432,6379,9300,11211';

export type PortSpec = Readonly<{ranges: readonly (readonly [number, number])[]; names: ReadonlySet<string>; text: string}>;

export function parsePortSpec(text: string): PortSpec {
  const ranges: [number, number][] = [];
  const names = new Set<string>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) ranges.push([Number(range[1]), Number(range[2])]);
    else if (/^\d+$/.test(part)) ranges.push([Number(part), Number(part)]);
    else names.add(part);
  }
  return {ranges, names, text};
}

export function specIncludes(spec: PortSpec, port: number, name?: string): boolean {
  if (spec.ranges.some(([lo, hi]) => port >= lo && port <= hi)) return true;
  return name !== undefined && spec.names.has(name);
}
