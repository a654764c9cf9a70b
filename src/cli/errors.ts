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
