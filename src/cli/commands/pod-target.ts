/**
 * The pod a `proxy-config` or `logs` command is about: `NAMESPACE/POD`, or `POD` with `-n` (else the
 * kubeconfig context's namespace, else `default`, as kubectl does), read from the cluster with one
 * GET. Unknown pod: exit 2; cluster unreachable: exit 3 (errors.ts).
 */
import type {Pod} from '../../core/kube-types/index.js';
import {resourceType} from '../../core/resources.js';
import {PROXY_CONTAINERS, proxyMeshes} from '../../mesh/markers.js';
import type {MeshName} from '../../core/types.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {ClusterAccess} from '../../sources/kube/kubeconfig.js';
import {usage} from '../options.js';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export type PodTarget = Readonly<{namespace: string; name: string; pod: Pod; context: string | null; mesh?: MeshName; proxyContainer?: string}>;

export function splitPodArg(arg: string, namespaceFlag: string | undefined): {namespace?: string; name: string} {
  const slash = arg.indexOf('/');
  const [ns, name] = slash === -1 ? [namespaceFlag, arg] : [arg.slice(0, slash), arg.slice(slash + 1)];
  if (namespaceFlag?.includes(',')) usage(`-n: "${namespaceFlag}" names several namespaces; a pod lives in one`);
  if (slash !== -1 && namespaceFlag && namespaceFlag !== ns) usage(`"${arg}" and -n ${namespaceFlag} name different namespaces`);
  if (!NAME.test(name)) usage(`"${arg}" is not a pod name (POD or NAMESPACE/POD)`);
  if (ns !== undefined && !NAME.test(ns)) usage(`"${ns}" is not a namespace name`);
  return {...(ns !== undefined ? {namespace: ns} : {}), name};
}

/** `namespaceFlag` is `-n` as given; `cluster` the settings' access (context, timeout, impersonation). */
export async function resolvePod(arg: string, namespaceFlag: string | undefined, cluster: ClusterAccess): Promise<PodTarget> {
  const parsed = splitPodArg(arg, namespaceFlag);
  const [{createLiveKubeSource}, {loadKubeconfig}] = await Promise.all([import('../../sources/kube/live.js'), import('../../sources/kube/kubeconfig.js')]);
  const namespace = parsed.namespace ?? (await loadKubeconfig(cluster)).namespace ?? 'default';
  const source = await createLiveKubeSource(cluster);
  const pod = (await source.get(resourceType('pods'), 'v1', namespace, parsed.name)) as Pod | null;
  if (!pod) throw new ExitError(ExitCode.usage, `pod ${namespace}/${parsed.name} not found in context ${source.context ?? '(current)'}`);
  const mesh = proxyMeshes(pod)[0];
  const proxy = mesh ? [...(pod.spec.containers ?? [])].find((c) => PROXY_CONTAINERS[mesh].includes(c.name))?.name : undefined;
  return {namespace, name: parsed.name, pod, context: source.context, ...(mesh ? {mesh} : {}), ...(proxy ? {proxyContainer: proxy} : {})};
}
