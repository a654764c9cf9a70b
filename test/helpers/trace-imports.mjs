// Preloaded with `node --import`: records every module the process resolves, so a test can prove
// that `check` and `--help` never load React or Ink.
import {register} from 'node:module';

register('./trace-imports-hooks.mjs', import.meta.url);
