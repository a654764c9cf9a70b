/**
 * Demo scenarios as data (`scenarios/<name>/scenario.yaml` + manifests + a traffic graph): finding
 * them, reading them, and saying clearly what is wrong with one. A scenario names its manifest files
 * (YAML with certificate tags, src/sim/manifest-template.ts), its traffic graph
 * (src/sim/traffic/graph.ts, with fault times that may be written relative to the moment the demo
 * opens: `now`, `now-20m`, `now+5m`), its clock, changes to the simulator's workload objects, the
 * control plane's behaviour, and the findings it is designed to produce. Pure except for reading files.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {parseDuration} from '../../core/duration.js';
import type {Severity} from '../../core/types.js';
import type {FaultSpec, TrafficGraph} from '../traffic/graph.js';
import {GraphError, validateGraph} from '../traffic/graph.js';
import {scenarioNames, scenariosRoot} from './catalog.js';
import {yamlDocument} from './compiled-yaml.js';

export class ScenarioError extends Error {}

export type WorkloadOverlay = Readonly<{
  /** Added to the pods' labels (and the pod template's), e.g. `istio: ingressgateway`. */
  podLabels?: Readonly<Record<string, string>>;
  /** Added to the pods' annotations (and the pod template's), e.g. `config.linkerd.io/access-log: json`. */
  podAnnotations?: Readonly<Record<string, string>>;
  /** When the workload's pods started, relative to the demo's start (`-26m`, `-6d`). */
  startedAt?: string;
  /** The proxy image tag of its pods (a proxy left behind by an upgrade). */
  proxyVersion?: string;
  /** The pods' ServiceAccount (default: the app name). */
  serviceAccount?: string;
}>;

export type XdsTypeName = 'CDS' | 'LDS' | 'RDS' | 'EDS';

export type StaleProxy = Readonly<{workload: string; pod: number; type: XdsTypeName; since: number}>;
export type RejectedProxy = Readonly<{workload: string; pod: number; type: XdsTypeName; error: string}>;

export type ExpectedFinding = Readonly<{checkId: string; severity: Severity; subject: string; cause?: string}>;

export type Scenario = Readonly<{
  name: string;
  description: string;
  story?: string;
  dir: string;
  /** Manifest files, absolute. */
  manifests: readonly string[];
  /** The traffic graph, with `now`-relative fault times resolved against `clock.history`. */
  graph: TrafficGraph;
  clock: Readonly<{historySeconds: number; backfillSeconds: number; scrapeIntervalSeconds: number; workloadsStarted: string}>;
  workloads: Readonly<Record<string, WorkloadOverlay>>;
  controlPlane: Readonly<{istiod: Readonly<{stale: readonly StaleProxy[]; rejected: readonly RejectedProxy[]}>}>;
  expect: readonly ExpectedFinding[];
}>;

export {DEFAULT_SCENARIO, listScenarios, scenarioNames, scenariosRoot} from './catalog.js';
export type {ScenarioSummary} from './catalog.js';

// ---- validation helpers ------------------------------------------------------------------------

type Raw = Record<string, unknown>;

function isMap(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(file: string, where: string, message: string): never {
  throw new ScenarioError(`${file}: ${where}: ${message}`);
}

function text(file: string, where: string, v: unknown, optional = false): string {
  if (v === undefined && optional) return '';
  if (typeof v !== 'string' || v.trim() === '') fail(file, where, 'must be a non-empty string');
  return v;
}

function seconds(file: string, where: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const s = typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined;
  if (s === undefined || !(s > 0)) fail(file, where, `must be a duration like 15s, 20m or 1h, got ${JSON.stringify(v)}`);
  return s;
}

const RELATIVE = /^([+-])(\d+(?:\.\d+)?)(m|h|d|y)$/;

function relative(file: string, where: string, v: unknown): string {
  if (typeof v !== 'string' || !RELATIVE.test(v.trim())) fail(file, where, `must be relative to now like -26m or -6d, got ${JSON.stringify(v)}`);
  return v.trim();
}

const SUBJECT = /^(\S+) (\S+\/\S+|\S+)$/;
const XDS: readonly XdsTypeName[] = ['CDS', 'LDS', 'RDS', 'EDS'];

/** `MD6001 error Deployment shop/checkout-v2` → parts. */
function expected(file: string, where: string, v: unknown): ExpectedFinding {
  const item = isMap(v) ? v : fail(file, where, 'must be {finding: "MDxxxx severity Kind ns/name", cause: …}');
  const finding = text(file, `${where}.finding`, item.finding).trim();
  const m = /^(MD\d{4}) (error|warning|info) (.+)$/.exec(finding);
  if (!m || !SUBJECT.test(m[3])) fail(file, `${where}.finding`, `"${finding}" is not "MDxxxx error|warning|info Kind namespace/name"`);
  return {checkId: m[1], severity: m[2] as Severity, subject: m[3], ...(typeof item.cause === 'string' ? {cause: item.cause} : {})};
}

/** Fault times written against the demo's opening (`now`, `now-20m`, `now+5m`) → offsets from the graph start. */
function resolveFaultTime(file: string, where: string, v: unknown, historySeconds: number): string | number | undefined {
  if (typeof v !== 'string') return v as number | undefined;
  const m = /^now(?:\s*([+-])\s*(.+))?$/.exec(v.trim());
  if (!m) return v;
  const delta = m[2] === undefined ? 0 : parseDuration(m[2]);
  if (delta === undefined) fail(file, where, `"${v}" is not now±duration (now-20m, now+5m)`);
  const offset = historySeconds + (m[1] === '-' ? -delta : delta);
  if (offset < 0) fail(file, where, `"${v}" is before the simulated history starts (history is ${historySeconds}s)`);
  return offset;
}

function graphFor(file: string, textContent: string, historySeconds: number): TrafficGraph {
  const raw = yamlDocument(file, textContent) as Raw | null;
  if (!isMap(raw)) fail(file, 'traffic graph', 'must be a mapping with workloads and edges');
  if (raw.start !== undefined) fail(file, 'start', 'the scenario\'s clock.history sets when the traffic starts; remove start');
  const faults = Array.isArray(raw.faults) ? (raw.faults as Raw[]).map((f, i) => (isMap(f) ? {
    ...f,
    at: resolveFaultTime(file, `faults[${i}].at`, f.at, historySeconds),
    ...(f.until !== undefined ? {until: resolveFaultTime(file, `faults[${i}].until`, f.until, historySeconds)} : {}),
  } : f)) : raw.faults;
  const graph = {...raw, start: `-${historySeconds}s`, ...(faults !== undefined ? {faults: faults as FaultSpec[]} : {})} as unknown as TrafficGraph;
  try {
    return validateGraph(graph);
  } catch (error) {
    throw new GraphError(`${file}: ${(error as Error).message}`);
  }
}

/** Read and validate one scenario by name. Unknown name → ScenarioError listing the known ones. */
export function loadScenario(name: string, root = scenariosRoot()): Scenario {
  const known = scenarioNames(root);
  if (!known.includes(name)) {
    throw new ScenarioError(`unknown scenario "${name}"; known scenarios: ${known.join(', ') || '(none installed)'}`);
  }
  const dir = join(root, name);
  const file = join(dir, 'scenario.yaml');
  let raw: unknown;
  try {
    raw = yamlDocument(file, readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isMap(raw)) fail(file, 'scenario', 'must be a mapping');
  if (raw.name !== undefined && raw.name !== name) fail(file, 'name', `is "${String(raw.name)}" but the directory is "${name}"`);
  const description = text(file, 'description', raw.description);

  const manifestList = Array.isArray(raw.manifests) ? raw.manifests : fail(file, 'manifests', 'must be a list of files');
  const manifests = manifestList.map((m, i) => {
    const path = resolve(dir, text(file, `manifests[${i}]`, m));
    if (!existsSync(path)) fail(file, `manifests[${i}]`, `${m} does not exist`);
    return path;
  });

  const clockRaw = raw.clock === undefined ? {} : isMap(raw.clock) ? raw.clock : fail(file, 'clock', 'must be a mapping');
  const historySeconds = seconds(file, 'clock.history', clockRaw.history, 3600);
  const clock = {
    historySeconds,
    backfillSeconds: Math.min(historySeconds, seconds(file, 'clock.backfill', clockRaw.backfill, 1200)),
    scrapeIntervalSeconds: seconds(file, 'clock.scrapeInterval', clockRaw.scrapeInterval, 15),
    workloadsStarted: clockRaw.workloadsStarted === undefined ? `-${Math.ceil(historySeconds / 60)}m` : relative(file, 'clock.workloadsStarted', clockRaw.workloadsStarted),
  };

  const trafficFile = resolve(dir, text(file, 'traffic', raw.traffic));
  if (!existsSync(trafficFile)) fail(file, 'traffic', `${String(raw.traffic)} does not exist`);
  const graph = graphFor(trafficFile, readFileSync(trafficFile, 'utf8'), historySeconds);
  const workloadKeys = new Set(graph.workloads.map((w) => `${w.namespace}/${w.name}`));

  const workloads: Record<string, WorkloadOverlay> = {};
  const overlays = raw.workloads === undefined ? {} : isMap(raw.workloads) ? raw.workloads : fail(file, 'workloads', 'must map namespace/name to changes');
  for (const [key, value] of Object.entries(overlays)) {
    const where = `workloads["${key}"]`;
    if (!workloadKeys.has(key)) fail(file, where, `no workload ${key} in ${raw.traffic}`);
    const o = isMap(value) ? value : fail(file, where, 'must be a mapping');
    const podLabels = o.podLabels === undefined ? undefined : isMap(o.podLabels) && Object.values(o.podLabels).every((v) => typeof v === 'string') ? (o.podLabels as Record<string, string>) : fail(file, `${where}.podLabels`, 'must map label → string');
    const podAnnotations = o.podAnnotations === undefined ? undefined : isMap(o.podAnnotations) && Object.values(o.podAnnotations).every((v) => typeof v === 'string') ? (o.podAnnotations as Record<string, string>) : fail(file, `${where}.podAnnotations`, 'must map annotation → string');
    workloads[key] = {
      ...(podLabels ? {podLabels} : {}),
      ...(podAnnotations ? {podAnnotations} : {}),
      ...(o.startedAt !== undefined ? {startedAt: relative(file, `${where}.startedAt`, o.startedAt)} : {}),
      ...(o.proxyVersion !== undefined ? {proxyVersion: text(file, `${where}.proxyVersion`, o.proxyVersion)} : {}),
      ...(o.serviceAccount !== undefined ? {serviceAccount: text(file, `${where}.serviceAccount`, o.serviceAccount)} : {}),
    };
  }

  const cp = raw.controlPlane === undefined ? {} : isMap(raw.controlPlane) ? raw.controlPlane : fail(file, 'controlPlane', 'must be a mapping');
  const istiod = cp.istiod === undefined ? {} : isMap(cp.istiod) ? cp.istiod : fail(file, 'controlPlane.istiod', 'must be a mapping');
  const proxyRef = (where: string, v: unknown): {workload: string; pod: number; type: XdsTypeName; item: Raw} => {
    const item = isMap(v) ? v : fail(file, where, 'must be a mapping');
    const workload = text(file, `${where}.workload`, item.workload);
    if (!workloadKeys.has(workload)) fail(file, `${where}.workload`, `no workload ${workload} in ${raw.traffic}`);
    const pod = item.pod === undefined ? 0 : typeof item.pod === 'number' && Number.isInteger(item.pod) && item.pod >= 0 ? item.pod : fail(file, `${where}.pod`, 'must be a pod index (0, 1, …)');
    const type = text(file, `${where}.type`, item.type) as XdsTypeName;
    if (!XDS.includes(type)) fail(file, `${where}.type`, `must be one of ${XDS.join(', ')}`);
    return {workload, pod, type, item};
  };
  const list = (key: string): unknown[] => (istiod[key] === undefined ? [] : Array.isArray(istiod[key]) ? (istiod[key] as unknown[]) : fail(file, `controlPlane.istiod.${key}`, 'must be a list'));
  const stale = list('stale').map((v, i) => {
    const {item, ...ref} = proxyRef(`controlPlane.istiod.stale[${i}]`, v);
    return {...ref, since: seconds(file, `controlPlane.istiod.stale[${i}].since`, item.since, 180)};
  });
  const rejected = list('rejected').map((v, i) => {
    const {item, ...ref} = proxyRef(`controlPlane.istiod.rejected[${i}]`, v);
    return {...ref, error: text(file, `controlPlane.istiod.rejected[${i}].error`, item.error)};
  });

  const expectList = raw.expect === undefined ? [] : Array.isArray(raw.expect) ? raw.expect : fail(file, 'expect', 'must be a list');
  return {
    name,
    description,
    ...(typeof raw.story === 'string' ? {story: raw.story} : {}),
    dir,
    manifests,
    graph,
    clock,
    workloads,
    controlPlane: {istiod: {stale, rejected}},
    expect: expectList.map((v, i) => expected(file, `expect[${i}]`, v)),
  };
}
