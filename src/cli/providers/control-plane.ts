/**
 * Which control-plane provider a command uses (istiod syncz through port-forward, or `--istiod-url`).
 * Returns undefined when none is wired; checks needing control-plane facts then skip with the reason.
 */
import type {MeshdoctorConfig} from '../config.js';
import type {GlobalFlags} from '../options.js';
import type {ControlPlaneProvider} from '../../snapshot/collect.js';

export async function controlPlaneProviderFor(_flags: GlobalFlags, _config: MeshdoctorConfig): Promise<ControlPlaneProvider | undefined> {
  return undefined;
}
