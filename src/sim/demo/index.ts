/**
 * `meshdoctor demo`'s world, started and stopped as one thing: a scenario's objects and simulated
 * traffic behind a fixture API server on loopback, its kubeconfig in a temporary directory, and
 * optionally a real Prometheus scraping the simulated proxies. `stop()` undoes all of it (servers,
 * child process, temporary files); `stopNow()` is the synchronous version for the process' exit.
 */
import type {SimClock} from '../traffic/model.js';
import type {PrometheusBinaries, RunningPrometheus} from './prometheus.js';
import type {Scenario} from './scenario.js';
import type {ServedWorld} from './serve.js';
import {serveWorld} from './serve.js';
import type {World} from './world.js';
import {buildWorld} from './world.js';

export type RunningDemo = Readonly<{
  scenario: Scenario;
  world: World;
  served: ServedWorld;
  kubeconfig: string;
  /** The API server's URL. */
  apiUrl: string;
  /** Set when a Prometheus was started. */
  prometheusUrl?: string;
  stop(): Promise<void>;
  stopNow(): void;
}>;

export type DemoOptions = Readonly<{
  /** Start a real Prometheus with these binaries. */
  prometheus?: PrometheusBinaries;
  tmpRoot?: string;
  clock?: SimClock;
}>;

export async function startDemo(scenario: Scenario, options: DemoOptions = {}): Promise<RunningDemo> {
  const world = await buildWorld(scenario, options.clock ? {clock: options.clock} : {});
  const served = await serveWorld(world, options.tmpRoot ? {tmpRoot: options.tmpRoot} : {});
  let prometheus: RunningPrometheus | undefined;
  if (options.prometheus) {
    try {
      const {startPrometheus} = await import('./prometheus.js');
      prometheus = await startPrometheus(world, {binaries: options.prometheus, dir: served.dir, ...(options.clock ? {now: () => options.clock!.now()} : {})});
    } catch (error) {
      await served.stop();
      throw error;
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    scenario, world, served,
    kubeconfig: served.kubeconfig,
    apiUrl: served.url,
    ...(prometheus ? {prometheusUrl: prometheus.url} : {}),
    stop() {
      stopping ??= (async () => {
        await prometheus?.stop();
        await served.stop();
      })();
      return stopping;
    },
    stopNow() {
      prometheus?.stopNow();
      served.stopNow();
    },
  };
}
