/** `--only`, `--skip`, `--block`: which catalog entries run. Unknown ids are a usage error, not silently ignored. */
import type {Check} from '../core/check.js';
import type {Block} from '../core/types.js';
import {BLOCKS} from '../core/types.js';
import {idList, usage} from './options.js';

function resolveIds(flag: string, value: string | undefined, catalog: readonly Check[]): Set<string> {
  const ids = new Set<string>();
  for (const token of idList(value)) {
    const check = catalog.find((c) => c.id === token.toUpperCase() || c.slug === token);
    if (!check) usage(`${flag}: unknown check "${token}" (see \`meshdoctor checks\`)`);
    ids.add(check.id);
  }
  return ids;
}

export function selectChecks(catalog: readonly Check[], flags: {only?: string; skip?: string; block?: string}): Check[] {
  const only = resolveIds('--only', flags.only, catalog);
  const skip = resolveIds('--skip', flags.skip, catalog);
  const blocks = new Set<Block>();
  for (const b of idList(flags.block)) {
    if (!(BLOCKS as readonly string[]).includes(b)) usage(`--block: unknown block "${b}" (one of ${BLOCKS.join(', ')})`);
    blocks.add(b as Block);
  }
  return catalog.filter((c) => (only.size === 0 || only.has(c.id)) && !skip.has(c.id) && (blocks.size === 0 || blocks.has(c.block)));
}

/** Config `overrides:` entries name checks by id or slug; the runner wants ids. */
export function severityOverrides<T>(catalog: readonly Check[], overrides: ReadonlyMap<string, T>, file = 'config'): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of overrides) {
    const check = catalog.find((c) => c.id === key || c.slug === key);
    if (!check) usage(`${file}: overrides: unknown check "${key}"`);
    out.set(check.id, value);
  }
  return out;
}
