/**
 * OSM enrolment (openservicemesh/osm): a namespace is monitored by the mesh named in
 * its label `openservicemesh.io/monitored-by` (default mesh name `osm`, the osm-controller's
 * `--mesh-name`); pods are injected when the namespace (or pod) is annotated
 * `openservicemesh.io/sidecar-injection: enabled`; `openservicemesh.io/ignore` opts out entirely.
 */
import type {ObjectReader} from '../../core/check.js';
import type {KubeObject, OsmMeshConfig, Pod} from '../../core/kube-types/index.js';
import type {RunMode} from '../../core/types.js';
import {proxyContainer} from '../markers.js';
import {osmMeshName} from './detect.js';

export const MONITORED_BY = 'openservicemesh.io/monitored-by';
export const SIDECAR_INJECTION = 'openservicemesh.io/sidecar-injection';
export const METRICS_ANNOTATION = 'openservicemesh.io/metrics';
export const IGNORE_LABEL = 'openservicemesh.io/ignore';
export const MESH_CONFIG = 'osm-mesh-config';
export const CONTROL_PLANE_APPS = ['osm-controller', 'osm-injector', 'osm-bootstrap'] as const;

/** Mesh names of every osm-controller Deployment (its `--mesh-name`, default `osm`). */
export function installedMeshNames(objects: ObjectReader): Set<string> {
  const names = new Set<string>();
  for (const d of objects.select('deployments.apps', undefined, {app: 'osm-controller'})) {
    const c = d.spec.template.spec.containers.find((x) => x.name === 'osm-controller') ?? d.spec.template.spec.containers[0];
    names.add(osmMeshName(c?.args));
  }
  return names;
}

export function monitored(ns: KubeObject | undefined): boolean {
  return ns?.metadata.labels?.[MONITORED_BY] !== undefined && ns.metadata.labels?.[IGNORE_LABEL] === undefined;
}

export function injectionEnabled(ns: KubeObject | undefined): boolean {
  return ns?.metadata.annotations?.[SIDECAR_INJECTION] === 'enabled';
}

/** A pod in OSM's data plane: it runs the envoy sidecar, or (pod templates in a manifest run) OSM will inject it. */
export function osmDataPlanePod(pod: Pod, ns: KubeObject | undefined, mode: RunMode): boolean {
  if (proxyContainer(pod, 'osm')) return true;
  if (mode !== 'manifests') return false;
  if (pod.metadata.annotations?.[SIDECAR_INJECTION] === 'disabled') return false;
  return monitored(ns) && (injectionEnabled(ns) || pod.metadata.annotations?.[SIDECAR_INJECTION] === 'enabled');
}

/** `spec.traffic.enablePermissiveTrafficPolicyMode`, true by default. */
export function permissiveMode(config: OsmMeshConfig | undefined): boolean {
  return config?.spec.traffic?.enablePermissiveTrafficPolicyMode !== false;
}
