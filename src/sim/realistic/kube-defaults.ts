/**
 * What the API server and the kubelet add to a Pod beyond what its owner wrote: defaulted fields
 * (k8s.io/kubernetes pkg/apis/core/v1/defaults.go: dnsPolicy, restartPolicy, schedulerName,
 * terminationGracePeriodSeconds, terminationMessagePath/Policy, imagePullPolicy, probe defaults),
 * the ServiceAccount admission plugin's projected `kube-api-access-<suffix>` volume and its mount in
 * every container (plugin/pkg/admission/serviceaccount), the DefaultTolerationSeconds admission
 * plugin's two NoExecute tolerations, and the status the kubelet reports for a Running pod.
 */
import type {Random} from './random.js';

type Json = Record<string, unknown>;

export function serviceAccountMount(volume: string): Json {
  return {mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: volume, readOnly: true};
}

/** The projected token volume the ServiceAccount admission plugin adds (name suffix random per pod). */
export function kubeApiAccessVolume(name: string): Json {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
        {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
        {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
      ],
    },
  };
}

/** Probe defaults: scheme, thresholds, timeouts. */
export function defaultedProbe(probe: Json): Json {
  const httpGet = probe.httpGet as Json | undefined;
  return {
    failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1,
    ...probe,
    ...(httpGet ? {httpGet: {scheme: 'HTTP', ...httpGet}} : {}),
  };
}

/** A container as stored: defaults filled in (and, in a pod, the service-account token mounted). */
export function defaultedContainer(container: Json, apiAccessVolume?: string): Json {
  const out: Json = {imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ...container};
  for (const p of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) if (container[p]) out[p] = defaultedProbe(container[p] as Json);
  if (apiAccessVolume !== undefined) out.volumeMounts = [...(Array.isArray(container.volumeMounts) ? container.volumeMounts : []), serviceAccountMount(apiAccessVolume)];
  if (Array.isArray(container.ports)) out.ports = container.ports.map((p: Json) => ({protocol: 'TCP', ...p}));
  return out;
}

export const DEFAULT_TOLERATIONS: readonly Json[] = [
  {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
  {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
];

/** Pod-level spec defaults (the owner's spec fields win). */
export function podSpecDefaults(): Json {
  return {
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  };
}

export type RunningPod = Readonly<{
  startedAt: string;
  podIP: string;
  hostIP: string;
  containers: readonly Json[];
  initContainers: readonly Json[];
  /** Image digests by image reference (the same image has the same digest on every node). */
  digests: ReadonlyMap<string, string>;
  /** Guaranteed when every container has equal requests and limits; Burstable otherwise. */
  qosClass: string;
}>;

function containerStatus(c: Json, r: Random, pod: RunningPod, init: boolean): Json {
  const image = String(c.image);
  const base = {containerID: `containerd://${r.hex(64)}`, image, imageID: `${image.replace(/:[^/:]*$/, '')}@sha256:${pod.digests.get(image) ?? '0'.repeat(64)}`, lastState: {}, name: c.name, restartCount: 0};
  // A run-to-completion init container has terminated; a native sidecar (restartPolicy Always) runs on.
  if (init && c.restartPolicy !== 'Always') {
    return {...base, ready: true, started: false, state: {terminated: {containerID: base.containerID, exitCode: 0, finishedAt: pod.startedAt, reason: 'Completed', startedAt: pod.startedAt}}};
  }
  return {...base, ready: true, started: true, state: {running: {startedAt: pod.startedAt}}};
}

/** The status the kubelet reports for a pod whose containers all started and passed readiness. */
export function runningPodStatus(r: Random, pod: RunningPod): Json {
  const condition = (type: string) => ({lastProbeTime: null, lastTransitionTime: pod.startedAt, status: 'True', type});
  return {
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
    containerStatuses: pod.containers.map((c) => containerStatus(c, r, pod, false)),
    hostIP: pod.hostIP,
    hostIPs: [{ip: pod.hostIP}],
    ...(pod.initContainers.length > 0 ? {initContainerStatuses: pod.initContainers.map((c) => containerStatus(c, r, pod, true))} : {}),
    phase: 'Running',
    podIP: pod.podIP,
    podIPs: [{ip: pod.podIP}],
    qosClass: pod.qosClass,
    startTime: pod.startedAt,
  };
}
