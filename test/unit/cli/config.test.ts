import {describe, expect, test} from 'vitest';
import {parseConfig} from '../../../src/cli/config.js';
import {ExitError} from '../../../src/cli/exit-codes.js';
import {thresholdsFor} from '../../../src/core/index.js';

describe('.meshdoctor.yaml', () => {
  test('thresholds, durations, scoped overrides, suppressions and re-grades', async () => {
    const cfg = await parseConfig(`
metrics: {window: 2m, minRequests: 50}
slo: {successWarn: 0.999}
certs: {warnDays: 30}
proxySync: {staleAfter: 45s}
scoped:
  - namespace: payments
    slo: {successError: 0.99}
suppress:
  - {check: MD5117, namespace: "legacy-*", reason: sniffing accepted}
overrides:
  - {check: MD6004, severity: warning}
`, '.meshdoctor.yaml');
    expect(cfg.options.thresholds.metrics).toMatchObject({windowSeconds: 120, minRequests: 50, minRps: 0.5});
    expect(cfg.options.thresholds.slo.successWarn).toBe(0.999);
    expect(cfg.options.thresholds.certs.warnDays).toBe(30);
    expect(cfg.options.thresholds.proxySync.staleAfterSeconds).toBe(45);
    expect(thresholdsFor(cfg.options, 'payments', 'api').slo).toEqual({successWarn: 0.999, successError: 0.99});
    expect(thresholdsFor(cfg.options, 'shop', 'api').slo.successError).toBe(0.95);
    expect(cfg.suppress).toEqual([{check: 'MD5117', namespace: 'legacy-*', reason: 'sniffing accepted'}]);
    expect(cfg.overrides.get('MD6004')).toBe('warning');
  });

  test('errors name the file and line', async () => {
    const bad = async (text: string) => {
      try {
        await parseConfig(text, 'cfg.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(ExitError);
        expect((error as ExitError).code).toBe(2);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(await bad('slo:\n  successWarn: 2\n')).toBe('cfg.yaml:2: slo.successWarn: must be <= 1');
    expect(await bad('suppress:\n  - check: MD1001\n')).toMatch(/^cfg\.yaml:2: suppress\.0: must have required property 'reason'/);
    expect(await bad('metrics: {window: soon}\n')).toMatch(/^cfg\.yaml:1: metrics\.window: must match pattern/);
    expect(await bad('bogus: 1\n')).toBe('cfg.yaml:1: config: unknown key "bogus"');
    expect(await bad('a: [unclosed\n')).toMatch(/^cfg\.yaml:\d+: /);
  });
});
