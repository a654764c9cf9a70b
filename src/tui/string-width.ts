/**
 * string-width with a fast path, put in its place inside the Ink bundle (src/build-bundles.ts).
 *
 * Ink measures every line of every frame with string-width, which hands any string holding a
 * character beyond ASCII to Intl.Segmenter, grapheme by grapheme — and nearly every line of the TUI
 * holds one (▸, ·, sparkline blocks, ✖). That was a third of a frame. The characters below are one
 * cell each, one code point per grapheme, in any terminal (test/unit/tui/string-width.test.ts
 * proves string-width agrees, character by character); a string made only of them (after its SGR
 * colour codes) is as wide as it is long. Anything else goes to string-width itself.
 */
import stringWidth from 'string-width';

type Options = Parameters<typeof stringWidth>[1];

/** Printable ASCII, Latin-1 (no soft hyphen), general punctuation, arrows, box drawing, blocks, geometric shapes, and the TUI's marks. */
export const ONE_CELL = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u25FC\u25FF\u2139\u2212\u26A0\u270E\u2714\u2716]*$/;

const SGR = /\u001B\[[0-9;]*m/g;

export default function fastStringWidth(text: string, options?: Options): number {
  if (typeof text === 'string' && options === undefined) {
    const plain = text.includes('\u001B') ? text.replace(SGR, '') : text;
    if (!plain.includes('\u001B') && ONE_CELL.test(plain)) return plain.length;
  }
  return stringWidth(text, options);
}
