/**
 * The collection plan: the union of what the selected checks declare, plus what mesh detection
 * and workload resolution always need. The collector fetches exactly this, once.
 */
import type {Check, CheckInputs, NamedInput} from '../core/check.js';
import type {FactName} from '../core/control-plane.js';
import type {ResourceKey} from '../core/resources.js';
import type {SignalName} from '../core/signals.js';

/** Kinds every run lists: mesh detection (D1–D3), scope, and owner resolution (D4). */
export const BASE_KINDS: readonly ResourceKey[] = [
  'namespaces',
  'pods',
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'jobs.batch',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
];

/** ConfigMaps mesh detection reads (Istio's rootNamespace, Linkerd's config). */
export const BASE_NAMED: readonly NamedInput[] = [
  {kind: 'configmaps', mesh: 'istio', where: 'control-plane', names: ['istio']},
  {kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']},
];

export type CollectionPlan = Readonly<{
  kinds: ReadonlySet<ResourceKey>;
  named: readonly NamedInput[];
  signals: ReadonlySet<SignalName>;
  facts: ReadonlySet<FactName>;
}>;

function addInputs(inputs: CheckInputs, kinds: Set<ResourceKey>, named: NamedInput[], signals: Set<SignalName>, facts: Set<FactName>): void {
  for (const k of inputs.kinds ?? []) kinds.add(k);
  for (const k of inputs.optionalKinds ?? []) kinds.add(k);
  for (const n of inputs.named ?? []) named.push(n);
  for (const s of [...(inputs.signals ?? []), ...(inputs.optionalSignals ?? [])]) signals.add(s);
  for (const f of inputs.facts ?? []) facts.add(f);
  for (const alt of inputs.anyOf ?? []) addInputs(alt, kinds, named, signals, facts);
}

export function planFor(checks: readonly Check[], extra: Partial<{kinds: readonly ResourceKey[]; signals: readonly SignalName[]}> = {}): CollectionPlan {
  const kinds = new Set<ResourceKey>(BASE_KINDS);
  const named: NamedInput[] = [...BASE_NAMED];
  const signals = new Set<SignalName>();
  const facts = new Set<FactName>();
  for (const check of checks) addInputs(check.inputs, kinds, named, signals, facts);
  for (const k of extra.kinds ?? []) kinds.add(k);
  for (const s of extra.signals ?? []) signals.add(s);
  // Named Secrets/ConfigMaps are fetched by name; never list them wholesale.
  kinds.delete('secrets');
  kinds.delete('configmaps');
  return {kinds, named, signals, facts};
}
