/**
 * MD2001 — an object the mesh's control plane needs is missing (a CRD, a config map, a service
 * account): usually a partial install, a failed upgrade or an over-eager cleanup. Components fail
 * in confusing ways downstream, so each missing object is reported on its own.
 */
import type {FindingDraft, MeshInfo, Subject} from '../../src/core/index.js';
import {defineCheck, notApplicable} from '../../src/core/index.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';

const CRD_API = 'apiextensions.k8s.io/v1';

const REQUIRED_CRDS: Readonly<Record<MeshInfo['name'], readonly string[]>> = {
  istio: [
    'virtualservices.networking.istio.io', 'destinationrules.networking.istio.io', 'gateways.networking.istio.io',
    'serviceentries.networking.istio.io', 'sidecars.networking.istio.io', 'peerauthentications.security.istio.io',
    'authorizationpolicies.security.istio.io', 'requestauthentications.security.istio.io',
  ],
  linkerd: [
    'serviceprofiles.linkerd.io', 'servers.policy.linkerd.io', 'serverauthorizations.policy.linkerd.io',
    'authorizationpolicies.policy.linkerd.io', 'meshtlsauthentications.policy.linkerd.io',
    'networkauthentications.policy.linkerd.io', 'httproutes.policy.linkerd.io',
  ],
  consul: [
    'servicedefaults.consul.hashicorp.com', 'serviceintentions.consul.hashicorp.com', 'servicerouters.consul.hashicorp.com',
    'servicesplitters.consul.hashicorp.com', 'serviceresolvers.consul.hashicorp.com', 'proxydefaults.consul.hashicorp.com',
  ],
  osm: [
    'meshconfigs.config.openservicemesh.io', 'traffictargets.access.smi-spec.io', 'httproutegroups.specs.smi-spec.io',
    'trafficsplits.split.smi-spec.io',
  ],
};

const LINKERD_SERVICE_ACCOUNTS = ['linkerd-destination', 'linkerd-identity', 'linkerd-proxy-injector'];

export default defineCheck({
  id: 'MD2001',
  slug: 'mesh-install-incomplete',
  title: 'every object the mesh control plane needs exists',
  block: 'control-plane',
  severity: 'error',
  meshes: 'any',
  inputs: {
    kinds: ['customresourcedefinitions.apiextensions.k8s.io'],
    optionalKinds: ['serviceaccounts', 'meshconfigs.config.openservicemesh.io'],
    named: [
      {kind: 'configmaps', mesh: 'istio', where: 'control-plane'},
      {kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config', 'linkerd-identity-trust-roots']},
    ],
  },
  anchor: 'l5d-existence-crd, l5d-existence-linkerd-config, l5d-existence-sa',
  evaluate(ctx) {
    const inCluster = ctx.meshes.filter((m) => m.controlPlane === 'in-cluster');
    if (inCluster.length === 0) return notApplicable('no in-cluster control plane (external, managed, or absent)');
    const crds = new Set(ctx.objects.list('customresourcedefinitions.apiextensions.k8s.io').map((c) => c.metadata.name));
    const findings: FindingDraft[] = [];
    const missing = (subject: Subject, mesh: MeshInfo, what: string) =>
      findings.push({subject, message: `${mesh.name} control plane in ${mesh.namespace} is missing ${what}`, evidence: {mesh: mesh.name, namespace: mesh.namespace}});

    // Files may hold part of a system (the app, not the mesh's CRDs): from files, a kind is judged
    // where the files hold some of it (a CRD of the mesh, a ConfigMap or ServiceAccount in the namespace).
    const fromFiles = ctx.mode === 'manifests';
    const holds = (kind: 'configmaps' | 'serviceaccounts', namespace: string) => !fromFiles || ctx.objects.list(kind, namespace).length > 0;
    for (const mesh of inCluster) {
      if (!fromFiles || REQUIRED_CRDS[mesh.name].some((crd) => crds.has(crd))) {
        for (const crd of REQUIRED_CRDS[mesh.name]) {
          if (!crds.has(crd)) missing({kind: 'CustomResourceDefinition', apiVersion: CRD_API, name: crd}, mesh, `CustomResourceDefinition ${crd}`);
        }
      }
      const configMap = (namespace: string, name: string) => {
        if (holds('configmaps', namespace) && !ctx.objects.get('configmaps', namespace, name)) missing({kind: 'ConfigMap', apiVersion: 'v1', namespace, name}, mesh, `ConfigMap ${namespace}/${name}`);
      };
      if (mesh.name === 'istio') {
        for (const rev of mesh.revisions) {
          const suffix = rev.name === 'default' ? '' : `-${rev.name}`;
          configMap(rev.namespace, `istio${suffix}`);
          configMap(rev.namespace, `istio-sidecar-injector${suffix}`);
        }
      } else if (mesh.name === 'linkerd') {
        const config = ctx.objects.get('configmaps', mesh.namespace, 'linkerd-config');
        configMap(mesh.namespace, 'linkerd-config');
        if (!linkerdValues(config).identity?.externalCA) configMap(mesh.namespace, 'linkerd-identity-trust-roots');
        for (const sa of LINKERD_SERVICE_ACCOUNTS) {
          if (holds('serviceaccounts', mesh.namespace) && !ctx.objects.get('serviceaccounts', mesh.namespace, sa)) missing({kind: 'ServiceAccount', apiVersion: 'v1', namespace: mesh.namespace, name: sa}, mesh, `ServiceAccount ${mesh.namespace}/${sa}`);
        }
      } else if (mesh.name === 'osm' && crds.has('meshconfigs.config.openservicemesh.io')) {
        if (!ctx.objects.get('meshconfigs.config.openservicemesh.io', mesh.namespace, 'osm-mesh-config')) {
          missing({kind: 'MeshConfig', apiVersion: 'config.openservicemesh.io/v1alpha2', namespace: mesh.namespace, name: 'osm-mesh-config'}, mesh, `MeshConfig ${mesh.namespace}/osm-mesh-config`);
        }
      }
    }
    return findings;
  },
});
