/** `-o FORMAT` → presenter, with the options each needs from the environment (hostname, runbook location). */
import {hostname} from 'node:os';
import type {Report} from '../core/types.js';
import {packageRoot} from '../package-info.js';
import {githubStepSummary} from '../presenters/github.js';
import type {OutputFormat} from '../presenters/index.js';
import {presenters} from '../presenters/index.js';

export type {OutputFormat};

export type RenderOptions = Readonly<{color: boolean; verbose: boolean; showSuppressed: boolean; runbookBaseUrl?: string}>;

export function renderReport(format: OutputFormat, report: Report, options: RenderOptions): {output: string; summary?: string} {
  const output = presenters[format](report, {
    color: options.color,
    verbose: options.verbose,
    showSuppressed: options.showSuppressed,
    hostname: hostname(),
    runbookRoot: packageRoot(),
    ...(options.runbookBaseUrl ? {runbookBaseUrl: options.runbookBaseUrl} : {}),
    sourceRoot: process.cwd(),
  });
  return format === 'github' ? {output, summary: githubStepSummary(report)} : {output};
}
