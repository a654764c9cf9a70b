/**
 * deploy/rbac.yaml is the minimal permission set: generated from the catalog, read-only verbs only,
 * and in sync with what the collector actually requests.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {allChecks} from '../../checks/index.js';
import {minimalRbac} from '../../src/cli/rbac.js';
import {resourceType} from '../../src/core/index.js';
import {planFor} from '../../src/snapshot/plan.js';

const file = join(import.meta.dirname, '..', '..', 'deploy', 'rbac.yaml');
type Rule = {apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[]};

describe('deploy/rbac.yaml', () => {
  const text = readFileSync(file, 'utf8');
  const [role] = parseAllDocuments(text).map((d) => (Array.isArray(d) ? d[0] : d).toJS()) as {kind: string; rules: Rule[]}[];

  test('is exactly what the catalog needs (regenerate with `meshdoctor rbac > deploy/rbac.yaml`)', () => {
    expect(text).toBe(minimalRbac(allChecks));
  });

  test('grants only reading verbs, plus the port-forward stream', () => {
    for (const rule of role.rules) {
      const verbs = rule.resources.includes('pods/portforward') ? ['create'] : ['get', 'list', 'watch'];
      for (const v of rule.verbs) expect(verbs, `${rule.resources.join(',')}: ${v}`).toContain(v);
    }
  });

  test('covers every kind the collector lists, and Secrets only by name', () => {
    const allowed = new Set(role.rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))));
    for (const key of planFor(allChecks, {kinds: ['events']}).kinds) {
      const t = resourceType(key);
      expect(allowed.has(`${t.group}/${t.plural}`), key).toBe(true);
    }
    const secretRule = role.rules.find((r) => r.resources.includes('secrets'))!;
    expect(secretRule.verbs).toEqual(['get']);
    expect(secretRule.resourceNames).toEqual(expect.arrayContaining(['cacerts', 'istio-ca-secret', 'linkerd-identity-issuer']));
  });
});
