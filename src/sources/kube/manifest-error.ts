/**
 * A malformed manifest, reported as `file:line: reason` — or `file: reason` when no line is meant
 * (line 0: the file itself, e.g. missing) — exit 2. Its own module so error mapping does not load the YAML parser.
 */
export class ManifestError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`);
    this.name = 'ManifestError';
  }
}
