/**
 * Suite-wide guarantees checked once, around every test file:
 * - read-only: every fixture API server in every test (in-process or in a spawned CLI) appends any
 *   non-GET request to an audit file; the suite fails if one was not a deliberate probe.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'meshdoctor-audit-'));
  const audit = join(dir, 'writes.jsonl');
  writeFileSync(audit, '');
  process.env.MESHDOCTOR_API_AUDIT = audit;
  return () => {
    const writes = readFileSync(audit, 'utf8').split('\n').filter(Boolean);
    rmSync(dir, {recursive: true, force: true});
    if (writes.length > 0) {
      // vitest reports a teardown error but keeps exit code 0; the build must fail, so set it here.
      process.exitCode = 1;
      throw new Error(`read-only violated: the fixture API server received ${writes.length} write request(s) during the test suite:\n${writes.slice(0, 20).join('\n')}`);
    }
  };
}
