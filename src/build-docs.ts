/**
 * `npm run docs`: the generated documents — docs/checks.md (the catalog page, from the checks and
 * their runbooks) and schemas/meshdoctor-config.schema.json (the config validator's schema).
 * test/checks/docs.test.ts and test/unit/schemas.test.ts fail when a committed copy differs.
 *
 *   node dist/src/build-docs.js
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {allChecks} from '../checks/index.js';
import {catalogMarkdown} from './cli/commands/checks.js';
import {publishedConfigSchema} from './cli/config.js';
import {packageRoot} from './package-info.js';
import {loadRunbooks} from './runbooks/catalog.js';

const root = packageRoot();
const runbooks = new Map([...loadRunbooks(join(root, 'runbooks'))].map(([id, e]) => [id, e.runbook]));
writeFileSync(join(root, 'docs', 'checks.md'), catalogMarkdown([...allChecks].sort((a, b) => a.id.localeCompare(b.id)), runbooks));
writeFileSync(join(root, 'schemas', 'meshdoctor-config.schema.json'), `${JSON.stringify(publishedConfigSchema(), null, 2)}\n`);
process.stderr.write('docs: wrote docs/checks.md and schemas/meshdoctor-config.schema.json\n');
