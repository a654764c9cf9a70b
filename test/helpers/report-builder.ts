/**
 * Builders for Reports, for presenter tests: catalog entries, findings, results and whole reports,
 * plus two ready-made reports — `sampleReport` (every block and outcome) and `hostileReport`
 * (terminal escapes and bidi overrides in everything a cluster can name).
 */
import {buildReport} from '../../src/core/report.js';
import type {ReportHeader} from '../../src/core/report.js';
import type {
  Block, CheckId, CheckMeta, CheckResult, Evidence, Finding, MeshInfo, Origin, Outcome, Report, Severity, Subject,
  SuppressedFinding,
} from '../../src/core/types.js';

export function meta(id: CheckId, slug: string, block: Block, severity: Severity = 'error', title = `${slug.replace(/-/g, ' ')} holds`): CheckMeta {
  return {id, slug, title, block, severity, meshes: 'any', runbook: `runbooks/${block}/${slug}.md`};
}

export function subject(kind: string, namespace: string | undefined, name: string, apiVersion = 'v1'): Subject {
  return namespace === undefined ? {kind, apiVersion, name} : {kind, apiVersion, namespace, name};
}

export type FindingSpec = Readonly<{
  subject: Subject | null;
  message?: string;
  severity?: Severity;
  evidence?: Evidence;
  origin?: Origin;
}>;

export function finding(check: CheckMeta, spec: FindingSpec): Finding {
  const f: Finding = {
    checkId: check.id,
    severity: spec.severity ?? check.severity,
    subject: spec.subject,
    message: spec.message ?? `${check.slug} fired`,
    evidence: spec.evidence ?? {},
    runbook: check.runbook,
  };
  return spec.origin ? {...f, origin: spec.origin} : f;
}

export function suppressed(check: CheckMeta, spec: FindingSpec, suppressedBy: string): SuppressedFinding {
  return {...finding(check, spec), suppressedBy};
}

export type ResultSpec = Readonly<{
  findings?: readonly FindingSpec[];
  suppressed?: readonly (FindingSpec & {suppressedBy: string})[];
  reason?: string;
  durationMs?: number;
}>;

/** A result; the outcome follows the findings (fail when any) unless given. */
export function result(check: CheckMeta, spec: ResultSpec = {}, outcome?: Outcome): CheckResult {
  const findings = (spec.findings ?? []).map((f) => finding(check, f));
  const r: CheckResult = {
    check,
    outcome: outcome ?? (findings.length ? 'fail' : 'pass'),
    findings,
    suppressed: (spec.suppressed ?? []).map((s) => suppressed(check, s, s.suppressedBy)),
    durationMs: spec.durationMs ?? 12.5,
  };
  return spec.reason === undefined ? r : {...r, reason: spec.reason};
}

export const ISTIO: MeshInfo = {
  name: 'istio',
  version: '1.22.3',
  namespace: 'istio-system',
  controlPlane: 'in-cluster',
  revisions: [{name: 'default', version: '1.22.3', namespace: 'istio-system', deployment: 'istiod'}],
};

export function header(overrides: Partial<ReportHeader> = {}): ReportHeader {
  return {
    meshdoctorVersion: '0.1.0',
    context: 'prod-eu1',
    takenAt: '2025-03-04T05:06:07.890Z',
    mode: 'live',
    meshes: [ISTIO],
    sources: [
      {source: 'kubernetes', state: 'ok', at: '2025-03-04T05:06:07.000Z'},
      {source: 'metrics', state: 'unavailable', detail: 'Prometheus not reachable'},
    ],
    ...overrides,
  };
}

export function report(results: readonly CheckResult[], overrides: Partial<ReportHeader> = {}): Report {
  return buildReport(header(overrides), results);
}

/** The catalog entries of sampleReport, by id. */
export const C = {
  apiReachable: meta('MD1001', 'api-reachable', 'cluster', 'error', 'the Kubernetes API is reachable'),
  nodesReadable: meta('MD1002', 'nodes-readable', 'cluster', 'warning', 'nodes can be listed'),
  istiodReady: meta('MD2001', 'istiod-ready', 'control-plane', 'error', 'istiod pods are ready'),
  webhookValid: meta('MD2002', 'webhook-valid', 'control-plane', 'error', 'the injection webhook is valid'),
  proxySync: meta('MD3101', 'proxy-sync', 'data-plane', 'warning', 'proxies are in sync'),
  linkerdProxy: meta('MD3102', 'linkerd-proxy-version', 'data-plane', 'warning', 'linkerd proxies match the control plane'),
  mtlsStrict: meta('MD4001', 'mtls-strict', 'security', 'error', 'mesh-wide mTLS is STRICT'),
  vsDestination: meta('MD5103', 'istio-vs-destination-unresolved', 'traffic-config', 'error', 'VirtualService destinations resolve'),
  drHost: meta('MD5104', 'dr-host-matches', 'traffic-config', 'warning', 'DestinationRule hosts match a Service'),
  successRate: meta('MD6001', 'success-rate', 'traffic-health', 'warning', 'success rates are healthy'),
  latency: meta('MD6002', 'latency', 'traffic-health', 'warning', 'latency is within SLO'),
} as const;

export const CART = subject('Deployment', 'shop', 'cart', 'apps/v1');
export const VS_CART = subject('VirtualService', 'shop', 'cart', 'networking.istio.io/v1');
export const VS_ORIGIN: Origin = {file: 'deploy/shop/virtual-service.yaml', line: 12};

/**
 * Every block, every outcome: 11 checks — 2 pass, 5 fail, 2 skip, 1 not-applicable, 1 crash;
 * findings 3 error, 3 warning, 1 info; 2 suppressed; one finding with an origin.
 */
export function sampleReport(overrides: Partial<ReportHeader> = {}): Report {
  return report([
    result(C.apiReachable),
    result(C.nodesReadable, {reason: 'forbidden: list nodes'}, 'skip'),
    result(C.istiodReady, {findings: [
      {subject: subject('Deployment', 'istio-system', 'istiod', 'apps/v1'), message: '0 of 2 istiod pods are ready', evidence: {ready: 0, desired: 2}},
      {subject: subject('Pod', 'istio-system', 'istiod-7f9c-abcde'), message: 'istiod pod restarted 7 times', severity: 'warning', evidence: {restarts: 7}},
    ]}),
    result(C.webhookValid, {reason: 'TypeError: cannot read properties of undefined'}, 'crash'),
    result(C.proxySync, {findings: [
      {subject: subject('Pod', 'shop', 'cart-6d4b-xk2p9'), message: 'proxy is STALE for 3m', evidence: {status: 'STALE'}},
      {subject: subject('Pod', 'shop', 'cart-6d4b-zz7q1'), message: 'proxy is NOT SENT'},
    ]}),
    result(C.linkerdProxy, {reason: 'Linkerd is not detected'}, 'not-applicable'),
    result(C.mtlsStrict, {
      findings: [{subject: null, message: 'mesh-wide PeerAuthentication is PERMISSIVE', evidence: {mode: 'PERMISSIVE'}}],
      suppressed: [{subject: subject('Namespace', undefined, 'legacy'), message: 'namespace legacy allows plaintext', suppressedBy: 'config: legacy apps migrate in Q3'}],
    }),
    result(C.vsDestination, {findings: [
      {subject: VS_CART, message: 'destination host cart-v2 matches no Service', evidence: {host: 'cart-v2', route: 0}, origin: VS_ORIGIN},
    ]}),
    result(C.drHost, {suppressed: [
      {subject: subject('DestinationRule', 'shop', 'old-cart', 'networking.istio.io/v1'), message: 'host old-cart matches no Service', suppressedBy: 'annotation meshdoctor.io/ignore on DestinationRule old-cart'},
    ]}),
    result(C.successRate, {findings: [{subject: CART, message: 'success rate 99.2 % is below 99.5 %', severity: 'info', evidence: {successRate: 0.992}}]}),
    result(C.latency, {reason: 'Prometheus not reachable'}, 'skip'),
  ], overrides);
}

/** What a hostile cluster can put in names and messages: SGR, OSC title set, BEL, CR, bidi override. */
export const HOSTILE = 'x\u001b[31mred\u001b]0;pwned\u0007\rback\u202eevil\u0085nel';
export const HOSTILE_NAME = `cart${HOSTILE}`;

/** One failing check whose subject, message, evidence, suppression and reasons all carry HOSTILE. */
export function hostileReport(): Report {
  const evil = subject('Deployment', `shop${HOSTILE}`, HOSTILE_NAME, 'apps/v1');
  return report([
    result(C.vsDestination, {
      findings: [
        {subject: evil, message: `route to ${HOSTILE} fails`, evidence: {host: HOSTILE, count: 3}, origin: {file: `deploy/${HOSTILE}.yaml`, line: 4}},
        {subject: null, message: `cluster ${HOSTILE}`, severity: 'warning'},
      ],
      suppressed: [{subject: evil, message: `old ${HOSTILE}`, suppressedBy: `annotation on ${HOSTILE}`}],
    }),
    result(C.nodesReadable, {reason: `forbidden ${HOSTILE}`}, 'skip'),
    result(C.webhookValid, {reason: `crash ${HOSTILE}`}, 'crash'),
    result(C.linkerdProxy, {reason: `n/a ${HOSTILE}`}, 'not-applicable'),
  ], {
    context: `ctx${HOSTILE}`,
    meshes: [{...ISTIO, namespace: `istio${HOSTILE}`, version: `1.22${HOSTILE}`}],
    sources: [{source: 'metrics', state: 'partial', detail: `scrape ${HOSTILE}`}],
  });
}

/** Characters no presenter may emit raw: ESC, BEL, CR, C1 (NEL), bidi override. */
export const RAW_UNSAFE = /[\u001b\u0007\r\u0085\u202e]/;
