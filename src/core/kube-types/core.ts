/** Built-in Kubernetes kinds, reduced to the fields meshdoctor reads. */
import type {Condition, KubeObject, LabelSelector, Labels} from './meta.js';

export type ContainerPort = Readonly<{name?: string; containerPort: number; protocol?: string}>;
export type EnvVar = Readonly<{name: string; value?: string; valueFrom?: unknown}>;

/** The user a container runs as (Istio's proxy excludes UID 1337 from traffic capture). */
export type SecurityContext = Readonly<{runAsUser?: number}>;

export type Container = Readonly<{
  name: string;
  image?: string;
  args?: readonly string[];
  command?: readonly string[];
  env?: readonly EnvVar[];
  ports?: readonly ContainerPort[];
  /** `Always` marks a native sidecar when used in initContainers. */
  restartPolicy?: string;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: SecurityContext;
}>;

/** The part of a probe meshes care about: HTTP probes travel through the proxy's inbound side. */
export type Probe = Readonly<{
  httpGet?: Readonly<{path?: string; port?: number | string; scheme?: string; httpHeaders?: readonly Readonly<{name: string; value: string}>[]}>;
}>;

export type ContainerState = Readonly<{
  running?: Readonly<{startedAt?: string}>;
  waiting?: Readonly<{reason?: string; message?: string}>;
  terminated?: Readonly<{exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string}>;
}>;

export type ContainerStatus = Readonly<{
  name: string;
  ready: boolean;
  restartCount?: number;
  image?: string;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}>;

export type PodSpec = Readonly<{
  containers: readonly Container[];
  initContainers?: readonly Container[];
  serviceAccountName?: string;
  hostNetwork?: boolean;
  nodeName?: string;
  securityContext?: SecurityContext;
}>;

export type PodTemplateSpec = Readonly<{metadata?: Readonly<{labels?: Labels; annotations?: Labels}>; spec: PodSpec}>;

export interface Pod extends KubeObject {
  readonly spec: PodSpec;
  readonly status?: Readonly<{
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
    podIP?: string;
    podIPs?: readonly Readonly<{ip: string}>[];
    startTime?: string;
    conditions?: readonly Condition[];
    containerStatuses?: readonly ContainerStatus[];
    initContainerStatuses?: readonly ContainerStatus[];
    reason?: string;
  }>;
}

export type ServicePort = Readonly<{
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}>;

export interface Service extends KubeObject {
  readonly spec: Readonly<{
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;
    selector?: Labels;
    ports?: readonly ServicePort[];
    clusterIP?: string;
    clusterIPs?: readonly string[];
    externalName?: string;
  }>;
}

export interface Namespace extends KubeObject {
  readonly status?: Readonly<{phase?: string}>;
}

export interface Node extends KubeObject {
  readonly spec?: Readonly<{podCIDR?: string; podCIDRs?: readonly string[]}>;
}

export interface ConfigMap extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * A Secret as the snapshot holds it: certificate PEMs are kept (base64, as the API serves them),
 * every other value is replaced by an empty string and its key name listed in the
 * `meshdoctor.io/redacted-keys` annotation (docs/rules.md D10).
 */
export interface Secret extends KubeObject {
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
}

export interface ServiceAccount extends KubeObject {}

export type EndpointSliceEndpoint = Readonly<{
  addresses: readonly string[];
  conditions?: Readonly<{ready?: boolean; serving?: boolean; terminating?: boolean}>;
  targetRef?: Readonly<{kind?: string; name?: string; namespace?: string}>;
  nodeName?: string;
}>;

export interface EndpointSlice extends KubeObject {
  readonly addressType?: string;
  readonly endpoints?: readonly EndpointSliceEndpoint[];
  readonly ports?: readonly Readonly<{name?: string; port?: number; protocol?: string}>[];
}

export interface Endpoints extends KubeObject {
  readonly subsets?: readonly Readonly<{
    addresses?: readonly Readonly<{ip: string}>[];
    notReadyAddresses?: readonly Readonly<{ip: string}>[];
  }>[];
}

export interface KubeEvent extends KubeObject {
  readonly type?: 'Normal' | 'Warning' | string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
  readonly firstTimestamp?: string;
  readonly lastTimestamp?: string;
  readonly eventTime?: string;
  readonly involvedObject?: Readonly<{kind?: string; name?: string; namespace?: string; apiVersion?: string}>;
}

type WorkloadStatus = Readonly<{
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  conditions?: readonly Condition[];
  observedGeneration?: number;
}>;

export interface Deployment extends KubeObject {
  readonly spec: Readonly<{replicas?: number; selector?: LabelSelector; template: PodTemplateSpec}>;
  readonly status?: WorkloadStatus;
}

export interface ReplicaSet extends KubeObject {
  readonly spec: Readonly<{replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec}>;
  readonly status?: WorkloadStatus;
}

export interface StatefulSet extends KubeObject {
  readonly spec: Readonly<{replicas?: number; selector?: LabelSelector; template: PodTemplateSpec; serviceName?: string}>;
  readonly status?: WorkloadStatus;
}

export interface DaemonSet extends KubeObject {
  readonly spec: Readonly<{selector?: LabelSelector; template: PodTemplateSpec}>;
  readonly status?: Readonly<{
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    currentNumberScheduled?: number;
  }>;
}

export interface Job extends KubeObject {
  readonly spec: Readonly<{template: PodTemplateSpec}>;
}

export interface CronJob extends KubeObject {
  readonly spec: Readonly<{jobTemplate: Readonly<{spec: Readonly<{template: PodTemplateSpec}>}>}>;
}

export type WebhookClientConfig = Readonly<{
  url?: string;
  caBundle?: string;
  service?: Readonly<{namespace: string; name: string; path?: string; port?: number}>;
}>;

export type Webhook = Readonly<{
  name: string;
  clientConfig: WebhookClientConfig;
  failurePolicy?: 'Fail' | 'Ignore' | string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}>;

export interface MutatingWebhookConfiguration extends KubeObject {
  readonly webhooks?: readonly Webhook[];
}

export interface ValidatingWebhookConfiguration extends KubeObject {
  readonly webhooks?: readonly Webhook[];
}

export interface CustomResourceDefinition extends KubeObject {
  readonly spec: Readonly<{
    group: string;
    names: Readonly<{kind: string; plural: string; singular?: string; shortNames?: readonly string[]}>;
    scope: 'Namespaced' | 'Cluster';
    versions: readonly Readonly<{name: string; served: boolean; storage: boolean}>[];
  }>;
}

export interface APIService extends KubeObject {
  readonly spec?: Readonly<{
    group?: string;
    version?: string;
    caBundle?: string;
    service?: Readonly<{namespace?: string; name?: string; port?: number}>;
  }>;
  readonly status?: Readonly<{conditions?: readonly Condition[]}>;
}
