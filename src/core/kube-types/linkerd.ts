/** Linkerd CRDs (linkerd.io, policy.linkerd.io, workload.linkerd.io), fields meshdoctor reads. */
import type {KubeObject, LabelSelector} from './meta.js';

export interface ServiceProfile extends KubeObject {
  readonly spec: Readonly<{
    routes?: readonly unknown[];
    dstOverrides?: readonly Readonly<{authority: string; weight: number | string}>[];
  }>;
}

export interface LinkerdServer extends KubeObject {
  readonly spec: Readonly<{
    podSelector?: LabelSelector;
    externalWorkloadSelector?: LabelSelector;
    port: number | string;
    proxyProtocol?: string;
    accessPolicy?: string;
  }>;
}

export interface ServerAuthorization extends KubeObject {
  readonly spec: Readonly<{
    server: Readonly<{name?: string; selector?: LabelSelector}>;
    client?: unknown;
  }>;
}

export type LinkerdTargetRef = Readonly<{group?: string; kind: string; name: string; namespace?: string}>;

export interface LinkerdAuthorizationPolicy extends KubeObject {
  readonly spec: Readonly<{targetRef: LinkerdTargetRef; requiredAuthenticationRefs?: readonly LinkerdTargetRef[]}>;
}

export interface MeshTLSAuthentication extends KubeObject {
  readonly spec: Readonly<{identities?: readonly string[]; identityRefs?: readonly LinkerdTargetRef[]}>;
}

export interface NetworkAuthentication extends KubeObject {
  readonly spec: Readonly<{networks?: readonly Readonly<{cidr: string; except?: readonly string[]}>[]}>;
}

export interface EgressNetwork extends KubeObject {
  readonly spec: Readonly<{trafficPolicy?: string; networks?: readonly unknown[]}>;
}

export interface ExternalWorkload extends KubeObject {
  readonly spec: Readonly<{ports?: readonly Readonly<{port: number; name?: string}>[]; workloadIPs?: readonly Readonly<{ip: string}>[]}>;
}

/** multicluster.linkerd.io Link: one per target cluster (multicluster/charts/linkerd-multicluster/templates/link-crd.yaml). */
export interface Link extends KubeObject {
  readonly spec: Readonly<{
    targetClusterName?: string;
    targetClusterDomain?: string;
    targetClusterLinkerdNamespace?: string;
    clusterCredentialsSecret?: string;
    gatewayAddress?: string;
    gatewayPort?: string;
    gatewayIdentity?: string;
    probeSpec?: Readonly<{path?: string; port?: string; period?: string}>;
    selector?: LabelSelector;
    remoteDiscoverySelector?: LabelSelector;
    federatedServiceSelector?: LabelSelector;
  }>;
}
