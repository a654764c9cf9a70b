/**
 * What the fixture serves, per group/version/resource: every built-in kind of the registry, plus one
 * entry per served version of every CustomResourceDefinition object present — exactly the rule of a
 * real API server, so "CRD not installed" is modelled by leaving the CRD object out.
 */
import type {KubeObject} from '../../core/kube-types/index.js';
import type {ResourceType} from '../../core/resources.js';
import {BUILTIN_NAMES} from './builtin-names.js';
import {compareVersionPriority} from './version-priority.js';

export type ServedResource = Readonly<{
  /** `plural[.group]`, the registry's and kubectl's name for the resource. */
  key: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** `group/Kind`: where the object store keeps these objects, whatever version they were written at. */
  groupKind: string;
}>;

export function groupKindOf(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function resourceKey(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

function fromBuiltin(t: ResourceType): ServedResource[] {
  const names = BUILTIN_NAMES[t.key] ?? {};
  return t.versions.map((version) => ({
    key: t.key, group: t.group, version, plural: t.plural, singular: t.kind.toLowerCase(), kind: t.kind,
    namespaced: t.namespaced, shortNames: names.shortNames ?? [], categories: names.categories ?? [],
    groupKind: groupKindOf(t.group, t.kind),
  }));
}

/** A CRD's served versions as resources; a malformed CRD serves nothing (a real server would have rejected it). */
function fromCrd(crd: KubeObject): ServedResource[] {
  const spec = crd.spec;
  const group = spec?.group;
  const names = spec?.names;
  if (typeof group !== 'string' || !group || typeof names?.plural !== 'string' || typeof names?.kind !== 'string') return [];
  const versions: unknown[] = Array.isArray(spec.versions) ? spec.versions : [];
  return versions
    .filter((v): v is {name: string; served: boolean} => typeof (v as {name?: unknown})?.name === 'string' && (v as {served?: unknown}).served === true)
    .map((v) => ({
      key: resourceKey(group, names.plural), group, version: v.name, plural: names.plural,
      singular: typeof names.singular === 'string' && names.singular ? names.singular : names.kind.toLowerCase(),
      kind: names.kind, namespaced: spec.scope !== 'Cluster',
      shortNames: Array.isArray(names.shortNames) ? names.shortNames : [],
      categories: Array.isArray(names.categories) ? names.categories : [],
      groupKind: groupKindOf(group, names.kind),
    }));
}

export class ServedResources {
  private readonly builtins: readonly ServedResource[];
  private byPath = new Map<string, ServedResource>();
  private byGroupVersion = new Map<string, ServedResource[]>();
  /** group → served versions, highest priority first. */
  private groupVersions = new Map<string, string[]>();
  private scope = new Map<string, boolean>();

  constructor(builtinTypes: readonly ResourceType[]) {
    this.builtins = builtinTypes.flatMap(fromBuiltin);
    this.rebuild([]);
  }

  /** Recomputes the table from the current CRD objects (called whenever one changes). */
  rebuild(crds: Iterable<KubeObject>): void {
    this.byPath = new Map();
    this.byGroupVersion = new Map();
    this.groupVersions = new Map();
    this.scope = new Map();
    const builtinGroups = new Set(this.builtins.map((r) => r.group));
    const crdResources = [...crds].flatMap(fromCrd).filter((r) => !builtinGroups.has(r.group));
    crdResources.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    for (const r of [...this.builtins, ...crdResources]) {
      const gv = `${r.group}/${r.version}`;
      if (this.byPath.has(`${gv}/${r.plural}`)) continue;
      this.byPath.set(`${gv}/${r.plural}`, r);
      let list = this.byGroupVersion.get(gv);
      if (!list) this.byGroupVersion.set(gv, (list = []));
      list.push(r);
      const versions = this.groupVersions.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      this.groupVersions.set(r.group, versions);
      this.scope.set(r.groupKind, r.namespaced);
    }
    for (const versions of this.groupVersions.values()) versions.sort(compareVersionPriority);
  }

  find(group: string, version: string, plural: string): ServedResource | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** Served versions of a group, preferred first; undefined when the group is not served. */
  versionsOf(group: string): readonly string[] | undefined {
    return this.groupVersions.get(group);
  }

  /** Named groups (not the core group), built-in groups first. */
  groups(): readonly string[] {
    return [...this.groupVersions.keys()].filter((g) => g !== '');
  }

  resourcesIn(group: string, version: string): readonly ServedResource[] {
    return this.byGroupVersion.get(`${group}/${version}`) ?? [];
  }

  /** Whether objects of this group/kind are namespaced; undefined while no served resource holds the kind. */
  isNamespaced(groupKind: string): boolean | undefined {
    return this.scope.get(groupKind);
  }
}
