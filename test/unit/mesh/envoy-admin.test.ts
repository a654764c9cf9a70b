/**
 * Reading Envoy's admin output: payloads shaped as Envoy writes them (admin.v3.Clusters with
 * proto3-JSON uint64 strings and HostHealthStatus flags; config dumps answered to `?resource=` —
 * one entry per element, typed by its message — and full dumps; a route configuration like
 * istioctl's testdata routes/istio-gateway-http-route-prefix, with the VirtualService named in
 * `filter_metadata.istio.config`; `/stats` text). istioctl's renderings (`httpbin.default`, the
 * domain shortening) are the oracle for the summaries.
 */
import {describe, expect, test} from 'vitest';
import {describeDomains, parseClusterName, parseClusters, parseClusterStatuses, parseListeners, parseRoutes, parseStats, renderIstioConfig} from '../../../src/mesh/envoy/admin.js';
import {ENVOY_READ_PATHS, statsPath} from '../../../src/sources/proxy/envoy-view.js';
import {MUTATING_ADMIN_PATHS} from '../../../src/sim/proxy/envoy-admin.js';

const clusters = {
  cluster_statuses: [
    {
      name: 'outbound|80||checkout-canary.shop.svc.cluster.local', added_via_api: true,
      host_statuses: [{
        address: {socket_address: {address: '10.0.0.15', port_value: 8080}},
        stats: [{name: 'cx_connect_fail', value: '18070'}, {name: 'rq_total', value: '34646'}, {name: 'rq_error'}, {name: 'cx_active', type: 'GAUGE', value: '2'}],
        health_status: {eds_health_status: 'HEALTHY', failed_outlier_check: true},
        weight: 1, locality: {},
      }],
    },
    {name: 'BlackHoleCluster', added_via_api: true},
    {name: 'agent', host_statuses: [{address: {pipe: {path: './etc/istio/proxy/XDS'}}, stats: [], health_status: {eds_health_status: 'HEALTHY'}}]},
  ],
};

describe('/clusters?format=json', () => {
  test('hosts with their health, outlier ejection and numeric stats (uint64 as strings; a missing value is 0)', () => {
    const hosts = parseClusterStatuses(clusters);
    expect(hosts[0]).toEqual({
      cluster: 'outbound|80||checkout-canary.shop.svc.cluster.local', address: '10.0.0.15', port: 8080,
      health: {eds: 'HEALTHY', outlier: true, activeCheck: false},
      stats: {cx_connect_fail: 18070, rq_total: 34646, rq_error: 0, cx_active: 2},
    });
    expect(hosts[1]).toMatchObject({cluster: 'agent', address: 'unix://./etc/istio/proxy/XDS', port: 0, health: {outlier: false}});
    expect(hosts).toHaveLength(2);
  });

  test('garbage is no hosts, never a throw', () => {
    expect(parseClusterStatuses(null)).toEqual([]);
    expect(parseClusterStatuses({cluster_statuses: [null, 3, {host_statuses: 'x'}]})).toEqual([]);
  });
});

describe('config dumps', () => {
  const cluster = {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'outbound|80||checkout-canary.shop.svc.cluster.local', type: 'EDS',
    outlier_detection: {consecutive_gateway_failure: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 100, enforcing_success_rate: 0},
    common_lb_config: {healthy_panic_threshold: {value: 50}},
    metadata: {filter_metadata: {istio: {config: '/apis/networking.istio.io/v1/namespaces/shop/destination-rule/checkout-canary', services: [{host: 'checkout-canary.shop.svc.cluster.local', name: 'checkout-canary', namespace: 'shop'}]}}},
  };

  test('?resource=dynamic_active_clusters (entries typed by their element) and a full dump read the same', () => {
    const resource = {configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', version_info: 'v1', cluster, last_updated: '2026-03-02T10:00:00Z'}]};
    const full = {configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: {}}, {'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', static_clusters: [], dynamic_active_clusters: [{cluster}]}]};
    const expected = [{
      name: cluster.name, parts: {direction: 'outbound', port: 80, fqdn: 'checkout-canary.shop.svc.cluster.local'}, type: 'EDS', destinationRule: 'checkout-canary.shop',
      outlier: {consecutiveGatewayFailure: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100}, panicThreshold: 50,
    }];
    expect(parseClusters(resource)).toEqual(expected);
    expect(parseClusters(full)).toEqual(expected);
  });

  test('routes: the VirtualService behind a route (istioctl renders it name.namespace), weights in percent, the match', () => {
    const routes = {configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump.DynamicRouteConfig', route_config: {
      '@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', name: '80',
      virtual_hosts: [{
        name: 'checkout.shop.svc.cluster.local:80', domains: ['checkout.shop.svc.cluster.local', 'checkout.shop.svc', 'checkout.shop', 'checkout', '10.96.12.7'],
        routes: [
          {name: 'canary-split', match: {prefix: '/'}, route: {weighted_clusters: {clusters: [{name: 'outbound|80||checkout-stable.shop.svc.cluster.local', weight: 75}, {name: 'outbound|80||checkout-canary.shop.svc.cluster.local', weight: 25}]}, retry_policy: {num_retries: 2}},
            metadata: {filter_metadata: {istio: {config: '/apis/networking.istio.io/v1/namespaces/shop/virtual-service/checkout'}}}},
          {match: {prefix: '/get', case_sensitive: true, headers: [{name: 'x-preview', string_match: {exact: 'true'}}]}, route: {cluster: 'outbound|8000||httpbin.default.svc.cluster.local'}},
        ],
      }],
    }}]};
    expect(parseRoutes(routes)).toEqual([
      {routeConfig: '80', virtualHost: 'checkout.shop.svc.cluster.local:80', domains: ['checkout.shop.svc.cluster.local', 'checkout.shop.svc', 'checkout.shop', 'checkout', '10.96.12.7'], match: '/*',
        clusters: [{name: 'outbound|80||checkout-stable.shop.svc.cluster.local', weight: 75}, {name: 'outbound|80||checkout-canary.shop.svc.cluster.local', weight: 25}],
        virtualService: 'checkout.shop', name: 'canary-split', retries: 2},
      {routeConfig: '80', virtualHost: 'checkout.shop.svc.cluster.local:80', domains: expect.any(Array), match: '/get* (x-preview=true)', clusters: [{name: 'outbound|8000||httpbin.default.svc.cluster.local', weight: 100}]},
    ]);
  });

  test('listeners: HTTP by its connection manager (the route configuration it uses), TCP by its proxy; a BlackHole proxy is not TCP', () => {
    const hcm = {name: 'envoy.filters.network.http_connection_manager', typed_config: {rds: {route_config_name: '80'}}};
    const tcp = (cluster: string) => ({name: 'envoy.filters.network.tcp_proxy', typed_config: {cluster}});
    const dump = {configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', dynamic_listeners: [
      {name: '0.0.0.0_80', active_state: {listener: {name: '0.0.0.0_80', address: {socket_address: {address: '0.0.0.0', port_value: 80}}, filter_chains: [{filters: [hcm]}]}}},
      {name: 'virtualOutbound', active_state: {listener: {name: 'virtualOutbound', address: {socket_address: {address: '0.0.0.0', port_value: 15001}}, filter_chains: [{filters: [tcp('BlackHoleCluster')]}], default_filter_chain: {filters: [tcp('PassthroughCluster')]}}}},
    ]}]};
    expect(parseListeners(dump)).toEqual([
      {name: '0.0.0.0_80', address: '0.0.0.0', port: 80, type: 'HTTP', destination: 'Route: 80'},
      {name: 'virtualOutbound', address: '0.0.0.0', port: 15001, type: 'TCP', destination: 'Cluster: BlackHoleCluster, Cluster: PassthroughCluster'},
    ]);
  });
});

describe('names, stats and the paths read', () => {
  test('Istio cluster names and config paths', () => {
    expect(parseClusterName('outbound|9080|v2|reviews.bookinfo.svc.cluster.local')).toEqual({direction: 'outbound', port: 9080, subset: 'v2', fqdn: 'reviews.bookinfo.svc.cluster.local'});
    expect(parseClusterName('inbound|8080||')).toEqual({direction: 'inbound', port: 8080});
    expect(parseClusterName('PassthroughCluster')).toEqual({});
    expect(renderIstioConfig('/apis/networking.istio.io/v1/namespaces/default/virtual-service/httpbin')).toBe('httpbin.default');
    expect(renderIstioConfig('/apis/other/v1')).toBeUndefined();
  });

  test('domains as istioctl shortens them', () => {
    expect(describeDomains(['checkout.shop.svc.cluster.local', 'checkout.shop.svc', 'checkout.shop', 'checkout', '10.96.12.7'])).toBe('checkout.shop, checkout + 1 more...');
    expect(describeDomains(['*'])).toBe('*');
  });

  test('/stats text; the filter for a failing upstream matches only its clusters', () => {
    const stats = parseStats('cluster.outbound|80||checkout-canary.shop.svc.cluster.local.upstream_cx_connect_fail: 18007\ncluster.x.upstream_rq_time: P0(nan,1) P25(nan,2)\nserver.live: 1\n');
    expect([...stats]).toEqual([['cluster.outbound|80||checkout-canary.shop.svc.cluster.local.upstream_cx_connect_fail', 18007], ['server.live', 1]]);
    const re = new RegExp(decodeURIComponent(statsPath(['checkout-canary.shop.svc.cluster.local']).split('filter=')[1]));
    expect(re.test('cluster.outbound|80||checkout-canary.shop.svc.cluster.local.upstream_rq_total')).toBe(true);
    expect(re.test('cluster.outbound|80||checkout.shop.svc.cluster.local.upstream_rq_total')).toBe(false);
  });

  test('every admin path meshdoctor reads is a read: none of the state-changing ones', () => {
    for (const path of Object.values(ENVOY_READ_PATHS)) expect(MUTATING_ADMIN_PATHS.some((m) => path.startsWith(m))).toBe(false);
  });
});
