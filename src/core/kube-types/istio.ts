/** Istio CRDs (networking.istio.io, security.istio.io, telemetry.istio.io, extensions.istio.io), fields meshdoctor reads. */
import type {KubeObject, Labels} from './meta.js';

export type PortSelector = Readonly<{number?: number; name?: string}>;
export type Destination = Readonly<{host: string; subset?: string; port?: PortSelector}>;
export type RouteDestination = Readonly<{destination: Destination; weight?: number}>;
export type StringMatch = Readonly<{exact?: string; prefix?: string; regex?: string}>;

export type HTTPMatchRequest = Readonly<{
  name?: string;
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Readonly<Record<string, StringMatch>>;
  port?: number;
  gateways?: readonly string[];
  sourceLabels?: Labels;
  [field: string]: unknown;
}>;

export type HTTPRoute = Readonly<{
  name?: string;
  match?: readonly HTTPMatchRequest[];
  route?: readonly RouteDestination[];
  mirror?: Destination;
  mirrors?: readonly Readonly<{destination: Destination}>[];
  fault?: unknown;
  timeout?: string;
  delegate?: Readonly<{name: string; namespace?: string}>;
}>;

export type L4Route = Readonly<{
  match?: readonly Readonly<{gateways?: readonly string[]; port?: number; sniHosts?: readonly string[]; [field: string]: unknown}>[];
  route?: readonly RouteDestination[];
}>;

export interface VirtualService extends KubeObject {
  readonly spec: Readonly<{
    hosts?: readonly string[];
    gateways?: readonly string[];
    http?: readonly HTTPRoute[];
    tls?: readonly L4Route[];
    tcp?: readonly L4Route[];
    exportTo?: readonly string[];
  }>;
}

export type ClientTLSSettings = Readonly<{
  mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL' | string;
  caCertificates?: string;
  credentialName?: string;
  insecureSkipVerify?: boolean;
  subjectAltNames?: readonly string[];
  sni?: string;
}>;
export type TrafficPolicy = Readonly<{
  tls?: ClientTLSSettings;
  portLevelSettings?: readonly Readonly<{port?: PortSelector; tls?: ClientTLSSettings}>[];
  connectionPool?: unknown;
  outlierDetection?: unknown;
}>;

export interface DestinationRule extends KubeObject {
  readonly spec: Readonly<{
    host: string;
    trafficPolicy?: TrafficPolicy;
    subsets?: readonly Readonly<{name: string; labels?: Labels; trafficPolicy?: TrafficPolicy}>[];
    exportTo?: readonly string[];
    workloadSelector?: Readonly<{matchLabels?: Labels}>;
  }>;
}

export type GatewayServer = Readonly<{
  port: Readonly<{number: number; name?: string; protocol?: string; targetPort?: number}>;
  hosts: readonly string[];
  tls?: Readonly<{mode?: string; credentialName?: string; serverCertificate?: string; privateKey?: string}>;
  name?: string;
}>;

export interface IstioGateway extends KubeObject {
  readonly spec: Readonly<{selector?: Labels; servers?: readonly GatewayServer[]}>;
}

export interface ServiceEntry extends KubeObject {
  readonly spec: Readonly<{
    hosts?: readonly string[];
    addresses?: readonly string[];
    ports?: readonly Readonly<{number: number; name?: string; protocol?: string; targetPort?: number}>[];
    location?: string;
    resolution?: string;
    exportTo?: readonly string[];
    workloadSelector?: Readonly<{labels?: Labels}>;
  }>;
  /** Addresses istiod's IP auto-allocation controller assigned (Istio 1.25+). */
  readonly status?: Readonly<{addresses?: readonly Readonly<{value?: string; host?: string}>[]}>;
}

export interface Sidecar extends KubeObject {
  readonly spec: Readonly<{workloadSelector?: Readonly<{labels?: Labels}>; egress?: readonly unknown[]; outboundTrafficPolicy?: Readonly<{mode?: string}>}>;
}

export type PeerMtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthentication extends KubeObject {
  readonly spec: Readonly<{
    selector?: Readonly<{matchLabels?: Labels}>;
    mtls?: Readonly<{mode?: PeerMtlsMode | string}>;
    portLevelMtls?: Readonly<Record<string, Readonly<{mode?: PeerMtlsMode | string}>>>;
  }>;
}

export type PolicyTargetRef = Readonly<{group?: string; kind: string; name: string; namespace?: string}>;

export interface IstioAuthorizationPolicy extends KubeObject {
  readonly spec: Readonly<{
    selector?: Readonly<{matchLabels?: Labels}>;
    targetRef?: PolicyTargetRef;
    targetRefs?: readonly PolicyTargetRef[];
    action?: string;
    rules?: readonly unknown[];
  }>;
}

export interface RequestAuthentication extends KubeObject {
  readonly spec: Readonly<{selector?: Readonly<{matchLabels?: Labels}>; targetRef?: PolicyTargetRef; targetRefs?: readonly PolicyTargetRef[]}>;
}

export interface EnvoyFilter extends KubeObject {
  readonly spec: Readonly<{
    workloadSelector?: Readonly<{labels?: Labels}>;
    targetRefs?: readonly PolicyTargetRef[];
    priority?: number;
    configPatches?: readonly Readonly<{
      applyTo?: string;
      match?: Readonly<{proxy?: Readonly<{proxyVersion?: string}>; [field: string]: unknown}>;
      patch?: Readonly<{operation?: string; value?: unknown}>;
    }>[];
  }>;
}

export interface Telemetry extends KubeObject {
  readonly spec: Readonly<{selector?: Readonly<{matchLabels?: Labels}>; targetRef?: PolicyTargetRef; targetRefs?: readonly PolicyTargetRef[]}>;
}

export interface WasmPlugin extends KubeObject {
  readonly spec: Readonly<{selector?: Readonly<{matchLabels?: Labels}>; targetRef?: PolicyTargetRef; targetRefs?: readonly PolicyTargetRef[]}>;
}

export interface WorkloadEntry extends KubeObject {
  readonly spec: Readonly<{address?: string; labels?: Labels; serviceAccount?: string}>;
}

export interface WorkloadGroup extends KubeObject {
  readonly spec: Readonly<{metadata?: Readonly<{labels?: Labels}>; template?: Readonly<{serviceAccount?: string}>}>;
}
