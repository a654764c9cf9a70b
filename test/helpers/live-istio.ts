/** The live Istio cluster the CLI tests run against: test/fixtures/live/istio-cluster.yaml over the Istio base, served by the fixture API server. */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {renderManifestTemplate} from '../../src/sim/manifest-template.js';
import {afterAll, beforeAll} from 'vitest';
import {ROOT} from './cli.js';

/** Starts the server and writes its kubeconfig (context `fixture`) to `kubeconfig`; stop the server when done. */
export async function startLiveIstio(kubeconfig: string): Promise<FixtureApiServer> {
  const text = readFileSync(join(ROOT, 'test/fixtures/clusters/_base/istio.yaml'), 'utf8') + '\n---\n' + readFileSync(join(ROOT, 'test/fixtures/live/istio-cluster.yaml'), 'utf8');
  const server = new FixtureApiServer({objects: (await renderManifestTemplate(text)).objects});
  await server.start();
  server.writeKubeconfig(kubeconfig, {context: 'fixture'});
  return server;
}

/** The same for a describe block: started before its tests, stopped after them. */
export function useLiveIstio(dir: string): {readonly server: FixtureApiServer; readonly kubeconfig: string} {
  const live = {kubeconfig: join(dir, 'kubeconfig')} as {server: FixtureApiServer; kubeconfig: string};
  beforeAll(async () => {
    live.server = await startLiveIstio(live.kubeconfig);
  });
  afterAll(async () => {
    await live.server?.stop();
  });
  return live;
}
