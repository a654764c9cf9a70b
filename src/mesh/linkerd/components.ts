/**
 * The Linkerd control plane and its extensions as the charts install them
 * (linkerd/linkerd2 charts/linkerd-control-plane/templates): core components, webhook serving certificates, viz.
 */
export const COMPONENT_LABEL = 'linkerd.io/control-plane-component';
/** On an extension's namespace: `linkerd.io/extension=<name>` (viz, multicluster, smi…); the CLI finds extensions by it. */
export const EXTENSION_LABEL = 'linkerd.io/extension';

/** Core components `linkerd check` requires a ready pod for (Deployment `linkerd-<component>`). */
export const CORE_COMPONENTS = ['destination', 'identity', 'proxy-injector'] as const;

export type WebhookCert = Readonly<{
  secret: string;
  /** Service whose DNS name `<service>.<namespace>.svc` the certificate must carry. */
  service: string;
  /** Where the Secret and Service live: the control plane, or the viz extension. */
  where: 'control-plane' | 'viz';
  /** The APIService whose caBundle must verify this certificate (tap). */
  apiService?: string;
}>;

export const WEBHOOK_CERTS: readonly WebhookCert[] = [
  {secret: 'linkerd-proxy-injector-k8s-tls', service: 'linkerd-proxy-injector', where: 'control-plane'},
  {secret: 'linkerd-sp-validator-k8s-tls', service: 'linkerd-sp-validator', where: 'control-plane'},
  {secret: 'linkerd-policy-validator-k8s-tls', service: 'linkerd-policy-validator', where: 'control-plane'},
  {secret: 'tap-k8s-tls', service: 'tap', where: 'viz', apiService: 'v1alpha1.tap.linkerd.io'},
  {secret: 'tap-injector-k8s-tls', service: 'tap-injector', where: 'viz'},
];

export const TAP_APISERVICE = 'v1alpha1.tap.linkerd.io';

/** viz Deployments `linkerd viz check` expects running; `prometheus` only without an external one. */
export const VIZ_DEPLOYMENTS = ['metrics-api', 'tap', 'tap-injector', 'web', 'prometheus'] as const;
export const EXTERNAL_PROMETHEUS_ANNOTATION = 'viz.linkerd.io/external-prometheus';

export const CNI_DAEMONSET = 'linkerd-cni';
export const CNI_DEFAULT_NAMESPACE = 'linkerd-cni';

export const SMI_ADAPTOR = 'smi-adaptor';
