/** The published JSON Schemas (schemas/), compiled once: `errorsOf(name, value)` lists what breaks the schema. */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import AjvModule from 'ajv';
import {ROOT} from './cli.js';

export type SchemaName = 'check-report' | 'check-clusters-report' | 'stat-report' | 'stat-clusters-report' | 'meshdoctor-config' | 'describe-report' | 'runbook-report' | 'proxy-config-report' | 'logs-report';

// Formats (date-time) document the fields; the tests check the values they care about themselves.
const ajv = new AjvModule.default({allErrors: true, strict: false, validateFormats: false});
const compiled = new Map<SchemaName, ReturnType<typeof ajv.compile>>();

export function schemaOf(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}

export function errorsOf(name: SchemaName, value: unknown): string[] {
  let validate = compiled.get(name);
  if (!validate) compiled.set(name, (validate = ajv.compile(schemaOf(name))));
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
