/** The parent side of serve-cluster.ts: fork it, wait until it serves, ask it what it served, stop it. */
import {fork} from 'node:child_process';
import {join} from 'node:path';
import {packageRoot} from '../src/package-info.js';
import type {ReadyMessage, ServeClusterOptions} from './serve-cluster.js';

export type ClusterServer = ReadyMessage & Readonly<{
  /** Response bytes and requests served since the last reset. */
  served(): Promise<{bytes: number; requests: number}>;
  reset(): Promise<void>;
  /** Replace `perSecond` pods every second (0 stops). */
  churn(perSecond: number): Promise<void>;
  stop(): Promise<void>;
}>;

export async function startClusterServer(options: ServeClusterOptions): Promise<ClusterServer> {
  // The served JSON of 50k realistic pods is over a gigabyte of strings: give the server room.
  const child = fork(join(packageRoot(), 'dist', 'bench', 'serve-cluster.js'), [JSON.stringify(options)], {execArgv: ['--max-old-space-size=12288'], stdio: ['ignore', 'ignore', 'inherit', 'ipc']});
  const next = <T>(type: string) => new Promise<T>((resolve, reject) => {
    const onMessage = (m: {type: string}) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`bench cluster server exited (${code}) while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  const ready = await next<ReadyMessage>('ready');
  return {
    ...ready,
    async served() {
      const reply = next<{bytes: number; requests: number}>('bytes');
      child.send({type: 'bytes'});
      return reply;
    },
    async reset() {
      const reply = next('reset');
      child.send({type: 'reset'});
      await reply;
    },
    async churn(perSecond: number) {
      const reply = next('churn');
      child.send({type: 'churn', perSecond});
      await reply;
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({type: 'stop'});
    }),
  };
}
