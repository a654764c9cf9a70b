/**
 * The demo's parts in-process: scenario files load and say precisely what is wrong with a bad one;
 * a world merges the manifests with the simulator's objects as documented (manifest objects replace
 * simulated ones, workload changes, an EndpointSlice for every selector Service); the fake istiod's
 * syncz reports the scenario's stale proxy and nothing else; the metrics served for idle control-plane
 * pods and the Prometheus backfill carry exactly the labels a live scrape gets.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {EndpointSlice, KubeObject, Pod, Service} from '../../../src/core/kube-types/index.js';
import {parseSyncz} from '../../../src/sources/control-plane/syncz.js';
import {xdsStatus, XDS_TYPES} from '../../../src/mesh/istio/syncz.js';
import {parseExposition} from '../../../src/sources/metrics/exposition.js';
import {listScenarios, scenarioNames, scenariosRoot} from '../../../src/sim/demo/catalog.js';
import {syncz} from '../../../src/sim/demo/istiod.js';
import {podMetricsText, scrapedPods, targetLabels, writeHistory} from '../../../src/sim/demo/metrics.js';
import {loadScenario, ScenarioError} from '../../../src/sim/demo/scenario.js';
import {buildWorld, type World} from '../../../src/sim/demo/world.js';
import {ManualClock} from '../../../src/sim/traffic/index.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const clock = new ManualClock(NOW);

function find<T extends KubeObject>(world: World, kind: string, namespace: string | undefined, name: string): T {
  const o = world.objects.find((x) => x.kind === kind && x.metadata.namespace === namespace && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${namespace}/${name}`);
  return o as T;
}

function podsOf(world: World, namespace: string, prefix: string): Pod[] {
  return world.objects.filter((o): o is Pod => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.name.startsWith(prefix));
}

describe('scenario files', () => {
  test('the three scenarios are installed, the default first, each with a one-line description', () => {
    expect(scenarioNames()).toEqual(['istio-shop', 'healthy', 'linkerd-emojivoto']);
    for (const s of listScenarios()) {
      expect(s.description.length, s.name).toBeGreaterThan(20);
      expect(s.description, s.name).not.toContain('\n');
    }
  });

  test.each(['istio-shop', 'healthy', 'linkerd-emojivoto'])('%s loads: fault times written against "now" become offsets from the traffic start', (name) => {
    const s = loadScenario(name);
    expect(s.clock.historySeconds).toBe(3600);
    expect(s.graph.start).toBe('-3600s');
    for (const e of s.expect) expect(e.subject).toMatch(/^\S+ \S+$/);
  });

  test('istio-shop: the canary fault starts 20 minutes before the demo opens and worsens from the moment it does', () => {
    const faults = loadScenario('istio-shop').graph.faults ?? [];
    expect(faults.find((f) => f.name === 'canary connection failures')).toMatchObject({at: 2400, ramp: '5m'});
    expect(faults.find((f) => f.name === 'canary gets worse')).toMatchObject({at: 3600});
    expect(faults.find((f) => f.name === 'canary not yet rolled out')).toMatchObject({at: 0, until: 2100});
  });

  test('an unknown scenario is an error that lists the known ones', () => {
    expect(() => loadScenario('istio-shp')).toThrow(new ScenarioError('unknown scenario "istio-shp"; known scenarios: istio-shop, healthy, linkerd-emojivoto'));
  });

  describe('a broken scenario says which field is wrong', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'md-scenarios-'));
      cpSync(scenariosRoot(), root, {recursive: true});
    });
    afterAll(() => rmSync(root, {recursive: true, force: true}));

    const cases: readonly [string, (text: string) => string, RegExp][] = [
      ['a fault before the history starts', (t) => t.replace('history: 1h', 'history: 10m'), /faults\[\d\]\.until: "now-25m" is before the simulated history starts/],
      ['changes for a workload the traffic graph lacks', (t) => t.replace('shop/checkout-v2: {startedAt: -26m}', 'shop/checkout-v3: {startedAt: -26m}'), /workloads\["shop\/checkout-v3"\]: no workload shop\/checkout-v3/],
      ['a start time that is not relative', (t) => t.replace('shop/checkout-v2: {startedAt: -26m}', 'shop/checkout-v2: {startedAt: yesterday}'), /startedAt: must be relative to now like -26m/],
      ['an expected finding without a severity', (t) => t.replace('finding: MD5103 error VirtualService', 'finding: MD5103 VirtualService'), /expect\[\d\]\.finding: "MD5103 VirtualService shop\/catalog" is not "MDxxxx error\|warning\|info Kind namespace\/name"/],
      ['a stale proxy of another xDS type', (t) => t.replace('type: RDS, since: 3m', 'type: SDS, since: 3m'), /controlPlane\.istiod\.stale\[0\]\.type: must be one of CDS, LDS, RDS, EDS/],
      ['a missing manifest file', (t) => t.replace('manifests.yaml]', 'manifest.yaml]'), /manifests\[2\]: manifest.yaml does not exist/],
      ['a name that differs from the directory', (t) => t.replace('name: istio-shop', 'name: shop'), /name: is "shop" but the directory is "istio-shop"/],
    ];
    test.each(cases)('%s', (_what, edit, message) => {
      const file = join(root, 'istio-shop', 'scenario.yaml');
      const original = readFileSync(file, 'utf8');
      const edited = edit(original);
      expect(edited).not.toBe(original);
      writeFileSync(file, edited);
      try {
        expect(() => loadScenario('istio-shop', root)).toThrow(message);
      } finally {
        writeFileSync(file, original);
      }
    });

    test('a traffic graph error names the traffic file and the field', () => {
      const file = join(root, 'istio-shop', 'traffic.yaml');
      const original = readFileSync(file, 'utf8');
      const edited = original.replace('{from: shop/frontend, to: shop/cart, rps: 240}', '{from: shop/frontend, to: shop/cart, rps: -240}');
      expect(edited).not.toBe(original);
      writeFileSync(file, edited);
      try {
        expect(() => loadScenario('istio-shop', root)).toThrow(/traffic\.yaml: edges\[2\]: rps must be ≥ 0/);
      } finally {
        writeFileSync(file, original);
      }
    });
  });
});

describe('the istio-shop world', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(loadScenario('istio-shop'), {clock});
  });

  test('a manifest object replaces the simulator\'s object of the same kind, namespace and name', () => {
    expect(find<Service>(world, 'Service', 'shop', 'checkout-canary').spec?.selector).toEqual({app: 'checkout', version: 'v2'});
    expect(world.objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === 'shop' && o.metadata.name === 'checkout-canary')).toHaveLength(1);
    expect(find<Service>(world, 'Service', 'istio-ingress', 'istio-ingressgateway').spec?.type).toBe('LoadBalancer');
  });

  test('every selector Service has an EndpointSlice of the pods it selects', () => {
    const slices = world.objects.filter((o): o is EndpointSlice => o.kind === 'EndpointSlice');
    const sliceOf = (ns: string, svc: string) => slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === svc);
    const services = world.objects.filter((o): o is Service => o.kind === 'Service' && !!o.spec?.selector);
    for (const svc of services) expect(sliceOf(svc.metadata.namespace!, svc.metadata.name), `${svc.metadata.namespace}/${svc.metadata.name}`).toHaveLength(1);
    const apex = sliceOf('shop', 'checkout')[0];
    expect(apex.endpoints?.map((e) => e.targetRef?.name).sort()).toEqual(podsOf(world, 'shop', 'checkout-').map((p) => p.metadata.name).sort());
    expect(apex.endpoints?.every((e) => e.conditions?.ready === true)).toBe(true);
    expect(sliceOf('istio-system', 'istiod')[0].endpoints?.map((e) => e.addresses[0])).toEqual(['10.244.0.10']);
    expect(sliceOf('istio-system', 'istiod')[0].ports).toContainEqual({name: 'https-webhook', port: 15017, protocol: 'TCP'});
  });

  test('workload changes: gateway pods are their proxy with the gateway label; start times as the scenario says', () => {
    const gateway = podsOf(world, 'istio-ingress', 'istio-ingressgateway-');
    expect(gateway).toHaveLength(2);
    for (const pod of gateway) {
      expect(pod.metadata.labels).toMatchObject({app: 'istio-ingressgateway', istio: 'ingressgateway'});
      expect(pod.spec.containers.map((c) => c.name)).toEqual(['istio-proxy']);
    }
    const canary = podsOf(world, 'shop', 'checkout-v2-')[0];
    expect(Date.parse(canary.status!.startTime!)).toBe(NOW - 26 * 60_000);
    expect(Date.parse(podsOf(world, 'shop', 'frontend-')[0].status!.startTime!)).toBe(NOW - 6 * 86_400_000);
    expect(podsOf(world, 'shop', 'email-')[0].spec.containers.map((c) => c.name)).toEqual(['email']);
  });

  test('the manifests\' certificates are generated relative to now', () => {
    const secret = find<KubeObject & {data: Record<string, string>}>(world, 'Secret', 'istio-system', 'cacerts');
    const pem = Buffer.from(secret.data['ca-cert.pem'], 'base64').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  test('fake istiod: every running istio-proxy is connected and synced, except the scenario\'s stale cart proxy', () => {
    const {proxies} = parseSyncz(syncz(world));
    const sidecars = world.objects.filter((o): o is Pod => o.kind === 'Pod' && (o as Pod).spec.containers.some((c) => c.name === 'istio-proxy'));
    expect(proxies.map((p) => p.proxy).sort()).toEqual(sidecars.map((p) => `${p.metadata.name}.${p.metadata.namespace}`).sort());
    const cart = world.sim.workloads.find((w) => w.key === 'shop/cart')!.pods[0];
    const stale: string[] = [];
    for (const p of proxies) {
      for (const [type, state] of Object.entries(p.types)) {
        const status = xdsStatus(state);
        if (status !== 'SYNCED') stale.push(`${p.proxy} ${type} ${status}`);
      }
    }
    expect(stale).toEqual([`${cart.name}.shop ${XDS_TYPES.RDS} STALE`]);
    const rds = proxies.find((p) => p.proxy === `${cart.name}.shop`)!.types[XDS_TYPES.RDS];
    expect(Date.parse(rds.sentTime!)).toBe(Math.floor((NOW - 180_000) / 1000) * 1000);
    expect(proxies.filter((p) => p.proxyType === 'router').map((p) => p.proxy.split('.')[1])).toEqual(['istio-ingress', 'istio-ingress']);
  });

  test('the incident: no canary traffic before its rollout, 12 % UF,URX when the demo opens, worse ten minutes later', () => {
    const frontend = world.sim.workloads.find((w) => w.key === 'shop/frontend')!;
    const toCanary = (at: number) => {
      let total = 0;
      let flagged = 0;
      for (const pod of frontend.pods) {
        for (const s of world.sim.samples(pod, at)) {
          if (s.name !== 'istio_requests_total' || s.labels.reporter !== 'source' || s.labels.destination_service_name !== 'checkout-canary') continue;
          total += s.value;
          if (s.labels.response_flags === 'UF,URX') flagged += s.value;
        }
      }
      return {total, flagged};
    };
    const share = (from: number, to: number) => {
      const a = toCanary(from);
      const b = toCanary(to);
      return {rps: (b.total - a.total) / ((to - from) / 1000), failed: (b.flagged - a.flagged) / (b.total - a.total)};
    };
    expect(toCanary(NOW - 30 * 60_000).total).toBe(0);
    const opening = share(NOW - 60_000, NOW);
    expect(opening.rps).toBe(60);
    expect(opening.failed).toBe(0.12);
    const later = share(NOW + 9 * 60_000, NOW + 10 * 60_000);
    expect(later.failed).toBeGreaterThan(0.17);
    expect(later.failed).toBeLessThan(0.19);
  });

  test('the un-meshed pods expose no proxy metrics', () => {
    const scraped = new Set(scrapedPods(world).map((p) => `${p.namespace}/${p.name}`));
    for (const pod of [...podsOf(world, 'shop', 'email-'), ...podsOf(world, 'batch', 'settlement-exporter-'), ...podsOf(world, 'istio-system', 'istiod-')]) {
      expect(scraped.has(`${pod.metadata.namespace}/${pod.metadata.name}`)).toBe(false);
      expect(podMetricsText(world, pod.metadata.namespace!, pod.metadata.name)).toBeUndefined();
    }
  });
});

describe('the linkerd-emojivoto world', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(loadScenario('linkerd-emojivoto'), {clock});
  });

  test('emoji runs the previous proxy (image and annotation); its neighbours the current one', () => {
    const [emoji] = podsOf(world, 'emojivoto', 'emoji-');
    expect(emoji.spec.containers.find((c) => c.name === 'linkerd-proxy')!.image).toBe('cr.l5d.io/linkerd/proxy:edge-25.4.4');
    expect(emoji.metadata.annotations?.['linkerd.io/proxy-version']).toBe('edge-25.4.4');
    expect(emoji.spec.serviceAccountName).toBe('emoji');
    expect(podsOf(world, 'emojivoto', 'web-')[0].spec.containers.find((c) => c.name === 'linkerd-proxy')!.image).toBe('cr.l5d.io/linkerd/proxy:edge-25.8.1');
  });

  test('control-plane pods from the manifests idle: presence metrics with their proxy version, scraped like the others', () => {
    expect(world.idlePods.map((p) => `${p.namespace}/${p.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')}@${p.version}`).sort())
      .toEqual(['linkerd/linkerd-destination@edge-25.8.1', 'linkerd/linkerd-identity@edge-25.8.1', 'linkerd/linkerd-proxy-injector@edge-25.8.1']);
    const idle = world.idlePods[0];
    const samples = parseExposition(podMetricsText(world, idle.namespace, idle.name)!);
    expect(samples.map((s) => `${s.name} ${s.labels.version}`)).toEqual(['proxy_build_info edge-25.8.1']);
    expect(scrapedPods(world).map((p) => `${p.namespace}/${p.name}`)).toContain(`${idle.namespace}/${idle.name}`);
  });

  test('the Prometheus backfill carries exactly the labels the live scrape adds, and counters from the simulator', () => {
    const chunks: string[] = [];
    const to = NOW;
    const count = writeHistory(world, {fromMs: to - 60_000, toMs: to, stepSeconds: 15}, (c) => chunks.push(c));
    const text = chunks.join('');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(count).toBe(text.split('\n').filter((l) => l && !l.startsWith('#')).length);
    const web = scrapedPods(world).find((p) => p.name.startsWith('web-'))!;
    const labels = targetLabels(web);
    expect(labels).toMatchObject({namespace: 'emojivoto', pod: web.name, deployment: 'web', job: 'meshdoctor-demo', instance: `emojivoto/${web.name}`});
    const webLines = text.split('\n').filter((l) => l.includes(`pod="${web.name}"`) && l.startsWith('response_total{') && l.includes('direction="inbound"') && l.includes('classification="success"') && l.includes('tls="true"'));
    expect(webLines).toHaveLength(5);
    // 200 rps, 4 % errors: 192 successes per second, 2880 between samples 15 s apart.
    const values = webLines.map((l) => Number(l.split(' ')[1]));
    for (let i = 1; i < values.length; i++) expect(values[i] - values[i - 1]).toBe(2880);
    for (const [k, v] of Object.entries(labels)) expect(webLines[0]).toContain(`${k}="${v}"`);
  });
});

test('a scenario can make istiod report a rejected push (ERROR with the NACK text)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'md-scenarios-'));
  try {
    cpSync(scenariosRoot(), root, {recursive: true});
    const file = join(root, 'istio-shop', 'scenario.yaml');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('      - {workload: shop/cart, pod: 0, type: RDS, since: 3m}', '      - {workload: shop/cart, pod: 0, type: RDS, since: 3m}\n    rejected:\n      - {workload: shop/frontend, pod: 2, type: CDS, error: "cluster shop/fraud: invalid outlier detection"}');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const world = await buildWorld(loadScenario('istio-shop', root), {clock});
    const pod = world.sim.workloads.find((w) => w.key === 'shop/frontend')!.pods[2];
    const {proxies} = parseSyncz(syncz(world));
    const cds = proxies.find((p) => p.proxy === `${pod.name}.shop`)!.types[XDS_TYPES.CDS];
    expect(xdsStatus(cds)).toBe('ERROR');
    expect(cds.lastError).toBe('cluster shop/fraud: invalid outlier detection');
    expect(proxies.filter((p) => Object.values(p.types).some((t) => xdsStatus(t) === 'ERROR'))).toHaveLength(1);
  } finally {
    rmSync(root, {recursive: true, force: true});
  }
});

test('two definitions of one object in a scenario\'s manifests are an error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'md-scenarios-'));
  try {
    cpSync(scenariosRoot(), root, {recursive: true});
    const file = join(root, 'healthy', 'scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('manifests: [../_shared/cluster.yaml,', 'manifests: [../_shared/cluster.yaml, ../_shared/cluster.yaml,'));
    await expect(buildWorld(loadScenario('healthy', root), {clock})).rejects.toThrow('scenario healthy: Namespace default is defined twice in its manifests');
  } finally {
    rmSync(root, {recursive: true, force: true});
  }
});
