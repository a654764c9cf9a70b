/** Pure per-mesh knowledge: Linkerd networks, opaque ports, profile names, identities; weights; Gateway API references. */
import {describe, expect, test} from 'vitest';
import {covered, parseNetworks} from '../../../src/mesh/linkerd/networks.js';
import {parsePortSpec, specIncludes} from '../../../src/mesh/linkerd/opaque-ports.js';
import {authorityTarget, profileTarget} from '../../../src/mesh/linkerd/profiles.js';
import {identityOf, identityWellFormed, parseIdentity, serverAccessPolicy} from '../../../src/mesh/linkerd/policy.js';
import {parseWeight} from '../../../src/mesh/weights.js';
import {backendTarget, backendUses, parentTarget, referenceGranted} from '../../../src/mesh/gateway-api/routes.js';
import {snapshotOf} from '../../helpers/snapshot-builder.js';
import type {LinkerdServer, Route} from '../../../src/core/index.js';

describe('Linkerd clusterNetworks', () => {
  test('the default networks cover RFC 1918, CGNAT and fd00::/8, for addresses and whole CIDRs', () => {
    const n = parseNetworks(undefined);
    expect(covered(n, '10.244.1.7')).toBe(true);
    expect(covered(n, '100.64.3.2')).toBe(true);
    expect(covered(n, '192.168.1.0/24')).toBe(true);
    expect(covered(n, 'fd00:10:244::5')).toBe(true);
    expect(covered(n, '203.0.113.5')).toBe(false);
    expect(covered(n, '2001:db8::1')).toBe(false);
  });

  test('a CIDR is covered only when wholly inside one network', () => {
    const n = parseNetworks('10.0.0.0/16');
    expect(covered(n, '10.0.128.0/17')).toBe(true);
    expect(covered(n, '10.0.0.0/8')).toBe(false);
  });

  test('entries that are not CIDRs are reported, not thrown on', () => {
    const n = parseNetworks('10.0.0.0/8, banana ,300.1.1.1/8');
    expect(n.invalid).toEqual(['banana', '300.1.1.1/8']);
    expect(covered(n, 'not-an-ip')).toBeUndefined();
  });
});

describe('opaque ports', () => {
  test('numbers, ranges and container port names', () => {
    const spec = parsePortSpec('25, 3306, 5670-5679, amqp');
    expect(specIncludes(spec, 3306)).toBe(true);
    expect(specIncludes(spec, 5675)).toBe(true);
    expect(specIncludes(spec, 5680)).toBe(false);
    expect(specIncludes(spec, 15672, 'amqp')).toBe(true);
    expect(specIncludes(spec, 8080, 'http')).toBe(false);
  });
});

describe('ServiceProfile names', () => {
  test('only <svc>.<ns>.svc.<clusterDomain> designates a Service', () => {
    expect(profileTarget('cart.shop.svc.cluster.local', 'cluster.local')).toEqual({service: 'cart', namespace: 'shop'});
    expect(profileTarget('cart.shop', 'cluster.local')).toBeUndefined();
    expect(profileTarget('cart.shop.svc.cluster.local', 'prod.internal')).toBeUndefined();
    expect(profileTarget('a.b.c.svc.cluster.local', 'cluster.local')).toBeUndefined();
    expect(authorityTarget('web-v2.shop.svc.cluster.local:8080', 'cluster.local')).toEqual({service: 'web-v2', namespace: 'shop'});
  });
});

describe('Linkerd identities and Servers', () => {
  test('local identities round-trip; wildcards and DNS names are well formed, URIs are not', () => {
    const id = identityOf('web', 'shop', 'linkerd', 'cluster.local');
    expect(id).toBe('web.shop.serviceaccount.identity.linkerd.cluster.local');
    expect(parseIdentity(id, 'linkerd', 'cluster.local')).toEqual({serviceAccount: 'web', namespace: 'shop'});
    expect(parseIdentity('web.shop.serviceaccount.identity.linkerd.other.org', 'linkerd', 'cluster.local')).toBeUndefined();
    expect(identityWellFormed('*')).toBe(true);
    expect(identityWellFormed('*.shop.serviceaccount.identity.linkerd.cluster.local')).toBe(true);
    expect(identityWellFormed('spiffe://cluster.local/ns/shop/sa/web')).toBe(false);
    expect(identityWellFormed('Web.Shop')).toBe(false);
  });

  test('a Server without accessPolicy denies', () => {
    const server = {apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: {name: 's'}, spec: {port: 80}} as LinkerdServer;
    expect(serverAccessPolicy(server)).toBe('deny');
  });
});

describe('weights', () => {
  test('numbers and Kubernetes quantities', () => {
    expect(parseWeight(90)).toBe(90);
    expect(parseWeight('500m')).toBe(0.5);
    expect(parseWeight('1')).toBe(1);
    expect(parseWeight('0')).toBe(0);
    expect(parseWeight('ten')).toBeUndefined();
    expect(parseWeight(undefined)).toBeUndefined();
  });
});

describe('Gateway API references', () => {
  test('defaults: parents are Gateways, backends core Services, both in the route namespace; weight 1', () => {
    expect(parentTarget({name: 'gw'}, 'shop')).toEqual({group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop', name: 'gw'});
    expect(parentTarget({group: 'core', kind: 'Service', name: 'cart', port: 80}, 'shop')).toEqual({group: '', kind: 'Service', namespace: 'shop', name: 'cart', port: 80});
    expect(backendTarget({name: 'cart', port: 80}, 'shop')).toEqual({group: '', kind: 'Service', namespace: 'shop', name: 'cart', port: 80, weight: 1});
  });

  test('backends include request mirrors on rules and on backends', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: {name: 'r', namespace: 'shop'},
      spec: {rules: [{backendRefs: [{name: 'a', filters: [{type: 'RequestMirror', requestMirror: {backendRef: {name: 'b'}}}]}], filters: [{type: 'RequestMirror', requestMirror: {backendRef: {name: 'c'}}}]}]},
    } as Route;
    expect(backendUses(route).map((u) => `${u.target.name}${u.mirror ? ' (mirror)' : ''}`)).toEqual(['a', 'b (mirror)', 'c (mirror)']);
  });

  test('a cross-namespace reference needs a ReferenceGrant in the target namespace for that kind and source', () => {
    const snap = snapshotOf(`
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: g, namespace: payments}
spec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}], to: [{group: "", kind: Service, name: ledger}]}`);
    const from = (namespace: string) => ({group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace});
    const to = (name: string) => ({group: '', kind: 'Service', namespace: 'payments', name});
    expect(referenceGranted(snap.objects, from('web'), to('ledger'))).toBe(true);
    expect(referenceGranted(snap.objects, from('web'), to('other'))).toBe(false);
    expect(referenceGranted(snap.objects, from('shop'), to('ledger'))).toBe(false);
    expect(referenceGranted(snap.objects, from('payments'), to('anything'))).toBe(true);
  });
});
