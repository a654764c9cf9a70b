/**
 * The `/` filter, k9s style: a case-insensitive regular expression; a leading `!` inverts it. A
 * pattern that is not a valid regular expression matches as plain text instead of failing.
 */

export type RowFilter = Readonly<{test(text: string): boolean; inverted: boolean; literal: boolean; empty: boolean}>;

export function compileFilter(raw: string): RowFilter {
  const inverted = raw.startsWith('!');
  const pattern = (inverted ? raw.slice(1) : raw).trim();
  if (pattern === '') return {test: () => true, inverted: false, literal: false, empty: true};
  let re: RegExp | undefined;
  try {
    re = new RegExp(pattern, 'i');
  } catch {
    re = undefined;
  }
  const needle = pattern.toLowerCase();
  const match = re ? (t: string) => re!.test(t) : (t: string) => t.toLowerCase().includes(needle);
  return {test: (t) => match(t) !== inverted, inverted, literal: re === undefined, empty: false};
}
