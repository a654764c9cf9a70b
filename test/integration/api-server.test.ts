/**
 * The fixture API server behaves like a Kubernetes API server for everything meshdoctor and kubectl
 * read: discovery (CRD-backed kinds only when their CRD exists), list/get/watch with selectors and
 * pagination, Status errors, RBAC denials, injected faults — and it refuses every write.
 */
import {execFile} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {FixtureApiServer, type FixtureApiServerOptions, type KubeconfigOptions} from '../../src/sim/api-server/index.js';
import {generateCert} from '../../src/sim/certs.js';
import {PROBE_HEADER} from '../../src/sim/api-server/request-log.js';

const run = promisify(execFile);

function pod(namespace: string, name: string, labels: Record<string, string> = {}, phase = 'Running'): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace, labels}, spec: {containers: [{name: 'app', image: 'app:1'}]}, status: {phase}};
}

function service(namespace: string, name: string): KubeObject {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace}, spec: {selector: {app: name}, ports: [{port: 80}]}};
}

function crd(group: string, kind: string, plural: string, versions: [string, boolean][], shortNames: string[] = []): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: `${plural}.${group}`},
    spec: {group, names: {kind, plural, singular: kind.toLowerCase(), shortNames}, scope: 'Namespaced',
      versions: versions.map(([name, served], i) => ({name, served, storage: i === 0}))},
  };
}

const VS_CRD = crd('networking.istio.io', 'VirtualService', 'virtualservices', [['v1', true], ['v1beta1', true], ['v1alpha3', false]], ['vs']);
const VS: KubeObject = {apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: {name: 'cart', namespace: 'shop'}, spec: {hosts: ['cart']}};

const SHOP = [
  pod('shop', 'cart-1', {app: 'cart', tier: 'backend'}),
  pod('shop', 'cart-2', {app: 'cart', tier: 'backend'}, 'Pending'),
  pod('shop', 'web-1', {app: 'web'}),
  pod('default', 'debug', {}),
  pod('istio-system', 'istiod-1', {app: 'istiod'}),
  service('shop', 'cart'),
  service('shop', 'web'),
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'cacerts', namespace: 'istio-system'}, type: 'Opaque'} as KubeObject,
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'tls', namespace: 'istio-system'}, type: 'kubernetes.io/tls'} as KubeObject,
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop', labels: {'istio-injection': 'enabled'}}},
];

const servers: FixtureApiServer[] = [];

async function started(options: FixtureApiServerOptions = {}): Promise<FixtureApiServer> {
  const server = new FixtureApiServer({objects: SHOP, ...options});
  servers.push(server);
  await server.start();
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

type Answer = {status: number; headers: Headers; body: any; text: string};

async function get(server: FixtureApiServer, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {status: res.status, headers: res.headers, body, text};
}

function names(list: {items: KubeObject[]}): string[] {
  return list.items.map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));
}

describe('discovery', () => {
  it('reports the configured Kubernetes version', async () => {
    const server = await started({kubernetesVersion: 'v1.29.3'});
    const {body} = await get(server, '/version');
    expect(body).toMatchObject({major: '1', minor: '29', gitVersion: 'v1.29.3'});
  });

  it('serves the core group and every built-in group without any CRD', async () => {
    const server = await started({objects: []});
    expect((await get(server, '/api')).body).toMatchObject({kind: 'APIVersions', versions: ['v1']});
    const core = (await get(server, '/api/v1')).body;
    expect(core.kind).toBe('APIResourceList');
    expect(core.resources).toContainEqual(expect.objectContaining({name: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po']}));
    expect(core.resources).toContainEqual(expect.objectContaining({name: 'nodes', kind: 'Node', namespaced: false}));
    const groups = (await get(server, '/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g: {name: string}) => g.name)).toEqual(expect.arrayContaining(['apps', 'batch', 'discovery.k8s.io', 'apiextensions.k8s.io']));
    expect(groups.groups.map((g: {name: string}) => g.name)).not.toContain('networking.istio.io');
    expect((await get(server, '/apis/apps/v1')).body.resources).toContainEqual(expect.objectContaining({name: 'deployments', kind: 'Deployment'}));
  });

  it('serves a custom resource only at the versions its CRD marks served, preferring the highest priority', async () => {
    const server = await started({objects: [VS_CRD]});
    const group = (await get(server, '/apis')).body.groups.find((g: {name: string}) => g.name === 'networking.istio.io');
    expect(group.versions.map((v: {version: string}) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group.preferredVersion).toEqual({groupVersion: 'networking.istio.io/v1', version: 'v1'});
    expect((await get(server, '/apis/networking.istio.io/v1beta1')).body.resources)
      .toEqual([expect.objectContaining({name: 'virtualservices', kind: 'VirtualService', shortNames: ['vs']})]);
    expect((await get(server, '/apis/networking.istio.io/v1alpha3')).status).toBe(404);
  });

  it('answers unknown groups, versions and resources with a 404 Status', async () => {
    const server = await started({objects: []});
    for (const path of ['/apis/networking.istio.io', '/apis/networking.istio.io/v1', '/apis/networking.istio.io/v1/virtualservices', '/api/v2', '/api/v1/widgets', '/openapi/v2']) {
      const {status, body} = await get(server, path);
      expect({path, status, body}).toMatchObject({path, status: 404, body: {kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404}});
    }
  });

  it('starts and stops serving a kind when its CRD is applied and removed', async () => {
    const server = await started({objects: [VS]});
    expect((await get(server, '/apis/networking.istio.io/v1/virtualservices')).status).toBe(404);
    server.apply(VS_CRD);
    expect(names((await get(server, '/apis/networking.istio.io/v1/virtualservices')).body)).toEqual(['shop/cart']);
    server.remove('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'virtualservices.networking.istio.io');
    expect((await get(server, '/apis/networking.istio.io/v1/virtualservices')).status).toBe(404);
  });
});

describe('list and get', () => {
  it('lists across all namespaces in etcd order (namespace, then name), and within one namespace', async () => {
    const server = await started();
    const all = (await get(server, '/api/v1/pods')).body;
    expect(all).toMatchObject({kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: String(server.resourceVersion)}});
    expect(names(all)).toEqual(['default/debug', 'istio-system/istiod-1', 'shop/cart-1', 'shop/cart-2', 'shop/web-1']);
    expect(names((await get(server, '/api/v1/namespaces/shop/pods')).body)).toEqual(['shop/cart-1', 'shop/cart-2', 'shop/web-1']);
    expect(names((await get(server, '/api/v1/namespaces')).body)).toEqual(['shop']);
  });

  it('fills in resourceVersion, uid and creationTimestamp, keeping what the object already had', async () => {
    const server = await started({objects: [{...pod('shop', 'a'), metadata: {name: 'a', namespace: 'shop', uid: 'fixed-uid'}}, pod('shop', 'b')]});
    const [a, b] = (await get(server, '/api/v1/namespaces/shop/pods')).body.items;
    expect(a.metadata.uid).toBe('fixed-uid');
    expect(b.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('gets one object, served with the apiVersion of the version asked for', async () => {
    const server = await started({objects: [VS_CRD, VS]});
    const {status, body} = await get(server, '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/cart');
    expect(status).toBe(200);
    expect(body).toMatchObject({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'cart', namespace: 'shop'}, spec: {hosts: ['cart']}});
    expect((await get(server, '/apis/networking.istio.io/v1beta1/virtualservices')).body.apiVersion).toBe('networking.istio.io/v1beta1');
  });

  it('answers a missing object with a NotFound Status naming it', async () => {
    const server = await started();
    const {status, body} = await get(server, '/api/v1/namespaces/shop/pods/nope');
    expect(status).toBe(404);
    expect(body).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', details: {name: 'nope', kind: 'pods'}});
  });

  it.each([
    ['app=cart', ['shop/cart-1', 'shop/cart-2']],
    ['app==web', ['shop/web-1']],
    ['app!=cart', ['default/debug', 'istio-system/istiod-1', 'shop/web-1']],
    ['app in (web,istiod)', ['istio-system/istiod-1', 'shop/web-1']],
    ['app notin (cart,web)', ['default/debug', 'istio-system/istiod-1']],
    ['tier', ['shop/cart-1', 'shop/cart-2']],
    ['!tier,app', ['istio-system/istiod-1', 'shop/web-1']],
    ['app=cart,tier=frontend', []],
  ])('filters by the label selector %s', async (selector, expected) => {
    const server = await started();
    expect(names((await get(server, `/api/v1/pods?labelSelector=${encodeURIComponent(selector)}`)).body)).toEqual(expected);
  });

  it.each([
    ['/api/v1/pods', 'metadata.name=web-1', ['shop/web-1']],
    ['/api/v1/pods', 'metadata.namespace=shop,status.phase!=Pending', ['shop/cart-1', 'shop/web-1']],
    ['/api/v1/pods', 'status.phase=Pending', ['shop/cart-2']],
    ['/api/v1/secrets', 'type=kubernetes.io/tls', ['istio-system/tls']],
  ])('filters %s by the field selector %s', async (path, selector, expected) => {
    const server = await started();
    expect(names((await get(server, `${path}?fieldSelector=${encodeURIComponent(selector)}`)).body)).toEqual(expected);
  });

  it('rejects a selector it cannot parse, and a field it does not index, with 400', async () => {
    const server = await started();
    expect((await get(server, `/api/v1/pods?labelSelector=${encodeURIComponent('app in cart')}`)).body).toMatchObject({code: 400, reason: 'BadRequest'});
    expect((await get(server, '/api/v1/pods?fieldSelector=spec.containers=x')).body).toMatchObject({code: 400, message: 'field label not supported: spec.containers'});
  });

  it('paginates with limit and an opaque continue token, every page at the first page\'s resourceVersion', async () => {
    const server = await started();
    const first = (await get(server, '/api/v1/pods?limit=2')).body;
    expect(names(first)).toEqual(['default/debug', 'istio-system/istiod-1']);
    expect(first.metadata).toMatchObject({continue: expect.any(String), remainingItemCount: 3});
    server.apply(pod('zzz', 'late'));
    const second = (await get(server, `/api/v1/pods?limit=2&continue=${first.metadata.continue}`)).body;
    expect(names(second)).toEqual(['shop/cart-1', 'shop/cart-2']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const third = (await get(server, `/api/v1/pods?limit=2&continue=${second.metadata.continue}`)).body;
    expect(names(third)).toEqual(['shop/web-1', 'zzz/late']);
    expect(third.metadata.continue).toBeUndefined();
  });

  it('caps pages at the server-side maximum even when the client asks for more or sets no limit', async () => {
    const server = await started({maxPageSize: 3});
    expect((await get(server, '/api/v1/pods')).body.items).toHaveLength(3);
    expect((await get(server, '/api/v1/pods?limit=100')).body.metadata.continue).toEqual(expect.any(String));
    expect((await get(server, '/api/v1/pods?limit=2')).body.items).toHaveLength(2);
  });

  it('rejects a continue token it did not issue', async () => {
    const server = await started();
    expect((await get(server, '/api/v1/pods?limit=2&continue=bogus')).body).toMatchObject({code: 400, message: 'continue key is not valid'});
  });

  it('pages through 10,000 pods in order without losing or repeating one', async () => {
    const many = Array.from({length: 10_000}, (_, i) => pod(`ns-${i % 7}`, `pod-${String(i).padStart(5, '0')}`));
    const server = await started({objects: many});
    const seen: string[] = [];
    let token = '';
    do {
      const page = (await get(server, `/api/v1/pods?limit=500${token ? `&continue=${token}` : ''}`)).body;
      seen.push(...names(page));
      token = page.metadata.continue ?? '';
    } while (token);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
    expect(seen).toEqual([...seen].sort());
  });
});

/** Reads a watch stream until `count` events arrived (or the stream ends). */
async function watchEvents(server: FixtureApiServer, path: string, count: number, during?: () => void): Promise<{type: string; object: any}[]> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: {type: string; object: any}[] = [];
  let buffered = '';
  let prodded = false;
  while (events.length < count) {
    if (!prodded && during) {
      prodded = true;
      // The watch is registered before its headers are sent, so changes made from now on are streamed.
      setTimeout(during, 20);
    }
    const {value, done} = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, {stream: true});
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      events.push(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
  }
  await reader.cancel();
  return events;
}

describe('watch', () => {
  it('sends ADDED for existing objects, then ADDED/MODIFIED/DELETED as the server is changed', async () => {
    const server = await started();
    const before = server.resourceVersion;
    const events = await watchEvents(server, '/api/v1/namespaces/shop/pods?watch=true', 6, () => {
      server.apply(pod('shop', 'cart-3', {app: 'cart'}));
      server.apply(pod('shop', 'cart-1', {app: 'cart', version: 'v2'}));
      server.remove('v1', 'Pod', 'shop', 'cart-2');
      server.apply(pod('other', 'not-watched'));
    });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED cart-1', 'ADDED cart-2', 'ADDED web-1', 'ADDED cart-3', 'MODIFIED cart-1', 'DELETED cart-2',
    ]);
    expect(events[4].object.metadata.labels).toEqual({app: 'cart', version: 'v2'});
    expect(events.slice(3).map((e) => Number(e.object.metadata.resourceVersion))).toEqual([before + 1, before + 2, before + 3]);
  });

  it('resumes from a list\'s resourceVersion with only the changes made since', async () => {
    const server = await started();
    const listed = (await get(server, '/api/v1/pods')).body.metadata.resourceVersion;
    server.remove('v1', 'Pod', 'default', 'debug');
    server.apply(pod('shop', 'new'));
    const events = await watchEvents(server, `/api/v1/pods?watch=1&resourceVersion=${listed}`, 2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED debug', 'ADDED new']);
  });

  it('reports 410 Expired in an ERROR event for a resourceVersion older than it remembers', async () => {
    const server = await started();
    const events = await watchEvents(server, '/api/v1/pods?watch=true&resourceVersion=1', 1);
    expect(events).toEqual([{type: 'ERROR', object: expect.objectContaining({kind: 'Status', code: 410, reason: 'Expired'})}]);
  });

  it('sends objects that enter or leave the label selector as ADDED and DELETED', async () => {
    const server = await started();
    const events = await watchEvents(server, '/api/v1/pods?watch=true&labelSelector=app%3Dcart', 4, () => {
      server.apply(pod('shop', 'cart-1', {app: 'retired'}));
      server.apply(pod('shop', 'web-1', {app: 'cart'}));
    });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED cart-1', 'ADDED cart-2', 'DELETED cart-1', 'ADDED web-1']);
  });

  it('watches one named object', async () => {
    const server = await started();
    const events = await watchEvents(server, '/api/v1/namespaces/shop/pods/cart-1?watch=true', 2, () => {
      server.apply(pod('shop', 'cart-2', {app: 'other'}));
      server.apply(pod('shop', 'cart-1', {app: 'cart', version: 'v2'}));
    });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED cart-1', 'MODIFIED cart-1']);
  });

  it('ends the stream after timeoutSeconds', async () => {
    const server = await started();
    const startedAt = Date.now();
    const events = await watchEvents(server, '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1', 100);
    expect(events).toHaveLength(1);
    // The stream ended by itself (watchEvents returns at its end) and not before the second was up.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });
});

describe('read-only', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s with 405, changes nothing, and logs it', async (method) => {
    const server = await started();
    const path = method === 'POST' ? '/api/v1/namespaces/shop/pods' : '/api/v1/namespaces/shop/pods/cart-1';
    const {status, body} = await get(server, path, {method, headers: {'Content-Type': 'application/json', [PROBE_HEADER]: '1'}, body: JSON.stringify(pod('shop', 'cart-1'))});
    expect(status).toBe(405);
    expect(body).toMatchObject({kind: 'Status', reason: 'MethodNotAllowed', code: 405});
    expect(server.nonGetRequests()).toEqual([expect.objectContaining({method, path, status: 405})]);
    expect(names((await get(server, '/api/v1/namespaces/shop/pods')).body)).toEqual(['shop/cart-1', 'shop/cart-2', 'shop/web-1']);
  });

  it('keeps the evidence of a write when the read log is cleared', async () => {
    const server = await started();
    await get(server, '/api/v1/pods', {method: 'DELETE', headers: {[PROBE_HEADER]: '1'}});
    await get(server, '/api/v1/pods');
    server.clearRequests();
    expect(server.requests).toEqual([]);
    expect(server.nonGetRequests().map((r) => r.method)).toEqual(['DELETE']);
  });
});

describe('request log', () => {
  it('records method, path, query, status, body bytes and arrival time of every request', async () => {
    const server = await started();
    const t0 = Date.now();
    const list = await get(server, '/api/v1/namespaces/shop/pods?limit=2&labelSelector=app%3Dcart');
    const missing = await get(server, '/api/v1/namespaces/shop/pods/nope');
    expect(server.requests).toEqual([
      {method: 'GET', path: '/api/v1/namespaces/shop/pods', query: {limit: '2', labelSelector: 'app=cart'}, status: 200, bytes: Buffer.byteLength(list.text), at: expect.any(Number)},
      {method: 'GET', path: '/api/v1/namespaces/shop/pods/nope', query: {}, status: 404, bytes: Buffer.byteLength(missing.text), at: expect.any(Number)},
    ]);
    expect(server.requests[0].bytes).toBeGreaterThan(100);
    expect(server.requests[0].at).toBeGreaterThanOrEqual(t0);
  });
});

describe('RBAC denials', () => {
  it('forbids a resource everywhere with a Forbidden Status like the real one', async () => {
    const server = await started({forbid: [{resource: 'secrets'}]});
    const {status, body} = await get(server, '/api/v1/namespaces/istio-system/secrets');
    expect(status).toBe(403);
    expect(body).toMatchObject({
      kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, details: {kind: 'secrets', group: ''},
      message: 'secrets is forbidden: User "system:serviceaccount:meshdoctor:meshdoctor" cannot list resource "secrets" in API group "" in the namespace "istio-system"',
    });
    expect((await get(server, '/api/v1/secrets')).body.message).toContain('at the cluster scope');
    expect((await get(server, '/api/v1/pods')).status).toBe(200);
  });

  it('forbids one namespace, and so the all-namespaces list that would include it, but not other namespaces', async () => {
    const server = await started({forbid: [{resource: 'pods', namespace: 'istio-system'}]});
    expect((await get(server, '/api/v1/namespaces/istio-system/pods')).status).toBe(403);
    expect((await get(server, '/api/v1/namespaces/istio-system/pods/istiod-1')).status).toBe(403);
    expect((await get(server, '/api/v1/pods')).status).toBe(403);
    expect((await get(server, '/api/v1/namespaces/shop/pods')).status).toBe(200);
  });

  it('forbids only the verb named', async () => {
    const server = await started({forbid: [{resource: 'pods', verb: 'watch'}]});
    expect((await get(server, '/api/v1/pods')).status).toBe(200);
    expect((await get(server, '/api/v1/pods?watch=true')).status).toBe(403);
  });

  it('forbids custom resources by their plural.group key, and can be reconfigured at run time', async () => {
    const server = await started({objects: [VS_CRD, VS], forbid: [{resource: 'virtualservices.networking.istio.io'}]});
    expect((await get(server, '/apis/networking.istio.io/v1/virtualservices')).body)
      .toMatchObject({code: 403, details: {kind: 'virtualservices', group: 'networking.istio.io'}});
    server.configure({forbid: []});
    expect((await get(server, '/apis/networking.istio.io/v1/virtualservices')).status).toBe(200);
  });
});

describe('injected faults', () => {
  it('answers with a status and Retry-After, for the given number of requests only', async () => {
    const server = await started({faults: [{match: '/api/v1/pods', status: 503, retryAfter: 2, times: 1}]});
    const first = await get(server, '/api/v1/pods');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.body).toMatchObject({kind: 'Status', code: 503, reason: 'ServiceUnavailable', details: {retryAfterSeconds: 2}});
    expect((await get(server, '/api/v1/pods')).status).toBe(200);
  });

  it('matches a RegExp against path and query', async () => {
    const server = await started({faults: [{match: /[?&]continue=/, status: 410}]});
    const first = await get(server, '/api/v1/pods?limit=2');
    expect(first.status).toBe(200);
    expect((await get(server, `/api/v1/pods?limit=2&continue=${first.body.metadata.continue}`)).status).toBe(410);
  });

  it('sends a raw body as given (truncated JSON here)', async () => {
    const server = await started({faults: [{match: '/api/v1/pods', body: '{"kind":"PodList","items":[{"meta'}]});
    const {status, text} = await get(server, '/api/v1/pods');
    expect(status).toBe(200);
    expect(text).toBe('{"kind":"PodList","items":[{"meta');
  });

  it('drops the socket without answering, and logs status 0', async () => {
    const server = await started({faults: [{match: '/api/v1/pods', destroy: true}]});
    await expect(fetch(`${server.url}/api/v1/pods`)).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({path: '/api/v1/pods', status: 0});
  });

  it('cuts a response off after part of its body', async () => {
    const server = await started({faults: [{match: '/api/v1/pods', body: '{"kind":"PodList",', destroy: true}]});
    await expect(fetch(`${server.url}/api/v1/pods`).then((r) => r.text())).rejects.toThrow();
  });

  it('delays a matching response, and adds global latency to every response', async () => {
    const server = await started({faults: [{match: '/api/v1/pods', delayMs: 300}]});
    let t = Date.now();
    expect((await get(server, '/api/v1/pods')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    server.configure({faults: [], latencyMs: 200});
    t = Date.now();
    await get(server, '/version');
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
  });

  it('drips the normal body slowly', async () => {
    const server = await started({objects: [pod('shop', 'a')], faults: [{match: '/api/v1/pods', drip: {chunkBytes: 64, intervalMs: 20}}]});
    const t = Date.now();
    const {status, body, text} = await get(server, '/api/v1/pods');
    expect(status).toBe(200);
    expect(names(body)).toEqual(['shop/a']);
    expect(Date.now() - t).toBeGreaterThanOrEqual(Math.floor(text.length / 64) * 20 - 20);
  });
});

describe('authentication', () => {
  it('requires the bearer token when one is set, except for /version', async () => {
    const server = await started({token: 's3cret'});
    expect((await get(server, '/api/v1/pods')).body).toMatchObject({code: 401, reason: 'Unauthorized'});
    expect((await get(server, '/api/v1/pods', {headers: {Authorization: 'Bearer wrong'}})).status).toBe(401);
    expect((await get(server, '/api/v1/pods', {headers: {Authorization: 'Bearer s3cret'}})).status).toBe(200);
    expect((await get(server, '/version')).status).toBe(200);
  });
});

describe('subresources', () => {
  it('routes a registered subresource to its handler with the object and the rest of the path, and lists it in discovery', async () => {
    const server = await started();
    const calls: string[] = [];
    server.registerSubresource('pods', 'proxy', (call) => {
      calls.push(`${call.namespace}/${call.name} ${call.object.metadata.labels?.app} ${call.subpath} ${call.query.get('x')}`);
      if (call.kind === 'http') call.res.writeHead(200, {'Content-Type': 'text/plain'}).end('proxied');
    });
    const {status, text} = await get(server, '/api/v1/namespaces/shop/pods/cart-1:15020/proxy/stats/prometheus?x=1');
    expect({status, text}).toEqual({status: 200, text: 'proxied'});
    expect(calls).toEqual(['shop/cart-1:15020 cart /stats/prometheus 1']);
    expect(server.requests.at(-1)).toMatchObject({status: 200});
    expect((await get(server, '/api/v1')).body.resources).toContainEqual(expect.objectContaining({name: 'pods/proxy', verbs: ['get']}));
  });

  it('answers 404 for a missing object or an unregistered subresource, and 403 when the subresource is forbidden', async () => {
    const server = await started({forbid: [{resource: 'pods/proxy', namespace: 'istio-system'}]});
    server.registerSubresource('pods', 'proxy', (call) => {
      if (call.kind === 'http') call.res.end('ok');
    });
    expect((await get(server, '/api/v1/namespaces/shop/pods/nope/proxy/')).status).toBe(404);
    expect((await get(server, '/api/v1/namespaces/shop/pods/cart-1/log')).status).toBe(404);
    expect((await get(server, '/api/v1/namespaces/istio-system/pods/istiod-1/proxy/debug')).status).toBe(403);
    expect((await get(server, '/api/v1/namespaces/shop/pods/cart-1/proxy/')).status).toBe(200);
  });
});

/** A raw HTTP upgrade request (what a WebSocket client sends); resolves with what came back. */
function upgrade(server: FixtureApiServer, path: string): Promise<{status: number; data: string}> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, {headers: {Connection: 'Upgrade', Upgrade: 'websocket'}});
    req.on('upgrade', (res, socket, head) => {
      let data = head.toString();
      socket.on('data', (chunk) => (data += chunk));
      socket.on('end', () => resolve({status: res.statusCode ?? 0, data}));
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({status: res.statusCode ?? 0, data: ''}));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('connection upgrades (the WebSocket port-forward to come)', () => {
  it('hands the socket of an upgrade request to the registered subresource handler', async () => {
    const server = await started();
    server.registerSubresource('pods', 'portforward', (call) => {
      if (call.kind !== 'upgrade') throw new Error('expected an upgrade');
      call.socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      call.socket.end(`hello from ${call.namespace}/${call.name} ports=${call.query.get('ports')}`);
    });
    expect(await upgrade(server, '/api/v1/namespaces/shop/pods/cart-1/portforward?ports=15000')).toEqual({status: 101, data: 'hello from shop/cart-1 ports=15000'});
    expect(server.requests.at(-1)).toMatchObject({path: '/api/v1/namespaces/shop/pods/cart-1/portforward', status: 101});
  });

  it('refuses upgrades nothing handles, with a Status response', async () => {
    const server = await started();
    expect((await upgrade(server, '/api/v1/namespaces/shop/pods/cart-1/portforward')).status).toBe(404);
    expect((await upgrade(server, '/api/v1/namespaces/shop/pods')).status).toBe(400);
  });
});

describe('with the real kubectl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshdoctor-kubectl-'));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  let n = 0;
  async function kubectlWith(server: FixtureApiServer, options: KubeconfigOptions, ...args: string[]): Promise<{stdout: string; stderr: string; code: number}> {
    const kubeconfig = join(dir, `config-${n++}`);
    server.writeKubeconfig(kubeconfig, options);
    try {
      const {stdout, stderr} = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], {env: {...process.env, HOME: dir}, timeout: 25_000});
      return {stdout, stderr, code: 0};
    } catch (err) {
      const e = err as {stdout: string; stderr: string; code: number};
      return {stdout: e.stdout, stderr: e.stderr, code: e.code};
    }
  }

  function kubectl(server: FixtureApiServer, ...args: string[]): ReturnType<typeof kubectlWith> {
    return kubectlWith(server, {}, ...args);
  }

  it('lists the fixture\'s pods and services with get pods,svc -A', async () => {
    const server = await started();
    const {stdout, code} = await kubectl(server, 'get', 'pods,svc', '-A');
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').filter((l) => l.trim() && !l.startsWith('NAMESPACE')).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(rows).toEqual(['default pod/debug', 'istio-system pod/istiod-1', 'shop pod/cart-1', 'shop pod/cart-2', 'shop pod/web-1', 'shop service/cart', 'shop service/web']);
    expect(server.nonGetRequests()).toEqual([]);
  });

  it('gets virtual services when the Istio CRD is present, by name and short name', async () => {
    const server = await started({objects: [...SHOP, VS_CRD, VS]});
    expect((await kubectl(server, 'get', 'virtualservices', '-A', '-o', 'name')).stdout.trim()).toBe('virtualservice.networking.istio.io/cart');
    const yaml = await kubectl(server, 'get', 'vs', 'cart', '-n', 'shop', '-o', 'jsonpath={.apiVersion} {.spec.hosts[0]}');
    expect(yaml.stdout).toBe('networking.istio.io/v1 cart');
  });

  it('says the resource type is unknown when the CRD is absent', async () => {
    const server = await started({objects: [...SHOP, VS]});
    const {code, stderr} = await kubectl(server, 'get', 'virtualservices', '-A');
    expect(code).not.toBe(0);
    expect(stderr).toContain('the server doesn\'t have a resource type "virtualservices"');
  });

  it('passes label selectors, reads single objects, and reports a missing one', async () => {
    const server = await started();
    expect((await kubectl(server, 'get', 'pods', '-A', '-l', 'app=cart', '-o', 'name')).stdout.trim().split('\n')).toEqual(['pod/cart-1', 'pod/cart-2']);
    expect((await kubectl(server, 'get', 'pod', 'cart-2', '-n', 'shop', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Pending');
    const missing = await kubectl(server, 'get', 'pod', 'nope', '-n', 'shop');
    expect(missing.stderr).toContain('pods "nope" not found');
  });

  it('authenticates over TLS with the CA and token from the written kubeconfig, and shows a 403 as kubectl does', async () => {
    // kubectl never sends a bearer token over plain http (kubernetes/kubectl#744): a token needs TLS.
    const now = Date.now();
    const cert = await generateCert({commonName: 'localhost', dnsNames: ['localhost'], notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000)});
    const server = await started({token: 'kubectl-token', tls: {cert: cert.pem, key: cert.keyPem}, forbid: [{resource: 'secrets'}]});
    expect(server.url).toMatch(/^https:/);
    const tls = {tlsServerName: 'localhost', context: 'fixture-tls', namespace: 'istio-system'};
    expect((await kubectlWith(server, tls, 'get', 'ns', '-o', 'name')).stdout.trim()).toBe('namespace/shop');
    const denied = await kubectlWith(server, tls, 'get', 'secrets');
    expect(denied.stderr).toContain('secrets is forbidden');
    expect(denied.stderr).toContain('in the namespace "istio-system"');
    expect(server.requests.filter((r) => r.status === 401)).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
  });
});
