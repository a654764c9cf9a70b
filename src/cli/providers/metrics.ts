/**
 * Which metrics provider a command uses (`--metrics-source`, `--prometheus-url`, config). Returns
 * undefined when no metrics source is wired for this run; the snapshot then says "metrics not
 * configured" and metric checks skip with that reason.
 */
import type {MeshdoctorConfig} from '../config.js';
import type {GlobalFlags} from '../options.js';
import type {MetricsProvider} from '../../snapshot/collect.js';

export async function metricsProviderFor(_flags: GlobalFlags, _config: MeshdoctorConfig): Promise<MetricsProvider | undefined> {
  return undefined;
}
