/** `meshdoctor snapshot save FILE`: collect what every check needs and write it (Secrets redacted) for later replay. */
import {writeFile} from 'node:fs/promises';
import {allChecks} from '../../../checks/index.js';
import {encodeSnapshot} from '../../snapshot/codec.js';
import {planFor} from '../../snapshot/plan.js';
import type {SourceFlags} from '../acquire.js';
import {acquire} from '../acquire.js';
import {loadConfig} from '../config.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import {controlPlaneProviderFor} from '../providers/control-plane.js';
import {metricsProviderFor} from '../providers/metrics.js';

export async function runSnapshotSave(file: string, flags: SourceFlags): Promise<number> {
  const config = await loadConfig(flags.config);
  const [metrics, controlPlane] = await Promise.all([metricsProviderFor(flags, config), controlPlaneProviderFor(flags, config)]);
  const raw = await acquire({flags, plan: planFor(allChecks, {kinds: ['events']}), ...(metrics ? {metrics} : {}), ...(controlPlane ? {controlPlane} : {})});
  try {
    await writeFile(file, encodeSnapshot(raw));
  } catch (error) {
    throw new ExitError(ExitCode.usage, `${file}: cannot write snapshot (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const objects = Object.values(raw.objects).reduce((n, list) => n + list.length, 0);
  process.stderr.write(`meshdoctor: wrote ${file} (${objects} objects from ${raw.context ?? 'files'}, taken ${raw.takenAt})\n`);
  return 0;
}
