/** The `!yaml` and `!time` template tags used by fixtures (src/sim/manifest-template.ts). */
import {parse} from 'yaml';
import {describe, expect, test} from 'vitest';
import {renderManifestTemplate} from '../../../src/sim/manifest-template.js';

describe('manifest template tags', () => {
  test('!yaml renders a mapping as YAML text, certificate tags inside included', async () => {
    const {objects} = await renderManifestTemplate(`apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: !yaml
    clusterNetworks: "10.0.0.0/8"
    identityTrustAnchorsPEM: !cert {id: root, cn: root.linkerd.cluster.local, ca: true}
    identity: {issuer: {scheme: linkerd.io/tls}}
  ca-bundle.crt: !cert {ref: root}
`);
    const data = (objects[0] as unknown as {data: Record<string, string>}).data;
    const values = parse(data.values);
    expect(values.identityTrustAnchorsPEM).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(values.identityTrustAnchorsPEM).toBe(data['ca-bundle.crt']);
    expect(values.identity.issuer.scheme).toBe('linkerd.io/tls');
    expect(values.clusterNetworks).toBe('10.0.0.0/8');
  });

  test('!time gives an RFC 3339 instant relative to the load time', async () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const {objects} = await renderManifestTemplate(`apiVersion: v1
kind: Pod
metadata: {name: p, creationTimestamp: !time -2h}
spec: {containers: []}
status: {startTime: !time -0.5m, at: !time now}
`, now);
    const pod = objects[0] as unknown as {metadata: {creationTimestamp: string}; status: {startTime: string; at: string}};
    expect(pod.metadata.creationTimestamp).toBe('2026-05-01T10:00:00Z');
    expect(pod.status.startTime).toBe('2026-05-01T11:59:30Z');
    expect(pod.status.at).toBe('2026-05-01T12:00:00Z');
  });
});
