/**
 * Which workloads the golden-metrics view lists, from a snapshot: the top owners (D4) of the
 * meshed pods in scope, with their pod counts and the Services that select them. Pure.
 */
import type {WorkloadRef} from '../../core/golden.js';
import type {LabelSelector, Pod, Service} from '../../core/kube-types/index.js';
import {matchesSelector} from '../../core/selectors.js';
import type {MeshName, Subject} from '../../core/types.js';
import {proxyMeshes} from '../../mesh/markers.js';

export type InventoryInput = Readonly<{
  pods: readonly Pod[];
  services: readonly Service[];
  ownerOf(pod: Pod): Subject;
  includes(namespace: string): boolean;
  /** `-l`: only workloads with at least one pod whose labels match (their counts stay whole). */
  selector?: LabelSelector;
}>;

function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function workloadInventory(input: InventoryInput): WorkloadRef[] {
  const out = new Map<string, {ref: {-readonly [K in keyof WorkloadRef]: WorkloadRef[K]}; services: Set<string>; selected: boolean}>();
  const servicesByNs = new Map<string, Service[]>();
  for (const s of input.services) {
    const ns = s.metadata.namespace ?? 'default';
    servicesByNs.set(ns, [...(servicesByNs.get(ns) ?? []), s]);
  }
  for (const pod of input.pods) {
    const ns = pod.metadata.namespace ?? 'default';
    const phase = pod.status?.phase;
    if (!input.includes(ns) || phase === 'Succeeded' || phase === 'Failed') continue;
    const owner = input.ownerOf(pod);
    const key = `${ns}/${owner.name}`;
    const mesh = proxyMeshes(pod)[0] as MeshName | undefined;
    let entry = out.get(key);
    if (!entry) {
      entry = {ref: {namespace: ns, workload: owner.name, kind: owner.kind, mesh: mesh ?? 'istio', pods: 0, meshedPods: 0}, services: new Set(), selected: !input.selector};
      out.set(key, entry);
    }
    if (input.selector && matchesSelector(pod.metadata.labels, input.selector)) entry.selected = true;
    entry.ref.pods = (entry.ref.pods ?? 0) + 1;
    if (mesh) {
      entry.ref.meshedPods = (entry.ref.meshedPods ?? 0) + 1;
      entry.ref.mesh = mesh;
    }
    for (const svc of servicesByNs.get(ns) ?? []) if (selects(svc.spec?.selector, pod.metadata.labels)) entry.services.add(`${ns}/${svc.metadata.name}`);
  }
  return [...out.values()]
    .filter((e) => (e.ref.meshedPods ?? 0) > 0 && e.selected)
    .map((e) => ({...e.ref, services: [...e.services].sort()}));
}
