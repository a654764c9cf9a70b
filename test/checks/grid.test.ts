/**
 * The fixture grid (Istio's analyzer-test model): every fixture under test/fixtures/clusters runs
 * its check, and the findings must be exactly the fixture's `# expect:` lines — bad objects fire,
 * good twins stay silent. Assertions are on (check id, severity, subject), never on prose.
 */
import {relative} from 'node:path';
import {describe, expect, test} from 'vitest';
import {allChecks} from '../../checks/index.js';
import {subjectKey} from '../../src/core/index.js';
import {listFixtures} from '../helpers/fixtures.js';
import {runFixture} from '../helpers/run-fixture.js';

const fixtures = listFixtures();

describe('check fixtures', () => {
  test.each(fixtures.map((f) => [relative(process.cwd(), f.file), f] as const))('%s', async (_name, fixture) => {
    const check = allChecks.find((c) => c.slug === fixture.slug);
    expect(check, `no check with slug ${fixture.slug}`).toBeDefined();
    const {result} = await runFixture(check!, fixture);
    expect(result.outcome === 'crash' ? result.reason : undefined).toBeUndefined();
    const actual = result.findings.map((f) => `${f.checkId} ${f.severity} ${subjectKey(f.subject)}`).sort();
    const expected = fixture.header.expects.map((e) => {
      const match = result.findings.find((f) => f.checkId === e.id && subjectKey(f.subject) === e.subject && (!e.severity || f.severity === e.severity));
      return `${e.id} ${e.severity ?? match?.severity ?? check!.severity} ${e.subject}`;
    }).sort();
    expect(actual).toEqual(expected);
    for (const silent of fixture.header.silents) {
      expect(result.findings.map((f) => subjectKey(f.subject))).not.toContain(silent);
    }
    if (fixture.header.outcome) expect(result.outcome).toBe(fixture.header.outcome);
    else expect(result.outcome).toBe(fixture.header.expects.length > 0 ? 'fail' : 'pass');
  });
});
