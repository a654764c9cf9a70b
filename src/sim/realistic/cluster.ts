/**
 * A realistic cluster for benchmarks and scale runs: the demo's cluster basics and mesh control
 * plane (scenarios/_shared/, the same objects `meshdoctor demo` serves, certificates generated
 * now) plus `realisticWorkloads` — real-sized, injected application pods with their controllers,
 * Services and mesh configuration. Healthy by construction but for the planted faults
 * (`faultShare`), so a check run does real work and reports only those.
 */
import {createHash, X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {KubeObject} from '../../core/kube-types/index.js';
import {scenariosRoot} from '../demo/catalog.js';
import {endpointSlices} from '../demo/world.js';
import {renderManifestTemplate} from '../manifest-template.js';
import {realisticWorkloads, type RealisticMesh, type WorkloadOptions} from './workloads.js';

export type RealisticClusterOptions = Omit<WorkloadOptions, 'meshVersion' | 'rootCertPem' | 'trustAnchorsPem' | 'trustRootSha256'>;

const ISTIO_VERSION = '1.27.1';
const LINKERD_VERSION = 'edge-25.8.1';

/**
 * Istio's plugged-in CA (`istio-system/cacerts`) for a simulated cluster, its CNs starting with
 * `name`: long-lived, so no expiry findings. The shared control plane refers to it; each demo
 * scenario defines its own.
 */
export function istioCacerts(name: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: cacerts, namespace: istio-system}
type: Opaque
data:
  root-cert.pem: !cert {id: mesh-root, cn: ${name} Root CA, ca: true, notBefore: -700d, notAfter: +3000d, format: base64}
  ca-cert.pem: !cert {id: mesh-intermediate, cn: ${name} Istio Intermediate CA, ca: true, issuer: mesh-root, notBefore: -30d, notAfter: +700d, format: base64}
  ca-key.pem: !key {ref: mesh-intermediate, format: base64}
  cert-chain.pem: !bundle {refs: [mesh-intermediate, mesh-root], format: base64}
`;
}

/** The CA material each control plane needs and the scenarios define themselves (long-lived here: no expiry findings). */
const CERTIFICATES: Readonly<Record<RealisticMesh, string>> = {
  istio: istioCacerts('Bench'),
  linkerd: `apiVersion: v1
kind: Secret
metadata: {name: linkerd-identity-issuer, namespace: linkerd, labels: {linkerd.io/control-plane-component: identity, linkerd.io/control-plane-ns: linkerd}}
type: Opaque
data:
  crt.pem: !cert {id: l5d-issuer, cn: identity.linkerd.cluster.local, ca: true, issuer: l5d-root, notBefore: -30d, notAfter: +300d, format: base64}
  key.pem: !key {ref: l5d-issuer, format: base64}
`,
};

const CONTROL_PLANE: Readonly<Record<RealisticMesh, string>> = {istio: 'istio-control-plane.yaml', linkerd: 'linkerd-control-plane.yaml'};

export async function realisticCluster(options: RealisticClusterOptions): Promise<KubeObject[]> {
  const now = options.now ?? new Date();
  const shared = join(scenariosRoot(), '_shared');
  const text = [readFileSync(join(shared, 'cluster.yaml'), 'utf8'), readFileSync(join(shared, CONTROL_PLANE[options.mesh]), 'utf8'), CERTIFICATES[options.mesh]].join('\n---\n');
  const {objects: controlPlane, certs} = await renderManifestTemplate(text, now);
  const root = certs.get(options.mesh === 'istio' ? 'mesh-root' : 'l5d-root')!;
  const workloads = realisticWorkloads({
    ...options,
    now,
    meshVersion: options.mesh === 'istio' ? ISTIO_VERSION : LINKERD_VERSION,
    ...(options.mesh === 'istio'
      ? {rootCertPem: root.pem}
      : {trustAnchorsPem: root.pem, trustRootSha256: createHash('sha256').update(new X509Certificate(root.pem).raw).digest('hex')}),
  });
  return [...controlPlane, ...endpointSlices(controlPlane, now), ...workloads];
}
