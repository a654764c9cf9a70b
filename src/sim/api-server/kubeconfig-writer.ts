/** A kubeconfig pointing at the fixture, usable by kubectl and client-node alike. */
import {stringify} from 'yaml';

export type KubeconfigOptions = Readonly<{
  /** Context (and cluster/user) name; default `meshdoctor-fixture`. */
  context?: string;
  /** Default namespace of the context. */
  namespace?: string;
  /** Name to verify the TLS certificate against (a certificate for `localhost` served on 127.0.0.1). */
  tlsServerName?: string;
}>;

export type FixtureEndpoint = Readonly<{server: string; token?: string; caPem?: string}>;

export function fixtureKubeconfig(endpoint: FixtureEndpoint, options: KubeconfigOptions = {}): string {
  const name = options.context ?? 'meshdoctor-fixture';
  const cluster: Record<string, unknown> = {server: endpoint.server};
  if (endpoint.caPem) cluster['certificate-authority-data'] = Buffer.from(endpoint.caPem).toString('base64');
  // client-node refuses plain http unless TLS verification is off; kubectl does not mind either way.
  else if (endpoint.server.startsWith('http:')) cluster['insecure-skip-tls-verify'] = true;
  if (options.tlsServerName) cluster['tls-server-name'] = options.tlsServerName;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name, cluster}],
    users: [{name, user: endpoint.token ? {token: endpoint.token} : {}}],
    contexts: [{name, context: {cluster: name, user: name, ...(options.namespace ? {namespace: options.namespace} : {})}}],
    'current-context': name,
  });
}
