/**
 * Every mesh at once on one fixture API server: Bookinfo on Istio, emojivoto on Linkerd, a Consul
 * app and the OSM bookstore, with a CRD for every kind meshdoctor reads so that all of them are
 * served. Used by the reliability tests (RBAC matrix, faults, secrets).
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {KubeObject} from '../../src/core/index.js';
import {RESOURCE_TYPES} from '../../src/core/index.js';
import type {FixtureApiServerOptions} from '../../src/sim/api-server/index.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {clusterText} from './catalog.js';

export const RICH_CLUSTER_FILES = ['_base/bookinfo.yaml', '_base/linkerd-healthy.yaml', '_base/emojivoto.yaml', '_base/consul-healthy.yaml', '_base/osm-bookstore.yaml'];

export function crdsForEveryKind(existing: readonly KubeObject[]): KubeObject[] {
  const have = new Set(existing.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name));
  return RESOURCE_TYPES.filter((t) => !t.builtin && !have.has(t.key)).map((t) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: t.key},
    spec: {group: t.group, names: {kind: t.kind, plural: t.plural}, scope: t.namespaced ? 'Namespaced' : 'Cluster', versions: t.versions.map((v, i) => ({name: v, served: true, storage: i === 0}))},
  }));
}

export async function richClusterObjects(extra = ''): Promise<KubeObject[]> {
  const {objects} = await renderManifestTemplate(clusterText(...RICH_CLUSTER_FILES) + (extra ? `\n---\n${extra}` : ''));
  return [...objects, ...crdsForEveryKind(objects)];
}

export async function startRichCluster(options: Partial<FixtureApiServerOptions> = {}, extra = ''): Promise<{server: FixtureApiServer; kubeconfig: string; objects: KubeObject[]}> {
  const objects = await richClusterObjects(extra);
  const server = new FixtureApiServer({objects, ...options});
  await server.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-rich-')), 'kubeconfig');
  server.writeKubeconfig(kubeconfig, {context: 'rich'});
  return {server, kubeconfig, objects};
}
