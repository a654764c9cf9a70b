/**
 * Kubeconfig loading follows kubectl: `--kubeconfig` alone, else KUBECONFIG merged first-wins, else
 * ~/.kube/config, else the in-cluster service account; errors are one clear KubeConfigError line.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {stringify} from 'yaml';
import {KubeConfigError} from '../../src/sources/kube/kube-source.js';
import {loadKubeconfig} from '../../src/sources/kube/kubeconfig.js';
import {createKubeHttp} from '../../src/sources/metrics/kube-http.js';

let dir: string;
let home: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshdoctor-kubeconfig-'));
  home = join(dir, 'home');
  mkdirSync(home);
});

afterEach(() => rmSync(dir, {recursive: true, force: true}));

type Spec = {
  clusters?: Record<string, Record<string, unknown>>;
  users?: Record<string, Record<string, unknown>>;
  contexts?: Record<string, {cluster: string; user?: string; namespace?: string}>;
  current?: string;
};

function kubeconfig(file: string, spec: Spec): string {
  const path = join(dir, file);
  mkdirSync(join(path, '..'), {recursive: true});
  writeFileSync(path, stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: Object.entries(spec.clusters ?? {}).map(([name, cluster]) => ({name, cluster})),
    users: Object.entries(spec.users ?? {}).map(([name, user]) => ({name, user})),
    contexts: Object.entries(spec.contexts ?? {}).map(([name, context]) => ({name, context})),
    ...(spec.current ? {'current-context': spec.current} : {}),
  }));
  return path;
}

/** A file with one context `name` → cluster `name` at `server`. */
function single(file: string, name: string, server: string, current?: string): string {
  return kubeconfig(file, {clusters: {[name]: {server}}, users: {[name]: {token: `${name}-token`}}, contexts: {[name]: {cluster: name, user: name}}, current});
}

async function loadError(request: Parameters<typeof loadKubeconfig>[0]): Promise<KubeConfigError> {
  const err = await loadKubeconfig(request).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(KubeConfigError);
  expect((err as Error).message).not.toContain('\n');
  return err as KubeConfigError;
}

describe('which file', () => {
  it('reads only the --kubeconfig file, ignoring KUBECONFIG', async () => {
    const explicit = single('explicit', 'explicit', 'https://explicit:6443', 'explicit');
    const env = {KUBECONFIG: single('env', 'env', 'https://env:6443', 'env')};
    const loaded = await loadKubeconfig({kubeconfig: explicit, env, home});
    expect(loaded).toMatchObject({context: 'explicit', server: 'https://explicit:6443', files: [explicit]});
    expect(loaded.kubeConfig.getContexts().map((c) => c.name)).toEqual(['explicit']);
  });

  it('falls back to ~/.kube/config without KUBECONFIG', async () => {
    const file = single('home/.kube/config', 'home', 'https://home:6443', 'home');
    expect(await loadKubeconfig({env: {}, home})).toMatchObject({context: 'home', server: 'https://home:6443', files: [file]});
  });

  it('uses the in-cluster service account when there is no kubeconfig inside a pod', async () => {
    const loaded = await loadKubeconfig({env: {KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443'}, home});
    expect(loaded).toMatchObject({context: 'in-cluster', server: 'https://10.96.0.1:443', files: []});
    expect(loaded.kubeConfig.getCurrentUser()?.authProvider?.config?.tokenFile).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
  });

  it('names a missing --kubeconfig file', async () => {
    expect((await loadError({kubeconfig: join(dir, 'nope'), env: {}, home})).message).toBe(`${join(dir, 'nope')}: kubeconfig does not exist`);
  });

  it('ignores missing KUBECONFIG files unless none exists', async () => {
    const present = single('b', 'b', 'https://b:6443', 'b');
    const loaded = await loadKubeconfig({env: {KUBECONFIG: [join(dir, 'missing'), present].join(delimiter)}, home});
    expect(loaded).toMatchObject({context: 'b', files: [present]});
    const err = await loadError({env: {KUBECONFIG: [join(dir, 'x'), join(dir, 'y')].join(delimiter)}, home});
    expect(err.message).toBe(`none of the files in KUBECONFIG exist: ${join(dir, 'x')}, ${join(dir, 'y')}`);
  });

  it('says so when there is no kubeconfig at all', async () => {
    expect((await loadError({env: {}, home})).message).toContain(`no kubeconfig: ${join(home, '.kube', 'config')} does not exist`);
  });
});

describe('merging KUBECONFIG like kubectl', () => {
  it('takes the current context from the second file when only it sets one', async () => {
    const a = single('a', 'a', 'https://a:6443');
    const b = single('b', 'b', 'https://b:6443', 'b');
    const loaded = await loadKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, home});
    expect(loaded).toMatchObject({context: 'b', server: 'https://b:6443', files: [a, b]});
    expect(loaded.kubeConfig.getContexts().map((c) => c.name).sort()).toEqual(['a', 'b']);
  });

  it('takes the current context from the first file when both set one', async () => {
    const a = single('a', 'a', 'https://a:6443', 'a');
    const b = single('b', 'b', 'https://b:6443', 'b');
    expect(await loadKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, home})).toMatchObject({context: 'a', server: 'https://a:6443'});
  });

  it('keeps the first file\'s definition of a duplicated cluster, user and context', async () => {
    const a = kubeconfig('a', {clusters: {prod: {server: 'https://first:6443'}}, users: {me: {token: 'first'}}, contexts: {prod: {cluster: 'prod', user: 'me', namespace: 'one'}}});
    const b = kubeconfig('b', {clusters: {prod: {server: 'https://second:6443'}}, users: {me: {token: 'second'}}, contexts: {prod: {cluster: 'prod', user: 'me', namespace: 'two'}}, current: 'prod'});
    const loaded = await loadKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, home});
    expect(loaded).toMatchObject({context: 'prod', server: 'https://first:6443', namespace: 'one'});
    expect(loaded.kubeConfig.getCurrentUser()?.token).toBe('first');
  });

  it('switches to the --context given, with its namespace', async () => {
    const file = kubeconfig('a', {
      clusters: {c: {server: 'https://c:6443'}}, users: {u: {}},
      contexts: {dev: {cluster: 'c', user: 'u'}, staging: {cluster: 'c', user: 'u', namespace: 'shop'}}, current: 'dev',
    });
    const loaded = await loadKubeconfig({kubeconfig: file, context: 'staging', env: {}, home});
    expect(loaded).toMatchObject({context: 'staging', namespace: 'shop'});
    expect(loaded.kubeConfig.getCurrentContext()).toBe('staging');
  });
});

describe('loading the same kubeconfig again (every source of every cluster does)', () => {
  it('sees an edited file at once, and one load never changes what the next one reads', async () => {
    const file = kubeconfig('config', {clusters: {a: {server: 'https://a:6443'}}, users: {a: {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: 'aws', args: ['eks', 'get-token']}}}, contexts: {a: {cluster: 'a', user: 'a'}}, current: 'a'});
    const first = await loadKubeconfig({kubeconfig: file, env: {}, home});
    expect(first).toMatchObject({context: 'a', server: 'https://a:6443'});
    // The exec section reaches client-node as read: a caller that changes it must not change the next load.
    (first.kubeConfig.getCurrentUser()!.exec as {args: string[]}).args.push('--changed');
    const again = await loadKubeconfig({kubeconfig: file, env: {}, home});
    expect(again.kubeConfig.getCurrentUser()!.exec).toMatchObject({command: 'aws', args: ['eks', 'get-token']});
    single('config', 'b', 'https://b:6443', 'b');
    expect(await loadKubeconfig({kubeconfig: file, env: {}, home})).toMatchObject({context: 'b', server: 'https://b:6443'});
  });
});

describe('paths inside a kubeconfig', () => {
  it('resolves certificate, key and token files relative to the file that names them', async () => {
    const certs = join(dir, 'conf', 'certs');
    mkdirSync(certs, {recursive: true});
    for (const f of ['ca.crt', 'client.crt', 'client.key', 'token']) writeFileSync(join(certs, f), 'x');
    const file = kubeconfig('conf/config', {
      clusters: {c: {server: 'https://c:6443', 'certificate-authority': 'certs/ca.crt'}},
      users: {u: {'client-certificate': 'certs/client.crt', 'client-key': './certs/client.key', 'token-file': 'certs/token'}},
      contexts: {c: {cluster: 'c', user: 'u'}}, current: 'c',
    });
    const {kubeConfig} = await loadKubeconfig({env: {KUBECONFIG: file}, home});
    expect(kubeConfig.getCurrentCluster()?.caFile).toBe(join(certs, 'ca.crt'));
    expect(kubeConfig.getCurrentUser()).toMatchObject({certFile: join(certs, 'client.crt'), keyFile: join(certs, 'client.key')});
    expect(kubeConfig.getCurrentUser()?.authProvider?.config?.tokenFile).toBe(join(certs, 'token'));
  });

  it('names a token file that does not exist', async () => {
    const file = kubeconfig('config', {clusters: {c: {server: 'https://c:6443'}}, users: {u: {'token-file': 'gone'}}, contexts: {c: {cluster: 'c', user: 'u'}}, current: 'c'});
    expect((await loadError({kubeconfig: file, env: {}, home})).message).toBe(`${file}: token file ${join(dir, 'gone')} of user "u" does not exist`);
  });
});

describe('errors', () => {
  it('names the known contexts when --context is unknown', async () => {
    const a = single('a', 'alpha', 'https://a:6443', 'alpha');
    const b = single('b', 'beta', 'https://b:6443');
    const err = await loadError({context: 'gamma', env: {KUBECONFIG: [a, b].join(delimiter)}, home});
    expect(err.message).toBe(`context "gamma" not found in KUBECONFIG (${a}, ${b}) (known contexts: alpha, beta)`);
  });

  it('says there is no current context, and which contexts exist', async () => {
    const file = single('a', 'alpha', 'https://a:6443');
    expect((await loadError({kubeconfig: file, env: {}, home})).message).toBe(`no current context in ${file}; pass --context (known contexts: alpha)`);
  });

  it('says where a current context that does not exist was set', async () => {
    const file = kubeconfig('a', {clusters: {c: {server: 'https://c:6443'}}, contexts: {dev: {cluster: 'c'}}, current: 'prod'});
    expect((await loadError({kubeconfig: file, env: {}, home})).message).toBe(`current context "prod" (set in ${file}) not found in ${file} (known contexts: dev)`);
  });

  it('points at file:line of malformed YAML', async () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters:\n\t- name: dev\n');
    const err = await loadError({kubeconfig: file, env: {}, home});
    expect(err.message).toMatch(new RegExp(`^${file}:4:\\d+: malformed kubeconfig: `));
  });

  it('rejects a document that is not a mapping', async () => {
    const file = join(dir, 'list');
    writeFileSync(file, '- a\n- b\n');
    expect((await loadError({kubeconfig: file, env: {}, home})).message).toBe(`${file}: not a kubeconfig (expected a YAML mapping)`);
  });

  it('names a context whose cluster is not defined, or has no server', async () => {
    const dangling = kubeconfig('a', {contexts: {dev: {cluster: 'nowhere'}}, current: 'dev'});
    expect((await loadError({kubeconfig: dangling, env: {}, home})).message).toBe(`context "dev" refers to cluster "nowhere", which ${dangling} does not define`);
    const serverless = kubeconfig('b', {clusters: {c: {}}, contexts: {dev: {cluster: 'c'}}, current: 'dev'});
    expect((await loadError({kubeconfig: serverless, env: {}, home})).message).toBe(`${serverless}: cluster "c" has no server`);
  });

  it('does not fail the chosen context over a broken entry it does not use', async () => {
    const file = kubeconfig('a', {
      clusters: {good: {server: 'https://good:6443'}, bad: {}}, users: {u: {}},
      contexts: {good: {cluster: 'good', user: 'u'}, bad: {cluster: 'bad'}}, current: 'good',
    });
    expect(await loadKubeconfig({kubeconfig: file, env: {}, home})).toMatchObject({context: 'good', server: 'https://good:6443'});
  });
});

describe('exec credential plugins', () => {
  /** A plugin that answers with a token after 2 s — in time for a 60 s request timeout, too late for 0.2 s. */
  function slowPluginConfig(): string {
    const plugin = join(dir, 'slow-plugin.sh');
    const credential = JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: {token: 'slow-token'}});
    writeFileSync(plugin, `#!/bin/sh\nsleep 2\necho '${credential}'\n`, {mode: 0o755});
    return kubeconfig('config', {
      clusters: {c: {server: 'https://c:6443'}},
      users: {u: {exec: {apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never'}}},
      contexts: {c: {cluster: 'c', user: 'u'}}, current: 'c',
    });
  }

  it('are waited for within the request timeout', async () => {
    const http = await createKubeHttp({kubeconfig: slowPluginConfig(), requestTimeoutMs: 60_000, env: {}});
    expect((await http.auth()).headers.Authorization).toBe('Bearer slow-token');
  });

  // --request-timeout bounds the plugin for every source (the API server's proxy and port-forward
  // included), not only the live source's requests: ClusterAccess carries it to loadKubeconfig.
  it('are killed at the request timeout of whichever source loads the kubeconfig', async () => {
    const http = await createKubeHttp({kubeconfig: slowPluginConfig(), requestTimeoutMs: 200, env: {}});
    await expect(http.auth()).rejects.toThrow(/cannot authenticate to https:\/\/c:6443/);
    const {kubeConfig} = await loadKubeconfig({kubeconfig: slowPluginConfig(), requestTimeoutMs: 200, env: {}, home});
    await expect(kubeConfig.applyToHTTPSOptions({})).rejects.toThrow();
  });
});
