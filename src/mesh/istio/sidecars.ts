/**
 * Which pods carry an Istio sidecar, and the pods a Service selects. In a manifest-only run the pods
 * are workload pod templates, which never show the injected proxy: there a template counts as a
 * sidecar pod when its namespace or its own labels target it for injection (docs/rules.md D2, D3).
 */
import type {ObjectReader} from '../../core/check.js';
import type {KubeObject, Pod, Service} from '../../core/kube-types/index.js';
import {matchesLabels} from '../../core/selectors.js';
import {injectionTargets} from '../injection.js';
import {proxyContainer} from '../markers.js';

const TEMPLATE_ANNOTATION = 'meshdoctor.io/pod-template';

export function isPodTemplate(pod: Pod): boolean {
  return pod.metadata.annotations?.[TEMPLATE_ANNOTATION] === 'true';
}

/** Whether the pod runs (or, as a template, will run) the istio-proxy sidecar. */
export function hasIstioSidecar(pod: Pod, namespace: KubeObject | undefined): boolean {
  if (proxyContainer(pod, 'istio') !== undefined) return true;
  return isPodTemplate(pod) && injectionTargets(pod, namespace, ['istio']).length > 0;
}

/** Running (or a template, which stands for pods that will run). */
export function podRunning(pod: Pod): boolean {
  return isPodTemplate(pod) || pod.status?.phase === 'Running';
}

/** Pods a Service selects (none for selector-less and ExternalName Services). */
export function servicePods(objects: ObjectReader, svc: Service): readonly Pod[] {
  const selector = svc.spec.selector;
  if (!selector || Object.keys(selector).length === 0 || svc.spec.type === 'ExternalName') return [];
  return objects.select('pods', svc.metadata.namespace, selector);
}

/** Services in the pod's namespace whose selector matches it. */
export function servicesSelecting(objects: ObjectReader, pod: Pod): Service[] {
  return objects
    .list('services', pod.metadata.namespace)
    .filter((s) => s.spec.type !== 'ExternalName' && s.spec.selector && Object.keys(s.spec.selector).length > 0 && matchesLabels(pod.metadata.labels, s.spec.selector));
}

/** A Service port's target port as a number on this pod (named targetPorts resolve through container ports). */
export function targetPortNumber(pod: Pod, port: Readonly<{port: number; targetPort?: number | string}>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers) {
    const p = c.ports?.find((cp) => cp.name === target);
    if (p) return p.containerPort;
  }
  return undefined;
}
