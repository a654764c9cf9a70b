/**
 * `runbook` and `describe` against a live cluster — the istio-shop demo's world on the fixture API
 * server, read by the built CLI as a user would: commands are filled from the real objects (the
 * canary Service's own selector, the kubeconfig's context without --context), the route and its
 * weights are shown, and `describe workload` reports the failing canary's findings. Their -o json
 * documents validate against schemas/runbook-report.schema.json and schemas/describe-report.schema.json.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {loadScenario} from '../../src/sim/demo/scenario.js';
import {serveWorld, type ServedWorld} from '../../src/sim/demo/serve.js';
import {buildWorld} from '../../src/sim/demo/world.js';
import {runCli} from '../helpers/cli.js';
import {errorsOf} from '../helpers/schemas.js';

let served: ServedWorld;

beforeAll(async () => {
  served = await serveWorld(await buildWorld(loadScenario('istio-shop')));
});
afterAll(async () => served?.stop());

describe('runbook filled from the real objects', () => {
  test('MD6007 on the canary Service: its own selector, the caller\'s pod, the context from the kubeconfig, the weight patch', async () => {
    const r = await runCli(['runbook', 'MD6007', '--for', 'shop/checkout-canary', '--kubeconfig', served.kubeconfig, '--metrics-source', 'proxies'], {timeoutMs: 60_000});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Filled in for MD6007's finding on Service shop/checkout-canary (error)");
    expect(r.stdout).toContain('kubectl --context meshdoctor-demo-istio-shop -n shop get pods -l app=checkout,version=v2 ');
    expect(r.stdout).not.toContain('<context>');
    expect(r.stdout).toMatch(/meshdoctor --context meshdoctor-demo-istio-shop proxy-config frontend-\S+ -n shop endpoints/);
    expect(r.stdout).toContain(`patch virtualservices.networking.istio.io/checkout --type=json -p '[{"op":"replace","path":"/spec/http/0/route/0/weight","value":100},{"op":"replace","path":"/spec/http/0/route/1/weight","value":0}]'`);
    expect(r.stdout).toContain('- Routed by VirtualService shop/checkout http[0] "canary-split": 75% checkout-stable, 25% checkout-canary ← here');
    // What the failing caller's Envoy sees of the canary (read from its admin endpoint through a port-forward).
    expect(r.stdout).toMatch(/^- frontend-\S+'s Envoy sees 0 of 1 endpoint\(s\) healthy: 10\.\d+\.\d+\.\d+:8080 HEALTHY, ejected by outlier detection$/m);
  });

  test('-o json: the same filling with what was read about the object, valid against its schema', async () => {
    const r = await runCli(['runbook', 'MD6007', '--for', 'shop/checkout-canary', '--kubeconfig', served.kubeconfig, '--metrics-source', 'proxies', '-o', 'json'], {timeoutMs: 60_000});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({schemaVersion: 1, checkId: 'MD6007', target: 'shop/checkout-canary', values: {context: 'meshdoctor-demo-istio-shop'}});
    expect(d.context.selector).toBe('app=checkout,version=v2');
    expect(d.context.callerEnvoy.endpoints).toEqual([expect.objectContaining({ejected: true})]);
    expect(d.steps.flatMap((s: {commands: unknown[]}) => s.commands).length).toBeGreaterThan(0);
    expect(errorsOf('runbook-report', d)).toEqual([]);
    // Closed records: a renamed field of a command, or an unknown placeholder, does not validate.
    const [step] = d.steps;
    expect(errorsOf('runbook-report', {...d, steps: [{...step, commands: [{cmd: 'kubectl get pods', kind: 'read', gaps: []}]}]})).not.toEqual([]);
    expect(errorsOf('runbook-report', {...d, values: {...d.values, cluster: 'x'}})).not.toEqual([]);
  });

  test('MD6001 on the canary: rolling back is shown as not filled (one revision), never as a wrong command', async () => {
    const r = await runCli(['runbook', 'MD6001', '--for', 'shop/checkout-v2', '--kubeconfig', served.kubeconfig, '--metrics-source', 'proxies'], {timeoutMs: 60_000});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# not filled: {{previousRevision}}: deployment shop/checkout-v2 has only revision 1: there is nothing to roll back to');
    expect(r.stdout.split('\n').filter((l) => /^\s*kubectl .*rollout undo/.test(l))).toEqual([]);
    expect(r.stdout).toMatch(/- Preceded by rollout: ReplicaSet checkout-v2-\S+ \(revision 1\) created, 2\dm ago/);
  });
});

describe('describe workload', () => {
  test('the failing canary: its findings, the route and weights that send traffic to it, its caller', async () => {
    const r = await runCli(['describe', 'workload', 'shop/checkout-v2', '--kubeconfig', served.kubeconfig, '--metrics-source', 'proxies', '-o', 'json'], {timeoutMs: 60_000});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.findings.map((f: {checkId: string; subject: {kind: string; name: string}}) => `${f.checkId} ${f.subject.kind} ${f.subject.name}`).sort()).toEqual(['MD6001 Deployment checkout-v2', 'MD6002 Deployment checkout-v2', 'MD6007 Service checkout-canary']);
    expect(d.traffic.routes).toEqual([{
      route: 'VirtualService shop/checkout http[0] "canary-split"', kind: 'VirtualService', namespace: 'shop', name: 'checkout', rule: 'http[0]', conditional: false,
      weights: [{host: 'checkout-stable', service: 'shop/checkout-stable', share: 75, weight: 75, here: false}, {host: 'checkout-canary', service: 'shop/checkout-canary', share: 25, weight: 25, here: true}],
    }]);
    expect(d.traffic.callers[0]).toMatchObject({namespace: 'shop', workload: 'frontend', flags: ['UF', 'URX']});
    expect(d.traffic.callers[0].failingRps / d.traffic.callers[0].rps).toBeGreaterThan(0.05);
    expect(errorsOf('describe-report', d)).toEqual([]);
    expect(errorsOf('describe-report', {...d, traffic: {...d.traffic, callers: [{...d.traffic.callers[0], failing: 1}]}})).not.toEqual([]);
  });
});
