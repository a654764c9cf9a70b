/**
 * Runs from files evaluate what the files give (issue 14): pods in the files and template pods of
 * the other workloads coexist; each kind says how it was evaluated; a dump is scoped like the cluster
 * it shows, a manifest repository by every namespace it names.
 */
import {describe, expect, test} from 'vitest';
import {subjectKey} from '../../../src/core/index.js';
import {parseManifestText} from '../../../src/sources/kube/manifests.js';
import {isTemplatePod} from '../../../src/snapshot/templates.js';
import {snapshotOf} from '../../helpers/snapshot-builder.js';

const deployment = (name: string, ns = 'shop') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: ${name}:1}]}
`;

const runningPod = (name: string, owner: string, ns = 'shop') => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: ${owner}, pod-template-hash: 7f9c}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}-7f9c, controller: true}]
spec: {containers: [{name: app, image: ${owner}:1}]}
status: {phase: Running}
`;

const manifests = {mode: 'manifests' as const};

describe('pods in a run from files', () => {
  test('one bare Pod in the files does not take the template pods of every Deployment away', () => {
    const snap = snapshotOf(deployment('cart') + deployment('web') + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop}\nspec: {containers: [{name: sh}]}\n', manifests);
    const owners = snap.pods().map((p) => `${subjectKey(snap.workloads.ownerOf(p))}${isTemplatePod(p) ? ' (template)' : ''}`).sort();
    expect(owners).toEqual(['Deployment shop/cart (template)', 'Deployment shop/web (template)', 'Pod shop/debug']);
  });

  test('a workload whose pods are in the files uses them; the others get their template', () => {
    const snap = snapshotOf(deployment('cart') + deployment('web') + runningPod('cart-7f9c-abcde', 'cart'), manifests);
    expect(snap.workloads.podsOf({kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'cart'}).map((p) => p.metadata.name)).toEqual(['cart-7f9c-abcde']);
    expect(snap.workloads.podsOf({kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'web'}).map((p) => p.metadata.name)).toEqual(['web-template']);
  });

  test('a template with no container stands for no pod (a kustomize patch)', () => {
    const patch = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: shop}\nspec: {replicas: 3}\n';
    expect(snapshotOf(patch, manifests).pods()).toEqual([]);
  });
});

describe('how each kind was evaluated', () => {
  test('files with status, files as written and templates are told apart; `status: {}` is no status', () => {
    const snap = snapshotOf(deployment('cart') + deployment('web') + runningPod('cart-7f9c-abcde', 'cart') + '---\napiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {}\nstatus: {}\n', manifests);
    expect(snap.evaluated.map((e) => `${e.kind} ${e.mode} ${e.count}`)).toEqual(['Deployment files 2', 'Pod files-with-status 1', 'Pod templates 1', 'Service files 1']);
    expect(snap.hasState('pods')).toBe(true);
    expect(snap.hasState('deployments.apps')).toBe(false);
  });

  test('a live run has every kind live', () => {
    const snap = snapshotOf(deployment('cart') + runningPod('cart-7f9c-abcde', 'cart'));
    expect(new Set(snap.evaluated.map((e) => e.mode))).toEqual(new Set(['live']));
  });
});

describe('scope of a run from files', () => {
  const other = '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: tools}\n' + deployment('dig', 'tools');
  const meshed = '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n';
  test('a manifest repository: every namespace it names', () => {
    expect([...snapshotOf(meshed + deployment('cart') + other, manifests).scope.namespaces].sort()).toEqual(['shop', 'tools']);
  });
  test('a dump (files with status): the meshed namespaces, as a live run of that cluster would', () => {
    expect([...snapshotOf(meshed + deployment('cart') + runningPod('cart-7f9c-abcde', 'cart') + other, manifests).scope.namespaces]).toEqual(['shop']);
  });
});

describe('a kubectl dump (one List document)', () => {
  test('each object keeps its own line, so findings point at it', () => {
    const text = 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\nkind: List\n';
    expect(parseManifestText(text, 'dump.yaml').map((o) => [o.object.metadata.name, o.line])).toEqual([['a', 3], ['b', 6]]);
  });
});
