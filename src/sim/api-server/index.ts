export {FixtureApiServer} from './fixture-api-server.js';
export type {FixtureApiServerOptions, FixtureBehaviour, SubresourceCall, SubresourceHandler} from './fixture-api-server.js';
export type {Fault, ForbidRule, Verb} from './faults.js';
export type {RequestLogEntry} from './request-log.js';
export type {KubeconfigOptions} from './kubeconfig-writer.js';
export type {ServedResource} from './served-resources.js';
