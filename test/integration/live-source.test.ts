/**
 * The live KubeSource against the fixture API server, over real HTTP with real client-node auth:
 * discovery, paginated lists, selectors, gets, watches, and every failure mapped to the documented
 * error — quickly, on one line, naming the server. And it only ever sends GET.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {resourceType} from '../../src/core/resources.js';
import {FixtureApiServer, type FixtureApiServerOptions, type KubeconfigOptions, type RequestLogEntry} from '../../src/sim/api-server/index.js';
import {generateCert} from '../../src/sim/certs.js';
import {KubeApiError, KubeConnectionError, type WatchEvent} from '../../src/sources/kube/kube-source.js';
import {createLiveKubeSource, type LiveKubeSource} from '../../src/sources/kube/live.js';

const PODS = resourceType('pods');
const SECRETS = resourceType('secrets');
const VIRTUAL_SERVICES = resourceType('virtualservices.networking.istio.io');

function pod(namespace: string, name: string, labels: Record<string, string> = {}, phase = 'Running'): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace, labels}, spec: {containers: [{name: 'app'}]}, status: {phase}};
}

function crd(group: string, kind: string, plural: string, served: string[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: `${plural}.${group}`},
    spec: {group, names: {kind, plural}, scope: 'Namespaced', versions: served.map((name, i) => ({name, served: true, storage: i === 0}))},
  };
}

const OBJECTS: KubeObject[] = [
  pod('default', 'debug'),
  pod('istio-system', 'istiod-1', {app: 'istiod'}),
  pod('shop', 'cart-1', {app: 'cart'}),
  pod('shop', 'cart-2', {app: 'cart'}, 'Pending'),
  pod('shop', 'web-1', {app: 'web'}),
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'cacerts', namespace: 'istio-system'}} as KubeObject,
  crd('networking.istio.io', 'VirtualService', 'virtualservices', ['v1', 'v1beta1']),
  // Only the older version served: discovery must settle on it.
  crd('security.istio.io', 'PeerAuthentication', 'peerauthentications', ['v1beta1']),
  {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'cart', namespace: 'shop'}, spec: {hosts: ['cart']}},
];

const dir = mkdtempSync(join(tmpdir(), 'meshdoctor-live-'));
const servers: FixtureApiServer[] = [];
/** Every request any fixture in this file received, for the read-only check at the end. */
const everyRequest: RequestLogEntry[] = [];
let configs = 0;

afterEach(async () => {
  for (const server of servers) everyRequest.push(...server.requests);
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function fixture(options: FixtureApiServerOptions = {}): Promise<FixtureApiServer> {
  const server = new FixtureApiServer({objects: OBJECTS, ...options});
  servers.push(server);
  await server.start();
  return server;
}

function writeConfig(server: FixtureApiServer, options: KubeconfigOptions = {}): string {
  const file = join(dir, `kubeconfig-${configs++}`);
  server.writeKubeconfig(file, options);
  return file;
}

async function connect(server: FixtureApiServer, requestTimeoutMs = 5000, options: KubeconfigOptions = {}): Promise<LiveKubeSource> {
  return createLiveKubeSource({kubeconfig: writeConfig(server, options), requestTimeoutMs});
}

function names(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<{error: Error}> {
  const error = await promise.then(() => undefined, (e: Error) => e);
  if (!error) throw new Error('expected a rejection');
  return {error};
}

describe('connecting', () => {
  it('describes itself by context and server, knows the context namespace, and reads the server version', async () => {
    const server = await fixture({kubernetesVersion: '1.31.2'});
    const source = await connect(server, 5000, {context: 'kind-dev', namespace: 'shop'});
    expect(source.context).toBe('kind-dev');
    expect(source.namespace).toBe('shop');
    expect(source.description).toBe(`context kind-dev (${server.url})`);
    expect(await source.serverVersion()).toEqual({major: '1', minor: '31', gitVersion: 'v1.31.2'});
  });

  it('sends the kubeconfig\'s bearer token', async () => {
    const server = await fixture({token: 'abc123'});
    const source = await connect(server);
    expect(await source.list(PODS, 'v1', {namespace: 'shop'})).toHaveLength(3);
    expect(server.requests.map((r) => r.status)).toEqual([200]);
  });

  it('verifies the server against the kubeconfig\'s CA, and fails TLS with one clear line without it', async () => {
    const now = Date.now();
    const cert = await generateCert({commonName: 'localhost', dnsNames: ['localhost'], notBefore: new Date(now - 60_000), notAfter: new Date(now + 3_600_000)});
    const server = await fixture({tls: {cert: cert.pem, key: cert.keyPem}});
    const trusting = await connect(server, 5000, {tlsServerName: 'localhost'});
    expect(names(await trusting.list(PODS, 'v1', {namespace: 'shop'}))).toEqual(['shop/cart-1', 'shop/cart-2', 'shop/web-1']);

    const file = writeConfig(server);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^\s*certificate-authority-data:.*$/m, ''));
    const untrusting = await createLiveKubeSource({kubeconfig: file, requestTimeoutMs: 5000});
    const {error} = await failure(untrusting.list(PODS, 'v1'));
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error.message).toMatch(new RegExp(`^cannot list pods: TLS with ${server.url} failed: .*certificate`));
  });
});

describe('discover', () => {
  it('finds built-in kinds and installed CRDs at the first registry version the server serves, and leaves out absent CRDs', async () => {
    const server = await fixture();
    const source = await connect(server);
    const types = ['pods', 'deployments.apps', 'virtualservices.networking.istio.io', 'peerauthentications.security.istio.io', 'serviceprofiles.linkerd.io'] as const;
    const served = await source.discover(types.map((k) => resourceType(k)));
    expect(Object.fromEntries(served)).toEqual({
      pods: 'v1',
      'deployments.apps': 'v1',
      'virtualservices.networking.istio.io': 'v1',
      'peerauthentications.security.istio.io': 'v1beta1',
    });
    // Only what could matter is fetched: no request for group versions of absent or unrequested groups.
    expect(server.requests.map((r) => r.path).sort()).toEqual([
      '/api', '/api/v1', '/apis', '/apis/apps/v1', '/apis/networking.istio.io/v1', '/apis/networking.istio.io/v1beta1', '/apis/security.istio.io/v1beta1',
    ]);
  });
});

describe('list', () => {
  it('reads 5 pods with page size 2 in 3 requests, following the continue token', async () => {
    const server = await fixture();
    const source = await connect(server);
    const pods = await source.list(PODS, 'v1', {pageSize: 2});
    expect(names(pods)).toEqual(['default/debug', 'istio-system/istiod-1', 'shop/cart-1', 'shop/cart-2', 'shop/web-1']);
    const requests = server.requests;
    expect(requests.map((r) => [r.path, r.query.limit, r.query.continue === undefined ? 'first' : 'continued'])).toEqual([
      ['/api/v1/pods', '2', 'first'], ['/api/v1/pods', '2', 'continued'], ['/api/v1/pods', '2', 'continued'],
    ]);
    expect(requests[1].query.continue).not.toBe(requests[2].query.continue);
  });

  it('pages by 500 unless told otherwise', async () => {
    const server = await fixture();
    await (await connect(server)).list(PODS, 'v1');
    expect(server.requests.map((r) => r.query)).toEqual([{limit: '500'}]);
  });

  it('fills in apiVersion and kind of every item, at the version listed', async () => {
    const server = await fixture();
    const source = await connect(server);
    const [vs] = await source.list(VIRTUAL_SERVICES, 'v1beta1');
    expect(vs).toMatchObject({apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: {name: 'cart'}});
    const [first] = await source.list(PODS, 'v1', {namespace: 'shop'});
    expect(first).toMatchObject({apiVersion: 'v1', kind: 'Pod'});
  });

  it('applies the transform to every item as pages arrive', async () => {
    const server = await fixture();
    const source = await connect(server);
    const seen: string[] = [];
    const pods = await source.list(PODS, 'v1', {pageSize: 2, transform: (o) => {
      seen.push(o.metadata.name);
      return {...o, metadata: {name: o.metadata.name.toUpperCase(), namespace: o.metadata.namespace}};
    }});
    expect(seen).toHaveLength(5);
    expect(pods.map((p) => p.metadata.name)).toEqual(['DEBUG', 'ISTIOD-1', 'CART-1', 'CART-2', 'WEB-1']);
    expect(pods[0].metadata.uid).toBeUndefined();
  });

  it('filters by namespace, label selector and field selector on the server', async () => {
    const server = await fixture();
    const source = await connect(server);
    expect(names(await source.list(PODS, 'v1', {namespace: 'shop', labelSelector: 'app=cart'}))).toEqual(['shop/cart-1', 'shop/cart-2']);
    expect(names(await source.list(PODS, 'v1', {labelSelector: 'app notin (cart,web)'}))).toEqual(['default/debug', 'istio-system/istiod-1']);
    expect(names(await source.list(PODS, 'v1', {fieldSelector: 'status.phase=Pending'}))).toEqual(['shop/cart-2']);
    expect(server.requests[0]).toMatchObject({path: '/api/v1/namespaces/shop/pods', query: {labelSelector: 'app=cart', limit: '500'}});
  });
});

describe('get', () => {
  it('returns the object, or null when it does not exist', async () => {
    const server = await fixture();
    const source = await connect(server);
    expect(await source.get(VIRTUAL_SERVICES, 'v1', 'shop', 'cart')).toMatchObject({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', spec: {hosts: ['cart']}});
    expect(await source.get(PODS, 'v1', 'shop', 'nope')).toBeNull();
  });
});

describe('API errors', () => {
  it('raises KubeApiError 403 naming the resource when it is forbidden everywhere', async () => {
    const server = await fixture({forbid: [{resource: 'secrets'}]});
    const source = await connect(server);
    const all = await failure(source.list(SECRETS, 'v1'));
    expect(all.error).toBeInstanceOf(KubeApiError);
    expect(all.error).toMatchObject({status: 403, verb: 'list', resource: 'secrets', namespace: undefined, message: 'forbidden: list secrets'});
    const one = await failure(source.list(SECRETS, 'v1', {namespace: 'istio-system'}));
    expect(one.error).toMatchObject({status: 403, namespace: 'istio-system', message: 'forbidden: list secrets in istio-system'});
  });

  it('raises KubeApiError 403 in the forbidden namespace only', async () => {
    const server = await fixture({forbid: [{resource: 'pods', namespace: 'istio-system'}]});
    const source = await connect(server);
    expect((await failure(source.list(PODS, 'v1', {namespace: 'istio-system'}))).error.message).toBe('forbidden: list pods in istio-system');
    expect((await failure(source.get(PODS, 'v1', 'istio-system', 'istiod-1'))).error.message).toBe('forbidden: get pods in istio-system');
    expect(names(await source.list(PODS, 'v1', {namespace: 'shop'}))).toHaveLength(3);
  });

  it('raises KubeApiError 401 when the token is wrong', async () => {
    const server = await fixture({token: 'right'});
    const file = writeConfig(server);
    writeFileSync(file, readFileSync(file, 'utf8').replace('token: right', 'token: wrong'));
    const source = await createLiveKubeSource({kubeconfig: file});
    expect((await failure(source.list(PODS, 'v1'))).error).toMatchObject({name: 'KubeApiError', status: 401, message: 'HTTP 401: list pods (Unauthorized)'});
  });

  it('raises KubeApiError with the status and the Status message for a 500', async () => {
    const server = await fixture({faults: [{match: '/pods', status: 500}]});
    const source = await connect(server);
    const {error} = await failure(source.list(PODS, 'v1', {namespace: 'shop'}));
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({status: 500, message: 'HTTP 500: list pods in shop (injected fault: InternalError)'});
  });

  it('retries a 503 once after its Retry-After', async () => {
    const server = await fixture({faults: [{match: '/pods', status: 503, retryAfter: 1, times: 1}]});
    const source = await connect(server);
    expect(await source.list(PODS, 'v1', {namespace: 'shop'})).toHaveLength(3);
    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);
    // It waited: the retry reached the server no sooner than Retry-After allows (load only delays it further).
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(900);
  });

  it('does not retry a 503 without Retry-After, nor a second 503', async () => {
    const server = await fixture({faults: [{match: '/pods', status: 503}]});
    const source = await connect(server);
    expect((await failure(source.list(PODS, 'v1'))).error).toMatchObject({name: 'KubeApiError', status: 503});
    expect(server.requests).toHaveLength(1);
    server.configure({faults: [{match: '/pods', status: 503, retryAfter: 0}]});
    expect((await failure(source.list(PODS, 'v1'))).error).toMatchObject({status: 503});
    expect(server.requests).toHaveLength(3);
  });
});

describe('connection errors', () => {
  const cases: [string, FixtureApiServerOptions['faults'], RegExp][] = [
    ['truncated JSON', [{match: '/pods', body: '{"kind":"PodList","apiVersion":"v1","items":[{"metadata":'}], /sent a malformed response \(invalid JSON, \d+ bytes\)$/],
    ['a garbage body', [{match: '/pods', body: '<html>502 Bad Gateway</html>'}], /sent a malformed response \(invalid JSON/],
    ['JSON of the wrong shape', [{match: '/pods', body: '{"kind":"Status","status":"Success"}'}], /sent an unexpected response \(expected a PodList\)$/],
    ['a dropped socket', [{match: '/pods', destroy: true}], /dropped the connection$/],
    ['a body cut off mid-way', [{match: '/pods', body: '{"kind":"PodList","items":[', destroy: true}], /dropped the connection$/],
  ];

  it.each(cases)('raises KubeConnectionError naming the server for %s', async (_what, faults, message) => {
    const server = await fixture({faults});
    const source = await connect(server);
    const {error} = await failure(source.list(PODS, 'v1'));
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error.message).toContain(`cannot list pods: ${server.url}`);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('times out a body that drips slower than the request timeout allows', async () => {
    const server = await fixture({faults: [{match: '/pods', drip: {chunkBytes: 16, intervalMs: 100}}]});
    const source = await connect(server, 400);
    const {error} = await failure(source.list(PODS, 'v1'));
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error.message).toBe(`cannot list pods: ${server.url} did not answer within 0.4s`);
  });

  it('times out a server that does not answer', async () => {
    const server = await fixture({faults: [{match: '/version', delayMs: 5000}]});
    const source = await connect(server, 300);
    const {error} = await failure(source.serverVersion());
    expect(error.message).toBe(`cannot get /version: ${server.url} did not answer within 0.3s`);
  });

  it('reports a refused connection', async () => {
    const server = await fixture();
    const source = await connect(server);
    await server.stop();
    const {error} = await failure(source.list(PODS, 'v1'));
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error).toMatchObject({message: `cannot list pods: connection to ${server.url} refused`, server: server.url});
  });
});

/** Collects watch events; `next(n)` waits until n events arrived in total. */
function collector(): {events: WatchEvent[]; errors: Error[]; until: (check: () => boolean) => Promise<void>} {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const until = async (check: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out; events: ${events.map((e) => e.type).join(',')} errors: ${errors.map((e) => e.message).join(',')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {events, errors, until};
}

function summary(events: readonly WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.name}`);
}

describe('watch', () => {
  it('delivers the existing objects as ADDED, then ADDED/MODIFIED/DELETED after apply and remove', async () => {
    const server = await fixture();
    const source = await connect(server);
    const c = collector();
    const handle = source.watch(PODS, 'v1', {namespace: 'shop'}, (e) => c.events.push(e), (e) => c.errors.push(e));
    await c.until(() => c.events.length === 3);
    server.apply(pod('shop', 'cart-3', {app: 'cart'}));
    server.apply(pod('shop', 'cart-1', {app: 'cart', version: 'v2'}));
    server.remove('v1', 'Pod', 'shop', 'web-1');
    await c.until(() => c.events.length === 6);
    handle.stop();
    expect(summary(c.events)).toEqual(['ADDED cart-1', 'ADDED cart-2', 'ADDED web-1', 'ADDED cart-3', 'MODIFIED cart-1', 'DELETED web-1']);
    expect(c.events[4].object).toMatchObject({apiVersion: 'v1', kind: 'Pod', metadata: {labels: {version: 'v2'}}});
    expect(c.errors).toEqual([]);
  });

  it('resumes after a resourceVersion with only later changes, filtered by label', async () => {
    const server = await fixture();
    const source = await connect(server);
    const since = String(server.resourceVersion);
    server.apply(pod('shop', 'web-2', {app: 'web'}));
    server.apply(pod('shop', 'cart-9', {app: 'cart'}));
    const c = collector();
    const handle = source.watch(PODS, 'v1', {resourceVersion: since, labelSelector: 'app=cart'}, (e) => c.events.push(e), (e) => c.errors.push(e));
    await c.until(() => c.events.length === 1);
    handle.stop();
    expect(summary(c.events)).toEqual(['ADDED cart-9']);
    expect(server.requests.at(-1)?.query).toEqual({watch: 'true', resourceVersion: since, labelSelector: 'app=cart'});
  });

  it('stays silent after stop()', async () => {
    const server = await fixture();
    const source = await connect(server);
    const c = collector();
    const handle = source.watch(PODS, 'v1', {namespace: 'default'}, (e) => c.events.push(e), (e) => c.errors.push(e));
    await c.until(() => c.events.length === 1);
    handle.stop();
    server.apply(pod('default', 'after-stop'));
    await server.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(summary(c.events)).toEqual(['ADDED debug']);
    expect(c.errors).toEqual([]);
  });

  it('reports a dropped stream through onError, once', async () => {
    const server = await fixture();
    const source = await connect(server);
    const c = collector();
    source.watch(PODS, 'v1', {}, (e) => c.events.push(e), (e) => c.errors.push(e));
    await c.until(() => c.events.length === 5);
    await server.stop();
    await c.until(() => c.errors.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toBeInstanceOf(KubeConnectionError);
    expect(c.errors[0].message).toBe(`watch pods: ${server.url} ended the stream`);
  });

  it('reports a forbidden watch as KubeApiError 403, and an expired resourceVersion as 410', async () => {
    const server = await fixture({forbid: [{resource: 'secrets', verb: 'watch'}]});
    const source = await connect(server);
    const denied = collector();
    source.watch(SECRETS, 'v1', {namespace: 'istio-system'}, (e) => denied.events.push(e), (e) => denied.errors.push(e));
    await denied.until(() => denied.errors.length > 0);
    expect(denied.errors[0]).toMatchObject({name: 'KubeApiError', status: 403, message: 'forbidden: watch secrets in istio-system'});
    const expired = collector();
    source.watch(PODS, 'v1', {resourceVersion: '1'}, (e) => expired.events.push(e), (e) => expired.errors.push(e));
    await expired.until(() => expired.errors.length > 0);
    expect(expired.errors[0]).toMatchObject({name: 'KubeApiError', status: 410});
  });
});

describe('read-only', () => {
  it('sent nothing but GET in any of the tests above', () => {
    // The log covers discovery, lists, gets and watches…
    expect(everyRequest.some((r) => r.path === '/apis')).toBe(true);
    expect(everyRequest.some((r) => r.query.continue !== undefined)).toBe(true);
    expect(everyRequest.some((r) => r.path === '/apis/networking.istio.io/v1/namespaces/shop/virtualservices/cart')).toBe(true);
    expect(everyRequest.some((r) => r.query.watch === 'true')).toBe(true);
    // …and every one of them was a read.
    expect(everyRequest.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
