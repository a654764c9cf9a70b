/**
 * How an Istio policy (AuthorizationPolicy, RequestAuthentication, Telemetry, WasmPlugin) reaches
 * workloads (pilot/pkg/model/policyattachment.go): a workload `selector` with labels, `targetRef(s)`,
 * or neither — then it is namespace-wide.
 */
import type {Labels, PolicyTargetRef} from '../../core/kube-types/index.js';

/** The policy fields every one of these kinds shares (the snapshot fits them to this shape). */
export type TargetablePolicy = Readonly<{spec: Readonly<{selector?: Readonly<{matchLabels?: Labels}>; targetRef?: PolicyTargetRef; targetRefs?: readonly PolicyTargetRef[]}>}>;

/** The selector's matchLabels, or undefined when there is none (or it is empty: namespace-wide). */
export function policySelector(policy: TargetablePolicy): Labels | undefined {
  const labels = policy.spec.selector?.matchLabels;
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

/** The policy names targets (`targetRef` or a non-empty `targetRefs`): selectors are then not used. */
export function policyHasTargets(policy: TargetablePolicy): boolean {
  return (policy.spec.targetRefs?.length ?? 0) > 0 || policy.spec.targetRef !== undefined;
}
