/**
 * The completion engine (cobra's __complete protocol) over the real command table, with the
 * cluster and kubeconfig look-ups given as data.
 */
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../../checks/index.js';
import type {CompletionSources} from '../../../src/cli/completion.js';
import {complete, completionText, Directive} from '../../../src/cli/completion.js';
import {buildProgram} from '../../../src/cli/main.js';
import {BLOCKS} from '../../../src/core/types.js';

const asked: string[] = [];
const sources: CompletionSources = {
  checks: () => allChecks,
  blocks: () => BLOCKS,
  scenarios: () => [{name: 'istio-shop', description: 'a canary'}, {name: 'healthy', description: 'nothing wrong'}],
  contexts: (access) => (access.kubeconfig === 'other' ? [{name: 'other-ctx', current: true}] : [{name: 'prod', namespace: 'shop', current: true}, {name: 'staging', current: false}]),
  async namespaces(access) {
    asked.push(`namespaces ${access.context ?? '-'} ${access.as ?? '-'}`);
    return ['istio-system', 'payments', 'shop'];
  },
  async names(access, kind, namespace) {
    asked.push(`${kind} ${namespace}`);
    return kind === 'pod' ? ['cart-7d9f-abcde', 'web-1'] : ['cart', 'web'];
  },
};

async function values(...words: string[]): Promise<string[]> {
  return (await complete(buildProgram(), words, sources)).candidates.map((c) => c.value);
}

describe('commands and flags', () => {
  test('the commands, from the command table', async () => {
    const names = await values('');
    for (const c of ['check', 'checks', 'snapshot', 'runbook', 'stat', 'describe', 'rbac', 'demo', 'tui', 'completion']) expect(names).toContain(c);
    expect(names).not.toContain('__complete');
    expect(await values('st')).toEqual(['stat']);
    expect(await values('snapshot', '')).toEqual(['save']);
  });

  test('a command\'s flags and the global ones, with descriptions', async () => {
    const answer = await complete(buildProgram(), ['stat', '--'], sources);
    const flags = answer.candidates.map((c) => c.value);
    for (const f of ['--at', '--sample', '--output', '--kubeconfig', '--namespace', '--window', '--selector', '--as', '--as-group', '--help']) expect(flags).toContain(f);
    expect(flags).not.toContain('--fail-on');
    expect(answer.candidates.find((c) => c.value === '--window')?.description).toBe('metrics window');
    expect(answer.directive).toBe(Directive.noFileComp);
    expect(await values('check', '--fa')).toEqual(['--fail-on']);
  });
});

describe('values', () => {
  test('choices, check ids and blocks, comma lists continued', async () => {
    expect(await values('check', '--fail-on', '')).toEqual(['error', 'warning', 'info']);
    expect(await values('--metrics-source', 'p')).toEqual(['prometheus', 'proxies']);
    expect(await values('check', '--only', 'MD510')).toEqual(allChecks.filter((c) => c.id.startsWith('MD510')).map((c) => c.id));
    const rest = await values('check', '--skip', 'MD5101,MD510');
    expect(rest).not.toContain('MD5101,MD5101');
    expect(rest).toContain('MD5101,MD5102');
    expect(await values('check', '--block', 'data-plane,tr')).toEqual(['data-plane,traffic-config', 'data-plane,traffic-health']);
    expect(await values('runbook', 'MD110')).toEqual(allChecks.filter((c) => c.id.startsWith('MD110')).map((c) => c.id));
    expect(await values('demo', '')).toEqual(['istio-shop', 'healthy']);
    expect(await values('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  test('check -o: a format, or FORMAT= and the shell\'s file completion after it', async () => {
    const answer = await complete(buildProgram(), ['check', '-o', 'ju'], sources);
    expect(answer.candidates.map((c) => c.value)).toEqual(['junit', 'junit=']);
    expect(answer.directive & Directive.noSpace).toBeTruthy();
    expect(await complete(buildProgram(), ['check', '-o', 'junit=rep'], sources)).toEqual({candidates: [], directive: Directive.default});
    expect(await values('stat', '-o', '')).toEqual(['table', 'json']);
  });

  test('contexts from the kubeconfig the line names', async () => {
    expect(await values('--context', '')).toEqual(['prod', 'staging']);
    expect(await values('--kubeconfig', 'other', '--context', '')).toEqual(['other-ctx']);
  });

  test('namespaces from the cluster the line points at (context and identity included), as a list', async () => {
    asked.length = 0;
    expect(await values('--context', 'staging', '--as', 'jane', 'stat', '-n', 'shop,p')).toEqual(['shop,payments']);
    expect(await values('-A', '--namespace=is')).toEqual(['--namespace=istio-system']);
    expect(asked).toEqual(['namespaces staging jane', 'namespaces - -']);
  });

  test('describe: the kind, then NAMESPACE/ and the pods or workloads in it', async () => {
    expect(await values('describe', '')).toEqual(['pod', 'workload']);
    const first = await complete(buildProgram(), ['describe', 'pod', 'sh'], sources);
    expect(first.candidates.map((c) => c.value)).toEqual(['shop/']);
    expect(first.directive & Directive.noSpace).toBeTruthy();
    expect(await values('describe', 'pod', 'shop/c')).toEqual(['shop/cart-7d9f-abcde']);
    expect(await values('describe', 'workload', 'shop/')).toEqual(['shop/cart', 'shop/web']);
    expect(await values('runbook', 'MD6001', '--for', 'shop/w')).toEqual(['shop/web']);
  });

  test('paths are left to the shell', async () => {
    for (const words of [['check', '-f', ''], ['--kubeconfig', ''], ['--config', 'x'], ['check', '--snapshot', ''], ['snapshot', 'save', '']]) {
      expect(await complete(buildProgram(), words, sources), words.join(' ')).toEqual({candidates: [], directive: Directive.default});
    }
  });

  test('free text gets no file names', async () => {
    expect(await complete(buildProgram(), ['-l', ''], sources)).toEqual({candidates: [], directive: Directive.noFileComp});
    expect(await complete(buildProgram(), ['rbac', ''], sources)).toEqual({candidates: [], directive: Directive.noFileComp});
  });
});

test('the wire format: value<TAB>description lines, then :directive', () => {
  expect(completionText({candidates: [{value: 'a', description: 'one\ttwo\nthree'}, {value: 'b'}], directive: 6})).toBe('a\tone two three\nb\n:6\n');
  expect(completionText({candidates: [], directive: 0})).toBe(':0\n');
});
