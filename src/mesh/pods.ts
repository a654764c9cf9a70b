/** Pod lifecycle facts shared by checks: age, running state, grace periods (D6). */
import type {Pod} from '../core/kube-types/index.js';

/** Seconds since the pod started (status.startTime, else creation); undefined when unknown. */
export function podAgeSeconds(pod: Pod, now: Date): number | undefined {
  const since = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  if (!since) return undefined;
  const t = Date.parse(since);
  return Number.isNaN(t) ? undefined : (now.getTime() - t) / 1000;
}

/** Not finished (Succeeded/Failed pods keep no proxy and do not matter). */
export function podActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export function olderThan(pod: Pod, now: Date, seconds: number): boolean {
  const age = podAgeSeconds(pod, now);
  return age !== undefined && age >= seconds;
}
