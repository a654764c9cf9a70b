/** `-o FORMAT` → presenter, with the options each needs from the environment (hostname, runbook location). */
import {hostname} from 'node:os';
import type {ClusterReport, Report} from '../core/types.js';
import {meshdoctorVersion, packageRoot} from '../package-info.js';
import {githubStepSummary, githubStepSummaryClusters} from '../presenters/github.js';
import type {OutputFormat, PresenterOptions} from '../presenters/index.js';
import {clusterPresenters, presenters} from '../presenters/index.js';
import {usage} from './options.js';

export type {OutputFormat};

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'junit', 'sarif', 'github'];

/** Where one rendering of the report goes: a file, or stdout. */
export type OutputTarget = Readonly<{format: OutputFormat; file?: string}>;

/**
 * `-o FORMAT[=FILE]` (repeatable) and `--output-file FILE` → targets: one collection feeds them all
 * (`-o junit=report.xml -o sarif=out.sarif -o text`). At most one goes to stdout; `--output-file`
 * sends the one without `=FILE` to that file. Default: text on stdout.
 */
export function outputTargets(values: string | readonly string[] | undefined, outputFile?: string): OutputTarget[] {
  const given = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const targets = (given.length ? given : ['text']).map((value): OutputTarget => {
    const eq = value.indexOf('=');
    const format = eq === -1 ? value : value.slice(0, eq);
    const file = eq === -1 ? undefined : value.slice(eq + 1);
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) usage(`--output: "${format}" must be one of ${OUTPUT_FORMATS.join(', ')} (FORMAT or FORMAT=FILE)`);
    if (file === '') usage(`--output: "${value}" names no file (FORMAT=FILE)`);
    return {format: format as OutputFormat, ...(file !== undefined ? {file} : {})};
  });
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) usage(`--output: ${toStdout.map((t) => t.format).join(' and ')} would both go to stdout; give all but one a file (FORMAT=FILE)`);
  const resolved = targets.map((t) => (t.file === undefined && outputFile !== undefined ? {...t, file: outputFile} : t));
  const files = resolved.flatMap((t) => (t.file === undefined ? [] : [t.file]));
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) usage(`--output: ${twice} is named twice`);
  if (outputFile !== undefined && toStdout.length === 0) usage('--output-file: every -o already names its file');
  return resolved;
}

export type RenderOptions = Readonly<{color: boolean; verbose: boolean; showSuppressed: boolean; runbookBaseUrl?: string}>;

function presenterOptions(options: RenderOptions): PresenterOptions {
  return {
    color: options.color,
    verbose: options.verbose,
    showSuppressed: options.showSuppressed,
    hostname: hostname(),
    runbookRoot: packageRoot(),
    ...(options.runbookBaseUrl ? {runbookBaseUrl: options.runbookBaseUrl} : {}),
    sourceRoot: process.cwd(),
  };
}

export function renderReport(format: OutputFormat, report: Report, options: RenderOptions): {output: string; summary?: string} {
  const output = presenters[format](report, presenterOptions(options));
  return format === 'github' ? {output, summary: githubStepSummary(report)} : {output};
}

/** Several clusters (`--context a,b`, `--all-contexts`) as one document of the format. */
export function renderClusters(format: OutputFormat, clusters: readonly ClusterReport[], options: RenderOptions): {output: string; summary?: string} {
  const output = clusterPresenters[format](clusters, {...presenterOptions(options), meshdoctorVersion: meshdoctorVersion()});
  return format === 'github' ? {output, summary: githubStepSummaryClusters(clusters)} : {output};
}
