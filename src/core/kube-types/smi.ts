/** SMI kinds used by linkerd-smi and OSM. */
import type {KubeObject} from './meta.js';

export interface TrafficSplit extends KubeObject {
  readonly spec: Readonly<{service: string; backends?: readonly Readonly<{service: string; weight: number | string}>[]}>;
}

export type TrafficTargetRule = Readonly<{kind: string; name: string; matches?: readonly string[]}>;

export interface TrafficTarget extends KubeObject {
  readonly spec: Readonly<{
    destination: Readonly<{kind: string; name: string; namespace?: string}>;
    sources?: readonly Readonly<{kind: string; name: string; namespace?: string}>[];
    rules?: readonly TrafficTargetRule[];
  }>;
}

export interface HTTPRouteGroup extends KubeObject {
  readonly spec: Readonly<{matches?: readonly Readonly<{name: string; [field: string]: unknown}>[]}>;
}

export interface SmiTCPRoute extends KubeObject {
  readonly spec: Readonly<{matches?: Readonly<{ports?: readonly number[]}>}>;
}
