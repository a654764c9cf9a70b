/**
 * Named inputs whose names come from other objects (NamedInput `where: 'referenced'`): the collector
 * fetches exactly these Secrets/ConfigMaps by name (D10), and the snapshot gates checks on them.
 */
import type {NamedRef, ObjectReader} from '../core/check.js';
import {gatewayCredentialRefs} from './istio/gateways.js';

export type NamedTarget = Readonly<{namespace: string; name: string}>;

const RESOLVERS: Readonly<Record<NamedRef, (objects: ObjectReader) => NamedTarget[]>> = {
  'istio-gateway-credentials': gatewayCredentialRefs,
};

export function resolveNamedRef(ref: NamedRef | undefined, objects: ObjectReader): NamedTarget[] {
  return ref ? RESOLVERS[ref](objects) : [];
}
