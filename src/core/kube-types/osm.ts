/** Open Service Mesh kinds (archived project; basic support). */
import type {Condition, KubeObject} from './meta.js';

export interface OsmMeshConfig extends KubeObject {
  readonly spec: Readonly<{
    traffic?: Readonly<{enablePermissiveTrafficPolicyMode?: boolean; [field: string]: unknown}>;
    [field: string]: unknown;
  }>;
}

export interface CertManagerCertificate extends KubeObject {
  readonly spec: Readonly<{secretName: string; [field: string]: unknown}>;
  readonly status?: Readonly<{conditions?: readonly Condition[]; notAfter?: string}>;
}
