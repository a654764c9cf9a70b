/** The check-authoring surface: what files under checks/ import. */
export * from './types.js';
export * from './check.js';
export {carriesState, hasStateKind} from './observed.js';
export type {ShapeProblem} from './shape.js';
export * from './resources.js';
export * from './options.js';
export * from './signals.js';
export * from './control-plane.js';
export * from './subjects.js';
export * from './selectors.js';
export * from './severity.js';
export * from './duration.js';
export * from './sanitize.js';
export * from './x509.js';
export * from './cert-policy.js';
export * from './versions.js';
export type * from './kube-types/index.js';
