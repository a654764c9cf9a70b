/**
 * `meshdoctor snapshot save FILE`: collect what every check needs and write it (Secrets redacted) for
 * later replay. Objects keep the fields checks read (src/snapshot/project.ts); `--full` keeps them
 * whole, for a hand-off where someone reads the objects themselves.
 */
import {allChecks} from '../../../checks/index.js';
import {writeSnapshot} from '../../snapshot/codec.js';
import {planFor} from '../../snapshot/plan.js';
import type {SourceFlags} from '../acquire.js';
import {acquire, worldInput} from '../acquire.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';
import {loadSettings} from '../settings.js';

export type SnapshotSaveFlags = GlobalFlags & SourceFlags & {full?: boolean};

export async function runSnapshotSave(file: string, flags: SnapshotSaveFlags): Promise<number> {
  const settings = await loadSettings(flags);
  const input = worldInput(flags);
  const controlPlane = controlPlaneProviderFor(settings, input);
  const raw = await acquire({settings, input, plan: planFor(allChecks, {kinds: ['events']}), objectDetail: flags.full ? 'full' : 'checks', metrics: metricsProviderFor(settings), ...(controlPlane ? {controlPlane} : {})});
  try {
    await writeSnapshot(file, raw);
  } catch (error) {
    throw new ExitError(ExitCode.usage, `${file}: cannot write snapshot (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const objects = Object.values(raw.objects).reduce((n, list) => n + list.length, 0);
  process.stderr.write(`meshdoctor: wrote ${file} (${objects} ${flags.full ? 'whole objects' : 'objects, the fields checks read'} from ${raw.context ?? 'files'}, taken ${raw.takenAt})\n`);
  return 0;
}
