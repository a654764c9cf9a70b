/** Kubernetes Gateway API (gateway.networking.k8s.io) kinds, fields meshdoctor reads. */
import type {Condition, KubeObject} from './meta.js';

export type ParentReference = Readonly<{
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}>;

export type BackendRef = Readonly<{
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  /** Per-backend filters (HTTPRoute/GRPCRoute), which may mirror to another backend. */
  filters?: readonly Readonly<{type: string; requestMirror?: Readonly<{backendRef: BackendRef}>; [field: string]: unknown}>[];
}>;

export type RouteParentStatus = Readonly<{parentRef: ParentReference; controllerName?: string; conditions?: readonly Condition[]}>;

export type RouteRule = Readonly<{
  backendRefs?: readonly BackendRef[];
  filters?: readonly Readonly<{type: string; requestMirror?: Readonly<{backendRef: BackendRef}>; [field: string]: unknown}>[];
  matches?: readonly unknown[];
  timeouts?: Readonly<{request?: string; backendRequest?: string}>;
}>;

/** HTTPRoute, GRPCRoute, TCPRoute, TLSRoute share this shape (and so does Linkerd's policy.linkerd.io HTTPRoute). */
export interface Route extends KubeObject {
  readonly spec: Readonly<{parentRefs?: readonly ParentReference[]; hostnames?: readonly string[]; rules?: readonly RouteRule[]}>;
  readonly status?: Readonly<{parents?: readonly RouteParentStatus[]}>;
}

export type Listener = Readonly<{
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: Readonly<{mode?: string; certificateRefs?: readonly Readonly<{kind?: string; name: string; namespace?: string; group?: string}>[]}>;
  allowedRoutes?: unknown;
}>;

export interface K8sGateway extends KubeObject {
  readonly spec: Readonly<{gatewayClassName: string; listeners?: readonly Listener[]; addresses?: readonly unknown[]}>;
  readonly status?: Readonly<{
    conditions?: readonly Condition[];
    listeners?: readonly Readonly<{name: string; conditions?: readonly Condition[]; attachedRoutes?: number}>[];
  }>;
}

export interface GatewayClass extends KubeObject {
  readonly spec: Readonly<{controllerName: string}>;
  readonly status?: Readonly<{conditions?: readonly Condition[]}>;
}

export interface ReferenceGrant extends KubeObject {
  readonly spec: Readonly<{
    from: readonly Readonly<{group: string; kind: string; namespace: string}>[];
    to: readonly Readonly<{group: string; kind: string; name?: string}>[];
  }>;
}
