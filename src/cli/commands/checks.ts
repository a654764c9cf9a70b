/** `meshdoctor checks`: the catalog as a table or JSON — what runs, what it needs, where its runbook is. */
import {allChecks} from '../../../checks/index.js';
import type {Check, CheckInputs} from '../../core/check.js';
import {runbookPath} from '../../core/runner.js';
import type {GlobalFlags} from '../options.js';

export type CatalogEntryJson = {
  id: string;
  slug: string;
  title: string;
  block: string;
  severity: string;
  meshes: readonly string[] | 'any';
  runtime: boolean;
  anchor?: string;
  inputs: {kinds: string[]; optionalKinds: string[]; named: string[]; signals: string[]; facts: string[]; alternatives: CatalogEntryJson['inputs'][]};
  runbook: string;
};

function inputsJson(inputs: CheckInputs): CatalogEntryJson['inputs'] {
  return {
    kinds: [...(inputs.kinds ?? [])],
    optionalKinds: [...(inputs.optionalKinds ?? [])],
    named: (inputs.named ?? []).map((n) => `${n.kind}/${n.names?.join('|') ?? '*'} (${n.mesh} ${n.where})`),
    signals: [...(inputs.signals ?? [])],
    facts: [...(inputs.facts ?? [])],
    alternatives: (inputs.anyOf ?? []).map(inputsJson),
  };
}

export function catalogJson(checks: readonly Check[]): CatalogEntryJson[] {
  return checks.map((c) => ({
    id: c.id,
    slug: c.slug,
    title: c.title,
    block: c.block,
    severity: c.severity,
    meshes: c.meshes,
    runtime: c.runtime === true,
    ...(c.anchor ? {anchor: c.anchor} : {}),
    inputs: inputsJson(c.inputs),
    runbook: runbookPath(c),
  }));
}

function inputSummary(inputs: CheckInputs): string {
  const parts = [
    ...(inputs.kinds ?? []).map((k) => k.split('.')[0]),
    ...(inputs.named ?? []).map((n) => `${n.kind}:${n.names?.join('|') ?? '*'}`),
    ...(inputs.signals ?? []).map((s) => `signal:${s}`),
    ...(inputs.facts ?? []).map((f) => `cp:${f}`),
  ];
  const alts = (inputs.anyOf ?? []).map(inputSummary);
  return [...parts, ...(alts.length ? [`(${alts.join(' | ')})`] : [])].join(', ');
}

export function catalogTable(checks: readonly Check[]): string {
  const rows = checks.map((c) => [c.id, c.slug, c.severity, c.meshes === 'any' ? 'any' : c.meshes.join(','), inputSummary(c.inputs)]);
  const header = ['ID', 'SLUG', 'SEVERITY', 'MESHES', 'INPUTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + `\n\n${checks.length} checks. Runbooks: runbooks/<block>/<slug>.md\n`;
}

export async function runChecksCommand(flags: GlobalFlags & {output: 'table' | 'json'}): Promise<number> {
  const sorted = [...allChecks].sort((a, b) => a.id.localeCompare(b.id));
  process.stdout.write(flags.output === 'json' ? JSON.stringify(catalogJson(sorted), null, 2) + '\n' : catalogTable(sorted));
  return 0;
}
