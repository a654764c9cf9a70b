/** docs/rules.md D9: versions from image tags (digest stripped); unparsable → undefined ("unknown"). */

export type ParsedVersion = Readonly<{text: string; major: number; minor: number; patch: number; channel?: 'edge' | 'stable'}>;

/** The tag of an image reference, without registry, repository or digest. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : noDigest.slice(colon + 1);
}

/** Istio-style `X.Y.Z` at the start of a tag (`1.22.3-distroless` → 1.22.3). */
export function parseSemverTag(tag: string | undefined): ParsedVersion | undefined {
  if (!tag) return undefined;
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (!m) return undefined;
  return {text: `${m[1]}.${m[2]}.${m[3]}`, major: +m[1], minor: +m[2], patch: +m[3]};
}

/** Linkerd tags: `edge-YY.M.N`, `stable-X.Y.Z`, or `X.Y.Z` (enterprise). */
export function parseLinkerdTag(tag: string | undefined): ParsedVersion | undefined {
  if (!tag) return undefined;
  const edge = /^edge-(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (edge) return {text: `edge-${edge[1]}.${edge[2]}.${edge[3]}`, major: +edge[1], minor: +edge[2], patch: +edge[3], channel: 'edge'};
  const stable = /^stable-(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (stable) return {text: `stable-${stable[1]}.${stable[2]}.${stable[3]}`, major: +stable[1], minor: +stable[2], patch: +stable[3], channel: 'stable'};
  return parseSemverTag(tag);
}

export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
