/**
 * Short names and categories of built-in kinds, as a real API server's discovery lists them. kubectl
 * resolves `svc`, `po`, `deploy`… and `get all` from these, so the fixture must publish them.
 */
export type ResourceNames = Readonly<{shortNames?: readonly string[]; categories?: readonly string[]}>;

const ALL = ['all'];

export const BUILTIN_NAMES: Readonly<Record<string, ResourceNames>> = {
  namespaces: {shortNames: ['ns']},
  pods: {shortNames: ['po'], categories: ALL},
  services: {shortNames: ['svc'], categories: ALL},
  nodes: {shortNames: ['no']},
  configmaps: {shortNames: ['cm']},
  serviceaccounts: {shortNames: ['sa']},
  endpoints: {shortNames: ['ep']},
  events: {shortNames: ['ev']},
  'deployments.apps': {shortNames: ['deploy'], categories: ALL},
  'replicasets.apps': {shortNames: ['rs'], categories: ALL},
  'statefulsets.apps': {shortNames: ['sts'], categories: ALL},
  'daemonsets.apps': {shortNames: ['ds'], categories: ALL},
  'jobs.batch': {categories: ALL},
  'cronjobs.batch': {shortNames: ['cj'], categories: ALL},
  'customresourcedefinitions.apiextensions.k8s.io': {shortNames: ['crd', 'crds']},
};
