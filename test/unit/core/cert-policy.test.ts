import {describe, expect, test} from 'vitest';
import {certExpiryVerdict, DEFAULT_THRESHOLDS} from '../../../src/core/index.js';

const now = new Date('2026-11-22T12:00:00Z');
const day = 86_400_000;
const at = (days: number) => new Date(now.getTime() + days * day);
const policy = DEFAULT_THRESHOLDS.certs;

describe('D8 certificate expiry policy', () => {
  test('a 1-year issuer with 5 days left is an error, with 30 days left a warning, with 200 days none', () => {
    expect(certExpiryVerdict(at(-360), at(5), now, policy)?.severity).toBe('error');
    expect(certExpiryVerdict(at(-335), at(30), now, policy)?.severity).toBe('warning');
    expect(certExpiryVerdict(at(-165), at(200), now, policy)).toBeNull();
  });

  test('a 48-hour cert-manager certificate with 30 hours left is healthy (lifetime-relative margins)', () => {
    expect(certExpiryVerdict(at(-18 / 24), at(30 / 24), now, policy)).toBeNull();
  });

  test('a 48-hour certificate with 4 hours left is an error (under 10% of its life)', () => {
    expect(certExpiryVerdict(at(-44 / 24), at(4 / 24), now, policy)?.severity).toBe('error');
  });

  test('expired and not-yet-valid certificates are errors; 5 minutes of clock skew are tolerated', () => {
    expect(certExpiryVerdict(at(-30), at(-1), now, policy)?.reason).toMatch(/^expired 1 day|^expired 24 hours/);
    expect(certExpiryVerdict(at(1), at(300), now, policy)?.reason).toMatch(/^not valid yet/);
    expect(certExpiryVerdict(new Date(now.getTime() + 4 * 60_000), at(300), now, policy)).toBeNull();
  });

  test('warnLifetimeFraction 1 reproduces linkerd check\'s flat 60-day warning', () => {
    const flat = {...policy, warnLifetimeFraction: 1};
    expect(certExpiryVerdict(at(-18 / 24), at(30 / 24), now, flat)?.severity).toBe('warning');
  });
});
