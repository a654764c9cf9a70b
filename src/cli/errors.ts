/** Every error that can end a command, mapped to one line and an exit code. */
import {sanitizeLine} from '../core/sanitize.js';
import {SnapshotFileError} from '../snapshot/codec.js';
import {KubeApiError, KubeConfigError, KubeConnectionError} from '../sources/kube/kube-source.js';
import {ManifestError} from '../sources/kube/manifest-error.js';
import type {ExitCodeValue} from './exit-codes.js';
import {ExitCode, ExitError} from './exit-codes.js';

export function describeError(error: unknown): {code: ExitCodeValue; message: string} {
  const text = (e: Error) => sanitizeLine(e.message);
  if (error instanceof ExitError) return {code: error.code, message: text(error)};
  if (error instanceof ManifestError || error instanceof SnapshotFileError || error instanceof KubeConfigError) return {code: ExitCode.usage, message: text(error)};
  if (error instanceof KubeConnectionError) return {code: ExitCode.unavailable, message: text(error)};
  if (error instanceof KubeApiError) {
    const what = error.status === 401 ? 'unauthorised' : error.status === 403 ? 'forbidden' : `API error ${error.status}`;
    return {code: ExitCode.unavailable, message: `cannot read the cluster (${what}): ${text(error)}`};
  }
  const message = error instanceof Error ? error.message : String(error);
  return {code: ExitCode.unavailable, message: `internal error: ${sanitizeLine(message)} (this is a bug in meshdoctor; please report it)`};
}

/**
 * commander's messages in our one style, `<what>: <why>` (main.ts prefixes `meshdoctor: `): the
 * flag or command first, then what is wrong with it. `path` is the subcommand path (`snapshot save`;
 * empty for meshdoctor itself).
 */
export function usageErrorLine(text: string, path: string): string {
  const command = path || 'meshdoctor';
  const help = `meshdoctor${path ? ` ${path}` : ''} --help`;
  const message = text.replace(/^error: /, '').trim();
  const [first, ...rest] = message.split('\n');
  const hint = rest.join(' ').match(/\(Did you mean (.+)\?\)/)?.[1];
  const suggestion = hint ? ` (did you mean ${hint}?)` : ` (see ${help})`;
  let m: RegExpMatchArray | null;
  // A command that does not define --all-contexts reads one cluster: say so rather than "unknown option".
  if (first.startsWith("unknown option '--all-contexts'")) return `--all-contexts: ${command} takes one context`;
  if ((m = first.match(/^unknown option '([^']+)'/))) return `${m[1]}: unknown option${suggestion}`;
  if ((m = first.match(/^unknown command '([^']+)'/))) return `${m[1]}: unknown command${suggestion}`;
  if ((m = first.match(/^option '(?:-\w, )?(--?[\w-]+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/))) return `${m[1]}: "${m[2]}" must be one of ${m[3]}`;
  if ((m = first.match(/^option '(?:-\w, )?(--?[\w-]+)[^']*' argument missing/))) return `${m[1]}: needs a value`;
  if ((m = first.match(/^missing required argument '([^']+)'/))) return `${command}: missing argument <${m[1]}> (see ${help})`;
  if ((m = first.match(/^too many arguments(?: for '[^']+')?\. Expected (\d+) arguments? but got (\d+)\./))) return `${command}: too many arguments (expected ${m[1]}, got ${m[2]})`;
  return `${command}: ${first}`;
}
