/**
 * `npm run docs`: the generated documents — docs/checks.md (the catalog page, from the checks and
 * their runbooks), schemas/meshdoctor-config.schema.json (the config validator's schema) and
 * schemas/check-clusters-report.schema.json (derived from check-report.schema.json).
 * test/checks/docs.test.ts and test/unit/schemas.test.ts fail when a committed copy differs.
 *
 *   node dist/src/build-docs.js
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {allChecks} from '../checks/index.js';
import {catalogMarkdown} from './cli/commands/checks.js';
import {publishedConfigSchema} from './cli/config.js';
import {packageRoot} from './package-info.js';
import {clustersReportSchema} from './presenters/clusters-schema.js';
import {loadRunbooks} from './runbooks/catalog.js';

const root = packageRoot();
const runbooks = new Map([...loadRunbooks(join(root, 'runbooks'))].map(([id, e]) => [id, e.runbook]));
writeFileSync(join(root, 'docs', 'checks.md'), catalogMarkdown([...allChecks].sort((a, b) => a.id.localeCompare(b.id)), runbooks));
writeFileSync(join(root, 'schemas', 'meshdoctor-config.schema.json'), `${JSON.stringify(publishedConfigSchema(), null, 2)}\n`);
const single = JSON.parse(readFileSync(join(root, 'schemas', 'check-report.schema.json'), 'utf8')) as Record<string, unknown>;
writeFileSync(join(root, 'schemas', 'check-clusters-report.schema.json'), `${JSON.stringify(clustersReportSchema(single), null, 2)}\n`);
process.stderr.write('docs: wrote docs/checks.md, schemas/meshdoctor-config.schema.json and schemas/check-clusters-report.schema.json\n');
