/**
 * Labels Istio gives a pod's endpoint beyond the pod's own (istio/istio pilot/pkg/serviceregistry/util/
 * label/label.go AugmentLabels): locality from its Node's `topology.kubernetes.io/region`, `…/zone`
 * and `topology.istio.io/subzone`, the Node's name as `kubernetes.io/hostname`, and the mesh's cluster
 * and network as `topology.istio.io/cluster` / `topology.istio.io/network`. DestinationRule subsets
 * select on these like on pod labels.
 */
import type {Labels, Node, Pod} from '../../core/kube-types/index.js';

export const REGION = 'topology.kubernetes.io/region';
export const ZONE = 'topology.kubernetes.io/zone';
export const SUBZONE = 'topology.istio.io/subzone';
export const HOSTNAME = 'kubernetes.io/hostname';
/** From the mesh's multi-cluster settings, which meshdoctor does not read: subsets keyed on them are not judged. */
export const MESH_TOPOLOGY = ['topology.istio.io/cluster', 'topology.istio.io/network'] as const;
/** Keys whose value comes from the pod's Node. */
export const NODE_TOPOLOGY = [REGION, ZONE, SUBZONE, HOSTNAME] as const;

export function usesNodeTopology(labels: Labels): boolean {
  return NODE_TOPOLOGY.some((k) => k in labels);
}

export function usesMeshTopology(labels: Labels): boolean {
  return MESH_TOPOLOGY.some((k) => k in labels);
}

/**
 * The pod's labels as its endpoint carries them, or undefined when they depend on a Node that is not
 * known (no nodeName yet, or the Node was not read).
 */
export function endpointLabels(pod: Pod, node: Node | undefined): Labels | undefined {
  const own = pod.metadata.labels ?? {};
  if (!pod.spec.nodeName || !node) return undefined;
  const out: Record<string, string> = {...own};
  const nodeLabels = node.metadata.labels ?? {};
  for (const key of [REGION, ZONE, SUBZONE]) {
    const value = nodeLabels[key];
    if (value) out[key] = value;
  }
  out[HOSTNAME] = pod.spec.nodeName;
  return out;
}
