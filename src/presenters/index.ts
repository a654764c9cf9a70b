/**
 * The presenters: pure `(report, options) → string` functions, one per `check -o` format.
 * The CLI passes one options object; each presenter reads only the fields it knows.
 */
import type {Report} from '../core/types.js';
import {renderGithub} from './github.js';
import type {GithubOptions} from './github.js';
import {renderJson} from './json.js';
import {renderJunit} from './junit.js';
import type {JunitOptions} from './junit.js';
import {renderSarif} from './sarif.js';
import type {SarifOptions} from './sarif.js';
import {renderText} from './text.js';
import type {TextOptions} from './text.js';

export {githubStepSummary, renderGithub} from './github.js';
export type {GithubOptions} from './github.js';
export {renderJson, toJsonReport} from './json.js';
export type {JsonCheck, JsonFinding, JsonMesh, JsonReport, JsonSubject, JsonSuppressedFinding} from './json.js';
export {renderJunit} from './junit.js';
export type {JunitOptions} from './junit.js';
export {renderSarif, toSarif} from './sarif.js';
export type {SarifOptions} from './sarif.js';
export {renderText} from './text.js';
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

export const OUTPUT_FORMATS = Object.keys(presenters) as readonly OutputFormat[];

export function isOutputFormat(value: string): value is OutputFormat {
  return Object.hasOwn(presenters, value);
}
