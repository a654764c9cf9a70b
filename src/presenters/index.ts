/**
 * The presenters: pure `(report, options) → string` functions, one per `check -o` format.
 * The CLI passes one options object; each presenter reads only the fields it knows.
 */
import type {ClusterReport, Report} from '../core/types.js';
import {renderGithub, renderGithubClusters} from './github.js';
import type {GithubOptions} from './github.js';
import {renderJson, renderJsonClusters} from './json.js';
import {renderJunit, renderJunitClusters} from './junit.js';
import type {JunitOptions} from './junit.js';
import {renderSarif, renderSarifClusters} from './sarif.js';
import type {SarifOptions} from './sarif.js';
import {renderText, renderTextClusters} from './text.js';
import type {TextOptions} from './text.js';

export {githubStepSummary, githubStepSummaryClusters, renderGithub, renderGithubClusters} from './github.js';
export type {GithubOptions} from './github.js';
export {renderJson, renderJsonClusters, toJsonClusters, toJsonReport} from './json.js';
export type {JsonCheck, JsonClusterCheck, JsonClusterFinding, JsonClustersReport, JsonFinding, JsonMesh, JsonReport, JsonSubject, JsonSuppressedFinding} from './json.js';
export {renderJunit, renderJunitClusters} from './junit.js';
export type {JunitOptions} from './junit.js';
export {renderSarif, renderSarifClusters, toSarif} from './sarif.js';
export type {SarifOptions} from './sarif.js';
export {renderText, renderTextClusters} from './text.js';
export type {TextOptions} from './text.js';

export type PresenterOptions = TextOptions & JunitOptions & SarifOptions & GithubOptions;
export type Presenter = (report: Report, options?: PresenterOptions) => string;

export type OutputFormat = 'text' | 'json' | 'junit' | 'sarif' | 'github';

export const presenters: Readonly<Record<OutputFormat, Presenter>> = {
  text: renderText,
  json: renderJson,
  junit: renderJunit,
  sarif: renderSarif,
  github: renderGithub,
};

/** The same formats over several clusters (`--context a,b`, `--all-contexts`): one document for all of them. */
export type ClusterPresenter = (clusters: readonly ClusterReport[], options: PresenterOptions & Readonly<{meshdoctorVersion: string}>) => string;

export const clusterPresenters: Readonly<Record<OutputFormat, ClusterPresenter>> = {
  text: renderTextClusters,
  json: (clusters, options) => renderJsonClusters(clusters, options.meshdoctorVersion),
  junit: renderJunitClusters,
  sarif: (clusters, options) => renderSarifClusters(clusters, options.meshdoctorVersion, options),
  github: renderGithubClusters,
};

export const OUTPUT_FORMATS = Object.keys(presenters) as readonly OutputFormat[];

export function isOutputFormat(value: string): value is OutputFormat {
  return Object.hasOwn(presenters, value);
}
