/**
 * `meshdoctor describe pod|workload NS/NAME`: the effective Istio configuration of a pod or workload
 * (src/mesh/istio/describe.ts) and the catalog's findings on it, from the same snapshot — live, from
 * `-f … --no-cluster`, or from `--snapshot`. Text by default, `-o json`. Unknown target: exit 2.
 */
import {allChecks} from '../../../checks/index.js';
import {DEFAULT_OPTIONS} from '../../core/options.js';
import {runChecks} from '../../core/runner.js';
import {sanitizeLine, sanitizeStrings, toSafeJson} from '../../core/sanitize.js';
import {subjectKey, subjectOf} from '../../core/subjects.js';
import type {Finding, Pod, Subject} from '../../core/index.js';
import {describedSubjects, describeIstio} from '../../mesh/istio/describe.js';
import type {Description} from '../../mesh/istio/describe.js';
import {planFor} from '../../snapshot/plan.js';
import {buildSnapshot} from '../../snapshot/snapshot.js';
import type {SourceFlags} from '../acquire.js';
import {acquire, worldInput} from '../acquire.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {loadSettings} from '../settings.js';
import {oneContext} from '../contexts.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {edgeMetrics} from '../../core/golden.js';
import {CONTEXT_KINDS, findingContext} from '../../runbooks/finding-context.js';
import type {Traffic} from '../../runbooks/context-summary.js';
import {trafficLines, trafficOf} from '../../runbooks/context-summary.js';
import {readCallerEnvoy} from './caller-envoy.js';

export type DescribeFlags = GlobalFlags & SourceFlags & {output?: string};

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet'];

function parseTarget(target: string): [string, string] {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(target);
  if (!m) throw new ExitError(ExitCode.usage, `describe: "${target}" must be NAMESPACE/NAME`);
  return [m[1], m[3]];
}

export function renderDescription(d: Description, findings: readonly Finding[], traffic?: Traffic, now = Date.now()): string {
  const lines: string[] = [];
  const line = (s = '') => lines.push(sanitizeLine(s));
  line(`${subjectKey(d.subject)}`);
  line(`  pods: ${d.pods.join(', ') || '(none)'}`);
  line(`  sidecar: ${d.sidecar ? 'istio-proxy' : 'none'}`);
  line(`  workload mTLS: ${d.peerAuthentication.mode} (${d.peerAuthentication.source})`);
  for (const s of d.services) {
    line(`  Service ${s.name} (${s.host})`);
    for (const p of s.ports) line(`    port ${p.port}${p.name ? `/${p.name}` : ''} → ${p.targetPort ?? '?'}: mTLS ${p.mtls} (${p.mtlsSource})`);
    for (const dr of s.destinationRules) line(`    DestinationRule ${dr.name}${dr.tlsMode ? ` tls ${dr.tlsMode}` : ''}; pods in subsets: ${dr.matchingSubsets.join(', ') || '(none)'}${dr.otherSubsets.length ? `; other subsets: ${dr.otherSubsets.join(', ')}` : ''}`);
    for (const vs of s.virtualServices) line(`    VirtualService ${vs.name} via ${vs.gateways.join(', ')}${vs.subsets.length ? `; routes to subsets ${vs.subsets.join(', ')}` : ''}`);
  }
  line(`  AuthorizationPolicies: ${d.authorizationPolicies.map((a) => `${a.name} (${a.action})`).join(', ') || '(none)'}`);
  line(`  Sidecar: ${d.sidecarResource ?? '(none: mesh defaults)'}`);
  for (const w of d.warnings) line(`  WARNING: ${w}`);
  if (traffic) for (const l of trafficLines(traffic, now)) line(l);
  line(`  findings: ${findings.length === 0 ? 'none' : ''}`);
  for (const f of findings) line(`    ${f.severity.toUpperCase()} ${f.checkId} ${subjectKey(f.subject)}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

export async function runDescribeCommand(kind: string, target: string, flags: DescribeFlags): Promise<number> {
  if (kind !== 'pod' && kind !== 'workload') throw new ExitError(ExitCode.usage, `describe: "${kind}" must be pod or workload`);
  const [namespace, name] = parseTarget(target);
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new ExitError(ExitCode.usage, `-o: "${output}" must be text or json`);
  const settings = await loadSettings(flags);
  const input = worldInput(flags);
  const live = input.cluster && input.snapshot === undefined;
  if (live) oneContext(settings.cluster, 'describe');
  const controlPlane = controlPlaneProviderFor(settings, input);
  // Metric findings (a failing canary) and the callers need the golden metrics, as `check` reads them.
  const metrics = live ? metricsProviderFor(settings) : undefined;
  // Findings on objects outside the meshed scope (the target's own namespace included) still concern it.
  const scoped = settings.scopeGiven ? settings : {...settings, scope: {mode: 'all'} as const, scopeGiven: true};
  const raw = await acquire({settings: scoped, input, plan: planFor(allChecks, {kinds: CONTEXT_KINDS, signals: ['edges']}), ...(controlPlane ? {controlPlane} : {}), ...(metrics ? {metrics} : {})});
  const snapshot = buildSnapshot(raw);
  let subject: Subject;
  let pods: Pod[];
  if (kind === 'pod') {
    const pod = snapshot.objects.get('pods', namespace, name);
    if (!pod) throw new ExitError(ExitCode.usage, `describe: no pod ${namespace}/${name}${snapshot.mode === 'manifests' ? ' (a manifest run holds pod templates named <workload>-template; use describe workload)' : ''}`);
    subject = subjectOf(pod);
    pods = [pod];
  } else {
    pods = snapshot.objects.list('pods', namespace).filter((p) => {
      const owner = snapshot.workloads.ownerOf(p);
      return owner.name === name && WORKLOAD_KINDS.includes(owner.kind);
    }) as Pod[];
    if (pods.length === 0) throw new ExitError(ExitCode.usage, `describe: no workload ${namespace}/${name} with pods`);
    subject = snapshot.workloads.ownerOf(pods[0]);
  }
  const istio = snapshot.meshes.find((m) => m.name === 'istio');
  const options = settings.options;
  const description = describeIstio(snapshot.objects, subject, pods, {clusterDomain: options.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain, rootNamespace: istio?.rootNamespace ?? istio?.namespace ?? 'istio-system'});
  const gen = runChecks(allChecks, snapshot, {now: new Date(snapshot.takenAt), options, suppressions: settings.config.suppress});
  let step = gen.next();
  while (!step.done) step = gen.next();
  const keys = describedSubjects(description, pods.map(subjectOf));
  const findings = step.value.flatMap((r) => r.findings).filter((f) => f.subject && keys.has(subjectKey(f.subject)));
  const context = findingContext(subject, snapshot, {...(snapshot.signals ? {edges: edgeMetrics(snapshot.signals)} : {}), clusterDomain: options.clusterDomain ?? DEFAULT_OPTIONS.clusterDomain});
  const envoy = live ? await readCallerEnvoy(context, snapshot, settings) : undefined;
  const traffic = trafficOf(context, envoy);
  if (output === 'json') process.stdout.write(toSafeJson(sanitizeStrings({schemaVersion: 1, ...description, traffic, findings})));
  else process.stdout.write(renderDescription(description, findings, traffic, Date.parse(snapshot.takenAt)));
  return ExitCode.ok;
}
