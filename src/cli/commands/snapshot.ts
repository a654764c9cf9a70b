/** `meshdoctor snapshot save FILE`: collect what every check needs and write it (Secrets redacted) for later replay. */
import {writeFile} from 'node:fs/promises';
import {allChecks} from '../../../checks/index.js';
import {encodeSnapshot} from '../../snapshot/codec.js';
import {planFor} from '../../snapshot/plan.js';
import type {SourceFlags} from '../acquire.js';
import {acquire} from '../acquire.js';
import {ExitCode, ExitError} from '../exit-codes.js';

export async function runSnapshotSave(file: string, flags: SourceFlags): Promise<number> {
  const raw = await acquire({flags, plan: planFor(allChecks, {kinds: ['events']})});
  try {
    await writeFile(file, encodeSnapshot(raw));
  } catch (error) {
    throw new ExitError(ExitCode.usage, `${file}: cannot write snapshot (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const objects = Object.values(raw.objects).reduce((n, list) => n + list.length, 0);
  process.stderr.write(`meshdoctor: wrote ${file} (${objects} objects from ${raw.context ?? 'files'}, taken ${raw.takenAt})\n`);
  return 0;
}
