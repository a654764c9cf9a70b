/** `meshdoctor snapshot save FILE`: collect what every check needs and write it (Secrets redacted) for later replay. */
import {writeFile} from 'node:fs/promises';
import {allChecks} from '../../../checks/index.js';
import {encodeSnapshot} from '../../snapshot/codec.js';
import {planFor} from '../../snapshot/plan.js';
import type {SourceFlags} from '../acquire.js';
import {acquire, worldInput} from '../acquire.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {loadSettings} from '../settings.js';

export async function runSnapshotSave(file: string, flags: GlobalFlags & SourceFlags): Promise<number> {
  const settings = await loadSettings(flags);
  const input = worldInput(flags);
  const controlPlane = controlPlaneProviderFor(settings, input);
  const raw = await acquire({settings, input, plan: planFor(allChecks, {kinds: ['events']}), metrics: metricsProviderFor(settings), ...(controlPlane ? {controlPlane} : {})});
  try {
    await writeFile(file, encodeSnapshot(raw));
  } catch (error) {
    throw new ExitError(ExitCode.usage, `${file}: cannot write snapshot (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const objects = Object.values(raw.objects).reduce((n, list) => n + list.length, 0);
  process.stderr.write(`meshdoctor: wrote ${file} (${objects} objects from ${raw.context ?? 'files'}, taken ${raw.takenAt})\n`);
  return 0;
}
