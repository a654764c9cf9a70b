/** Kubernetes object metadata and generic shapes shared by every kind. Only the fields meshdoctor reads. */

export type Labels = Readonly<Record<string, string>>;

export type OwnerReference = Readonly<{
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}>;

export type ObjectMeta = Readonly<{
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: readonly OwnerReference[];
  creationTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string;
}>;

export type Condition = Readonly<{
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}>;

export type LabelSelectorRequirement = Readonly<{
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: readonly string[];
}>;

export type LabelSelector = Readonly<{
  matchLabels?: Labels;
  matchExpressions?: readonly LabelSelectorRequirement[];
}>;

/** Any Kubernetes object. `spec`/`status` are typed loosely here; kind-specific types narrow them. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: any;
  readonly status?: any;
}
