/** A malformed manifest, reported as `file:line: reason` (exit 2). Its own module so error mapping does not load the YAML parser. */
export class ManifestError extends Error {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ManifestError';
  }
}
