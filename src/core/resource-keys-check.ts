/** Compile-time proof that the resource registry and the kind → type map name exactly the same keys. */
import type {ResourceKey} from './resources.js';
import type {KindTypes} from './kube-types/index.js';
type Assert<T extends never> = T;
export type MissingKinds = Assert<Exclude<ResourceKey, keyof KindTypes>>;
export type ExtraKinds = Assert<Exclude<keyof KindTypes, ResourceKey>>;
