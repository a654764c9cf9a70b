#!/usr/bin/env node
// The CLI's entry, whatever name it is started under (a symlink such as `md`, krew's
// `kubectl-meshdoctor`): it always calls main(). dist/app is the application bundled at build time
// (src/build-bundles.ts: far fewer modules to load); dist/src holds the same modules unbundled, for
// a build that could not bundle.
import {existsSync} from 'node:fs';

const bundled = new URL('../dist/app/main.js', import.meta.url);
const {main} = await import(existsSync(bundled) ? bundled.href : new URL('../dist/src/cli/main.js', import.meta.url).href);
process.exitCode = await main(process.argv);
