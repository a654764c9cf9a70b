/** Consul config-entry CRDs (consul.hashicorp.com/v1alpha1); every one carries a `Synced` condition. */
import type {Condition, KubeObject} from './meta.js';

export interface ConsulConfigEntry extends KubeObject {
  readonly spec?: any;
  readonly status?: Readonly<{conditions?: readonly Condition[]; lastSyncedTime?: string}>;
}

/** A reference to a Consul service as config entries write it (namespace/partition/peer are Enterprise or peering). */
export type ConsulServiceTarget = Readonly<{
  service?: string;
  serviceSubset?: string;
  namespace?: string;
  partition?: string;
  peer?: string;
  samenessGroup?: string;
  datacenter?: string;
}>;

export interface ServiceRouter extends ConsulConfigEntry {
  readonly spec?: Readonly<{routes?: readonly Readonly<{match?: unknown; destination?: ConsulServiceTarget & Readonly<{[field: string]: unknown}>}>[]}>;
}

export interface ServiceSplitter extends ConsulConfigEntry {
  readonly spec?: Readonly<{splits?: readonly (ConsulServiceTarget & Readonly<{weight?: number | string}>)[]}>;
}

export type ConsulFailover = Readonly<{
  service?: string;
  serviceSubset?: string;
  namespace?: string;
  datacenters?: readonly string[];
  targets?: readonly ConsulServiceTarget[];
  samenessGroup?: string;
}>;

export interface ServiceResolver extends ConsulConfigEntry {
  readonly spec?: Readonly<{
    defaultSubset?: string;
    subsets?: Readonly<Record<string, Readonly<{filter?: string; onlyPassing?: boolean}>>>;
    redirect?: ConsulServiceTarget;
    failover?: Readonly<Record<string, ConsulFailover>>;
  }>;
}

export type IntentionSource = Readonly<{
  name?: string;
  namespace?: string;
  partition?: string;
  peer?: string;
  samenessGroup?: string;
  action?: string;
  permissions?: readonly unknown[];
}>;

export interface ServiceIntentions extends ConsulConfigEntry {
  readonly spec?: Readonly<{destination?: Readonly<{name?: string; namespace?: string}>; sources?: readonly IntentionSource[]}>;
}

export interface TerminatingGateway extends ConsulConfigEntry {
  readonly spec?: Readonly<{services?: readonly Readonly<{name?: string; namespace?: string}>[]}>;
}
