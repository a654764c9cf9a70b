/**
 * Which contexts a run covers, and reading them a few at a time: tens of clusters must neither
 * be read one after another nor all at once, and one that fails is that cluster's error.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {CONTEXT_CONCURRENCY, contextChoice, oneContext, overContexts} from '../../../src/cli/contexts.js';
import {ExitError} from '../../../src/cli/exit-codes.js';
import {KubeConnectionError} from '../../../src/sources/kube/kube-source.js';
import {scratch} from '../../helpers/cli.js';

const {dir} = scratch('md-contexts-');
const kubeconfig = join(dir, 'config');
const context = (name: string) => `- name: ${name}\n  context: {cluster: c, user: u}\n`;
writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:6443'}\nusers:\n- name: u\n  user: {}\ncontexts:\n${['prod-us1', 'prod-eu1', 'odd,name'].map(context).join('')}current-context: prod-eu1\n`);

describe('contextChoice', () => {
  test('no flag, one name, or a name with a comma that exists as written: one cluster, as before', () => {
    expect(contextChoice({kubeconfig})).toEqual({several: false});
    expect(contextChoice({kubeconfig, context: 'prod-us1'})).toEqual({several: false});
    expect(contextChoice({kubeconfig, context: 'odd,name'})).toEqual({several: false});
  });

  test('a,b in the order given (blanks and repeats dropped); --all-contexts every context in name order', () => {
    expect(contextChoice({kubeconfig, context: 'prod-us1, prod-eu1,,prod-us1'})).toEqual({several: true, contexts: ['prod-us1', 'prod-eu1']});
    expect(contextChoice({kubeconfig, allContexts: true})).toEqual({several: true, contexts: ['odd,name', 'prod-eu1', 'prod-us1']});
  });

  test('unknown names, and --all-contexts with --context, are usage errors naming what is known', () => {
    expect(() => contextChoice({kubeconfig, context: 'prod-us1,nope,gone'})).toThrow(/"nope", "gone" not found in the kubeconfig \(known contexts: odd,name, prod-eu1, prod-us1\)/);
    expect(() => contextChoice({kubeconfig, context: 'a', allContexts: true})).toThrow(ExitError);
  });
});

describe('oneContext (the commands about one pod or object)', () => {
  test('one name, or a name with a comma that exists as written, passes; a,b or --all-contexts is a usage error saying the command takes one', () => {
    expect(() => oneContext({kubeconfig, context: 'prod-us1'}, 'logs')).not.toThrow();
    expect(() => oneContext({kubeconfig, context: 'odd,name'}, 'logs')).not.toThrow();
    expect(() => oneContext({kubeconfig, context: 'prod-us1,prod-eu1'}, 'logs')).toThrow(/^--context: "prod-us1,prod-eu1" names several contexts; logs takes one context/);
    expect(() => oneContext({kubeconfig: join(dir, 'missing'), context: 'a,b'}, 'proxy-config')).toThrow(/proxy-config takes one context/);
    expect(() => oneContext({kubeconfig, allContexts: true}, 'runbook')).toThrow(ExitError);
  });
});

describe('overContexts', () => {
  test(`reads at most ${CONTEXT_CONCURRENCY} clusters at once, all of them, results in the order given`, async () => {
    const names = Array.from({length: 10}, (_, i) => `c${i}`);
    let inFlight = 0;
    let most = 0;
    const out = await overContexts(names, async (name) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return name.toUpperCase();
    });
    expect(most).toBe(CONTEXT_CONCURRENCY);
    expect(out.map((o) => o.value)).toEqual(names.map((n) => n.toUpperCase()));
  });

  test('a cluster that fails is its one-line error; a usage error ends the run', async () => {
    const out = await overContexts(['a', 'b'], async (name) => {
      if (name === 'b') throw new KubeConnectionError('cannot reach https://10.0.0.1:6443: connection refused\u001b[31m');
      return 1;
    });
    expect(out).toEqual([{cluster: 'a', value: 1}, {cluster: 'b', error: expect.stringContaining('connection refused')}]);
    expect(out[1].error).not.toContain('\u001b');
    await expect(overContexts(['a'], async () => {
      throw new ExitError(2, '--window: "x" is not a duration');
    })).rejects.toThrow('--window');
  });
});
