/**
 * MD3302 — with Consul ACLs enabled (the connect-injector runs with `-acl-auth-method=`), an
 * injected pod's ServiceAccount must have the name of the Consul service it registers
 * (`consul.hashicorp.com/connect-service`, else its Service's name): the init container logs in
 * with the pod's ServiceAccount token and the auth method's binding rule issues a token for the
 * service of that name. Otherwise login fails with PermissionDenied and the pod never starts.
 * Multi-port pods and pods whose Service cannot be decided (MD3301) are skipped. Per workload.
 */
import type {FindingDraft, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, notApplicable} from '../../src/core/index.js';
import {aclsEnabled, consulInjected, consulServiceNames, isConnectInjector, multiPort} from '../../src/mesh/consul/catalog.js';
import {podActive} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD3302',
  slug: 'consul-service-account-mismatch',
  title: 'with Consul ACLs on, injected pods run as a ServiceAccount named after their service',
  block: 'data-plane',
  severity: 'error',
  meshes: ['consul'],
  inputs: {kinds: ['pods', 'services', 'deployments.apps']},
  anchor: 'none — gap (Consul k8s error-messages page)',
  evaluate(ctx) {
    const injectors = ctx.objects.list('deployments.apps').filter(isConnectInjector);
    if (injectors.length === 0) return notApplicable('no Consul connect-injector Deployment: cannot tell whether ACLs are enabled');
    if (!injectors.some(aclsEnabled)) return notApplicable('Consul ACLs are not enabled (connect-injector has no -acl-auth-method)');
    const bad: {pod: Pod; account: string; service: string}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (!podActive(pod) || !consulInjected(pod) || multiPort(pod)) continue;
      const names = consulServiceNames(ctx.objects, pod);
      if (names.length !== 1) continue;
      const account = pod.spec.serviceAccountName ?? 'default';
      if (account !== names[0]) bad.push({pod, account, service: names[0]});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(bad, (b) => ctx.workloads.ownerOf(b.pod)).values()) {
      const {account, service} = items[0];
      const names = items.map((i) => i.pod.metadata.name);
      findings.push({
        subject,
        message: `${names.length} pod(s) run as ServiceAccount ${account} but register Consul service ${service}: with ACLs the init container's login is denied (${nameList(names)})`,
        evidence: {serviceAccount: account, consulService: service, pods: names.length},
      });
    }
    return findings;
  },
});
