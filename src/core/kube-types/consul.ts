/** Consul config-entry CRDs (consul.hashicorp.com/v1alpha1); every one carries a `Synced` condition. */
import type {Condition, KubeObject} from './meta.js';

export interface ConsulConfigEntry extends KubeObject {
  readonly spec?: any;
  readonly status?: Readonly<{conditions?: readonly Condition[]; lastSyncedTime?: string}>;
}
