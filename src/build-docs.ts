/**
 * `npm run docs`: the generated documents — docs/checks.md (the catalog page, from the checks and
 * their runbooks), schemas/meshdoctor-config.schema.json (the config validator's schema) and the
 * several-contexts report schemas (derived from check-report and stat-report.schema.json).
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
import {clustersReportSchema, statClustersReportSchema} from './presenters/clusters-schema.js';
import {loadRunbooks} from './runbooks/catalog.js';

const root = packageRoot();
const runbooks = new Map([...loadRunbooks(join(root, 'runbooks'))].map(([id, e]) => [id, e.runbook]));
writeFileSync(join(root, 'docs', 'checks.md'), catalogMarkdown([...allChecks].sort((a, b) => a.id.localeCompare(b.id)), runbooks));
writeFileSync(join(root, 'schemas', 'meshdoctor-config.schema.json'), `${JSON.stringify(publishedConfigSchema(), null, 2)}\n`);
const schema = (name: string) => JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
const write = (name: string, value: unknown) => writeFileSync(join(root, 'schemas', `${name}.schema.json`), `${JSON.stringify(value, null, 2)}\n`);
write('check-clusters-report', clustersReportSchema(schema('check-report')));
write('stat-clusters-report', statClustersReportSchema(schema('stat-report')));
process.stderr.write('docs: wrote docs/checks.md and schemas/ (meshdoctor-config, check-clusters-report, stat-clusters-report)\n');
