/** The `/version` document for a Kubernetes version given as `1.30`, `1.30.2` or `v1.30.2`. */

export type VersionInfo = Readonly<{
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}>;

export function versionInfo(version: string): VersionInfo {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(version.trim());
  if (!m) throw new Error(`not a Kubernetes version: ${JSON.stringify(version)} (expected e.g. 1.30 or v1.30.2)`);
  const [, major, minor, patch = '0', suffix] = m;
  return {
    major, minor, gitVersion: `v${major}.${minor}.${patch}${suffix}`, gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2024-01-01T00:00:00Z', goVersion: 'go1.22.0', compiler: 'gc', platform: 'linux/amd64',
  };
}
