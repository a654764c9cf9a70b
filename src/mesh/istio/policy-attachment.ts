/**
 * How an Istio policy (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin) reaches
 * workloads (pilot/pkg/model/policyattachment.go): a workload `selector` with labels, `targetRef(s)`,
 * or neither — then it is namespace-wide. Read tolerantly: a malformed field counts as absent.
 */
import type {KubeObject, Labels} from '../../core/kube-types/index.js';

/** The selector's matchLabels, or undefined when there is none (or it is empty: namespace-wide). */
export function policySelector(policy: KubeObject): Labels | undefined {
  const labels = (policy.spec?.selector as {matchLabels?: unknown} | null | undefined)?.matchLabels;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return undefined;
  const entries = Object.entries(labels).filter(([, v]) => typeof v === 'string');
  return entries.length > 0 ? (Object.fromEntries(entries) as Labels) : undefined;
}

/** The policy names targets (`targetRef` or a non-empty `targetRefs`): selectors are then not used. */
export function policyHasTargets(policy: KubeObject): boolean {
  const refs = policy.spec?.targetRefs;
  return (Array.isArray(refs) && refs.length > 0) || (policy.spec?.targetRef !== undefined && policy.spec?.targetRef !== null);
}
