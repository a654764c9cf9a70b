#!/usr/bin/env node
// dist/app is the application bundled at build time (src/build-bundles.ts: far fewer modules to
// load); dist/src holds the same modules unbundled, for a build that could not bundle.
import {existsSync} from 'node:fs';

const bundled = new URL('../dist/app/main.js', import.meta.url);
await import(existsSync(bundled) ? bundled.href : new URL('../dist/src/cli/main.js', import.meta.url).href);
