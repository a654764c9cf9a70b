import {execFileSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {fillCommand, shellQuote} from '../../../src/runbooks/fill.js';
import {parseRunbook} from '../../../src/runbooks/parse.js';
import {fillRunbookMarkdown} from '../../../src/runbooks/render.js';
import {runbookSteps} from '../../../src/runbooks/steps.js';
import {parseVerify} from '../../../src/runbooks/verify.js';
import {incidentLog, reduceWalkthrough, startWalkthrough} from '../../../src/runbooks/walkthrough.js';

const RUNBOOK = `---
check: MD5103
title: VirtualService routes to a missing subset
severity: error
---

## Meaning

Routes of {{name}} point nowhere.

## Impact

503s.

## Diagnosis

1. Read the VirtualService.

   \`\`\`sh
   kubectl -n {{namespace}} get virtualservice {{name}} -o yaml
   \`\`\`

2. Check it again.

   \`\`\`meshdoctor
   check MD5103
   metrics {{namespace}}/{{workload}}
   \`\`\`

## Mitigation

- Fix the subset in {{namespace}}.
- Apply DestinationRules before VirtualServices.
`;

describe('runbook model', () => {
  const rb = parseRunbook(RUNBOOK, 'x.md');

  test('Diagnosis list items and Mitigation bullets become ordered steps with their commands and verify steps', () => {
    const steps = runbookSteps(rb);
    expect(steps.map((s) => s.id)).toEqual(['diagnosis-1', 'diagnosis-2', 'mitigation-1', 'mitigation-2']);
    expect(steps[0].commands).toEqual(['kubectl -n {{namespace}} get virtualservice {{name}} -o yaml']);
    expect(steps[1].verifies.map((v) => v.kind)).toEqual(['check', 'metrics']);
    expect(steps[2].text).toBe('Fix the subset in {{namespace}}.');
  });

  test('verify lines parse into kinds; anything else is invalid with a reason', () => {
    expect(parseVerify('promql sum(rate(x[1m])) >= 0.5')).toEqual({kind: 'promql', raw: 'promql sum(rate(x[1m])) >= 0.5', expr: 'sum(rate(x[1m]))', op: '>=', threshold: 0.5});
    expect(parseVerify('check md5103').kind).toBe('invalid');
    expect(parseVerify('metrics shop').kind).toBe('invalid');
    expect(parseVerify('curl http://x').kind).toBe('invalid');
  });

  test('filled Markdown quotes commands and keeps prose readable', () => {
    const text = fillRunbookMarkdown(rb.body, {namespace: 'shop', name: 'cart;rm -rf /', workload: 'cart'});
    expect(text).toContain("kubectl -n shop get virtualservice 'cart;rm -rf /' -o yaml");
    expect(text).toContain('Routes of cart;rm -rf / point nowhere.');
    expect(text).toContain('metrics shop/cart');
  });

  test('a missing value stays visible and quoted, so the command fails instead of doing the wrong thing', () => {
    expect(fillCommand('kubectl logs {{pod}}', {})).toBe("kubectl logs '<pod>'");
  });
});

describe('shell quoting', () => {
  test('no generated name can break out of its quotes (checked with a real /bin/sh)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 40}), (name) => {
        const expected = name.replace(/\u0000/g, '');
        const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(name)}`], {encoding: 'utf8'});
        expect(out).toBe(expected);
      }),
      {numRuns: 200},
    );
  });

  test('safe names stay bare for readability', () => {
    expect(shellQuote('istio-system')).toBe('istio-system');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('walkthrough state machine', () => {
  const rb = parseRunbook(RUNBOOK, 'x.md');
  const start = startWalkthrough(rb, 'VirtualService shop/cart', {namespace: 'shop', name: 'cart', workload: 'cart'}, '2026-11-22T03:00:00Z');

  test('steps are filled; marking done advances and is logged; verify results are kept with their time', () => {
    expect(start.steps[0].filledCommands).toEqual(['kubectl -n shop get virtualservice cart -o yaml']);
    let w = reduceWalkthrough(start, {type: 'toggle-done', at: '2026-11-22T03:01:00Z'});
    expect(w.current).toBe(1);
    expect(w.states['diagnosis-1'].status).toBe('done');
    w = reduceWalkthrough(w, {type: 'verify-result', stepId: 'diagnosis-2', index: 0, result: {status: 'fail', value: '1 finding', at: '2026-11-22T03:02:00Z'}});
    expect(w.states['diagnosis-2'].verifies[0]?.status).toBe('fail');
    w = reduceWalkthrough(w, {type: 'note', text: 'subset v3 added by mistake in #4711', at: '2026-11-22T03:03:00Z'});
    w = reduceWalkthrough(w, {type: 'skip', at: '2026-11-22T03:04:00Z'});
    expect(w.current).toBe(2);
    expect(JSON.parse(JSON.stringify(w))).toEqual(w);
    const log = incidentLog(w, '2026-11-22T03:10:00Z');
    expect(log).toContain('- 2026-11-22T03:02:00Z · diagnosis-2 · verify: check MD5103 → fail (1 finding)');
    expect(log).toContain('- [x] diagnosis-1: Read the VirtualService.');
    expect(log).toContain('- [-] diagnosis-2: Check it again.');
    expect(log).toContain('note (2026-11-22T03:03:00Z): subset v3 added by mistake in #4711');
  });

  test('toggling done twice reopens the step; moving stays within bounds', () => {
    let w = reduceWalkthrough(start, {type: 'toggle-done', at: 't1'});
    w = reduceWalkthrough(w, {type: 'prev'});
    w = reduceWalkthrough(w, {type: 'toggle-done', at: 't2'});
    expect(w.states['diagnosis-1'].status).toBe('todo');
    expect(w.current).toBe(0);
    expect(reduceWalkthrough(w, {type: 'prev'}).current).toBe(0);
    expect(reduceWalkthrough(w, {type: 'goto', index: 99}).current).toBe(3);
  });
});
