/** Istio annotation facts (istio/api's table) and the values the sidecar injector accepts (pkg/kube/inject/validate.go). */
import {describe, expect, test} from 'vitest';
import {annotationValueProblem, isCidr} from '../../../src/mesh/istio/annotation-values.js';
import {ISTIO_ANNOTATIONS, isIstioAnnotation} from '../../../src/mesh/istio/annotations.js';

describe('the annotation table', () => {
  test('keys in Istio\'s namespace are the ones whose prefix ends in istio.io, plus kubernetes.io/ingress.class', () => {
    expect(isIstioAnnotation('sidecar.istio.io/inject')).toBe(true);
    expect(isIstioAnnotation('readiness.status.sidecar.istio.io/periodSeconds')).toBe(true);
    expect(isIstioAnnotation('kubernetes.io/ingress.class')).toBe(true);
    expect(isIstioAnnotation('kubernetes.io/psp')).toBe(false);
    expect(isIstioAnnotation('example.com/istio.io')).toBe(false);
  });

  test('kinds and deprecation come from istio/api', () => {
    expect(ISTIO_ANNOTATIONS.get('networking.istio.io/exportTo')?.kinds).toEqual(['Service']);
    expect(ISTIO_ANNOTATIONS.get('networking.istio.io/traffic-distribution')?.kinds).toEqual(['Namespace', 'Service', 'ServiceEntry']);
    expect(ISTIO_ANNOTATIONS.get('sidecar.istio.io/inject')).toEqual({kinds: ['Pod'], status: 'beta', deprecated: true});
    expect(ISTIO_ANNOTATIONS.get('galley.istio.io/analyze-suppress')?.kinds).toEqual(['Any']);
    expect(ISTIO_ANNOTATIONS.has('sidecar.istio.io/proxyCpu')).toBe(false);
  });
});

describe('annotation values the injector accepts', () => {
  test('ports: comma-separated numbers, spaces around them allowed, * only where the key allows it', () => {
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeInboundPorts', ' 9090 , 9091')).toBeUndefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeInboundPorts', '')).toBeUndefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/includeInboundPorts', '*')).toBeUndefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeOutboundPorts', '*')).toMatch(/not a port/);
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeOutboundPorts', '5432,mysql')).toMatch(/mysql/);
    expect(annotationValueProblem('status.sidecar.istio.io/port', '65536')).toMatch(/not a port/);
  });

  test('CIDRs: Go netip.ParsePrefix, no spaces, IPv4 and IPv6', () => {
    expect(isCidr('10.0.0.0/8')).toBe(true);
    expect(isCidr('10.0.0.1/8')).toBe(true);
    expect(isCidr('fd00::/8')).toBe(true);
    expect(isCidr('::ffff:10.0.0.0/104')).toBe(true);
    expect(isCidr(' 10.0.0.0/8')).toBe(false);
    expect(isCidr('10.0.0.0')).toBe(false);
    expect(isCidr('10.0.0.0/33')).toBe(false);
    expect(isCidr('010.0.0.0/8')).toBe(false);
    expect(isCidr('1:2:3:4:5:6:7:8:9/64')).toBe(false);
    expect(annotationValueProblem('traffic.sidecar.istio.io/includeOutboundIPRanges', '*')).toBeUndefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.96.0.0/12, 169.254.169.254/32')).toMatch(/not a CIDR/);
  });

  test('enumerations, integers, booleans, quantities, interface names', () => {
    expect(annotationValueProblem('sidecar.istio.io/interceptionMode', 'TPROXY')).toBeUndefined();
    expect(annotationValueProblem('sidecar.istio.io/interceptionMode', 'redirect')).toMatch(/REDIRECT/);
    expect(annotationValueProblem('readiness.status.sidecar.istio.io/initialDelaySeconds', 'bar')).toBeDefined();
    expect(annotationValueProblem('readiness.status.sidecar.istio.io/periodSeconds', '10')).toBeUndefined();
    expect(annotationValueProblem('readiness.status.sidecar.istio.io/failureThreshold', '-1')).toBeDefined();
    expect(annotationValueProblem('prometheus.istio.io/merge-metrics', 'True')).toBeUndefined();
    expect(annotationValueProblem('prometheus.istio.io/merge-metrics', 'yes')).toBeDefined();
    expect(annotationValueProblem('sidecar.istio.io/proxyMemory', '128Mi')).toBeUndefined();
    expect(annotationValueProblem('sidecar.istio.io/proxyCPU', '0.5')).toBeUndefined();
    expect(annotationValueProblem('sidecar.istio.io/proxyMemory', '128 Mi')).toBeDefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeInterfaces', 'eth1, net1')).toBeUndefined();
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeInterfaces', 'eth1,,net1')).toMatch(/empty/);
    expect(annotationValueProblem('traffic.sidecar.istio.io/excludeInterfaces', 'a-very-long-interface')).toMatch(/15/);
  });

  test('proxy.istio.io/config must be a YAML mapping; unknown keys and non-strings are judged, not thrown on', () => {
    expect(annotationValueProblem('proxy.istio.io/config', 'holdApplicationUntilProxyStart: true')).toBeUndefined();
    expect(annotationValueProblem('proxy.istio.io/config', '{}')).toBeUndefined();
    expect(annotationValueProblem('proxy.istio.io/config', '- a\n- b')).toMatch(/mapping/);
    expect(annotationValueProblem('proxy.istio.io/config', 'a: [')).toMatch(/not YAML/);
    expect(annotationValueProblem('sidecar.istio.io/proxyCPU', 5)).toBe('not a string');
    expect(annotationValueProblem('example.com/anything', 'x')).toBeUndefined();
  });
});
