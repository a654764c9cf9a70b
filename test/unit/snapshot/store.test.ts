import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {KubeObject, LabelSelector} from '../../../src/core/index.js';
import {matchesSelector} from '../../../src/core/index.js';
import {ObjectStore} from '../../../src/snapshot/store.js';

function pod(ns: string, name: string, labels: Record<string, string>): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: ns, labels}, spec: {containers: []}};
}

const labelValue = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(fc.constantFrom('app', 'version', 'tier'), labelValue, {maxKeys: 3});
const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.option(labels, {nil: undefined}),
  matchExpressions: fc.option(fc.array(fc.record({key: fc.constantFrom('app', 'version', 'tier'), operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.array(labelValue, {maxLength: 2})}), {maxLength: 2}), {nil: undefined}),
}, {requiredKeys: []});

describe('ObjectStore', () => {
  test('label-indexed select equals a full scan with the selector (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('shop', 'web'), labels), {maxLength: 30}), selector, fc.option(fc.constantFrom('shop', 'web'), {nil: undefined}), (specs, sel, ns) => {
        const pods = specs.map(([n, l], i) => pod(n, `p${i}`, l));
        const store = new ObjectStore(new Map([['pods', pods]]), new Map());
        const expected = pods.filter((p) => (ns === undefined || p.metadata.namespace === ns) && matchesSelector(p.metadata.labels, sel));
        expect(store.select('pods', ns, sel)).toEqual(expected);
      }),
    );
  });

  test('get finds by namespace and name; cluster-scoped objects by name', () => {
    const store = new ObjectStore(new Map([['pods', [pod('shop', 'a', {})]], ['namespaces', [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop'}}]]]), new Map());
    expect(store.get('pods', 'shop', 'a')?.metadata.name).toBe('a');
    expect(store.get('pods', 'web', 'a')).toBeUndefined();
    expect(store.get('namespaces', undefined, 'shop')?.metadata.name).toBe('shop');
  });

  test('a kind that was never collected reports an error availability, not an empty success', () => {
    const store = new ObjectStore(new Map(), new Map());
    expect(store.availability('services').state).toBe('error');
  });
});
