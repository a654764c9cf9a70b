/** Run one check over one fixture, recording what it read (for the catalog meta-test). */
import type {Check, CheckResult} from '../../src/core/index.js';
import {DEFAULT_OPTIONS} from '../../src/core/index.js';
import type {RecordedReads} from '../../src/core/runner.js';
import {runCheck} from '../../src/core/runner.js';
import {buildSnapshot} from '../../src/snapshot/snapshot.js';
import type {Fixture} from './fixtures.js';
import {loadFixture} from './fixtures.js';

export async function runFixture(check: Check, fixture: Fixture, now = new Date()): Promise<{result: CheckResult; reads?: RecordedReads}> {
  const loaded = await loadFixture(fixture, now);
  const snapshot = buildSnapshot(loaded.raw);
  let reads: RecordedReads | undefined;
  const result = runCheck(check, snapshot, {
    now,
    options: loaded.options ?? DEFAULT_OPTIONS,
    suppressions: loaded.suppress,
    onReads: (_id, r) => {
      reads = r;
    },
  });
  return {result, reads};
}
