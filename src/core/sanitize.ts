/**
 * Terminal safety: anything a cluster sends (names, labels, messages, metric labels) goes through
 * `sanitizeText` before it is rendered, so escape sequences, carriage returns and bidi overrides
 * cannot move the cursor, recolour the screen or reorder text.
 */

// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replace unsafe characters with U+FFFD so that tampering stays visible. Newlines are kept. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, '\uFFFD');
}

/** Single-line variant: newlines become spaces too (table cells, names). */
export function sanitizeLine(text: string): string {
  return sanitizeText(text).replace(/[\n\t]/g, ' ');
}

export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}
