/**
 * The one sanitiser. Everything meshdoctor prints, writes or copies that a cluster, a file or a
 * server could have supplied goes through here: text and table output, JSON (`check`, `describe`,
 * `stat`, `checks`), the TUI's lines, error messages and the clipboard. It does three things:
 *
 * - control characters become U+FFFD, so escape sequences, carriage returns and bidi overrides
 *   cannot move the cursor, recolour the screen, set the title, write the clipboard or reorder text:
 *   C0 (but tab and newline), DEL, C1 (U+0080–U+009F, which includes the 8-bit CSI U+009B), the bidi
 *   embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the bidi marks;
 * - the userinfo of a URL (`https://user:password@host`) becomes `***`, wherever a URL appears;
 * - JSON leaves nothing raw that a terminal would act on (`toSafeJson`).
 *
 * Walks over values are bounded in depth (`MAX_NESTING`), so a hostile object cannot overflow the stack.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** `scheme://userinfo@`: the userinfo is everything before the first `@` of the authority. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/**
 * How deep a value may nest. The API server accepts JSON nested 10,000 levels deep
 * (k8s.io/apimachinery/pkg/util/json), deeper than V8's recursion in `JSON.stringify` allows; no
 * real object comes near this, so deeper parts are cut (`pruneDeep`) where objects come in.
 */
export const MAX_NESTING = 512;
export const PRUNED = `[meshdoctor: nested deeper than ${MAX_NESTING} levels; left out]`;

/** `https://user:pass@host/x` → `https://***@host/x`, anywhere in a text. */
export function redactUserinfo(text: string): string {
  return text.includes('@') ? text.replace(USERINFO, '$1***@') : text;
}

/** Replace unsafe characters with U+FFFD so that tampering stays visible, and redact URL userinfo. Newlines are kept. */
export function sanitizeText(text: string): string {
  return redactUserinfo(text.replace(UNSAFE, '\uFFFD'));
}

/** Single-line variant: newlines and tabs become spaces too (table cells, names). */
export function sanitizeLine(text: string): string {
  return sanitizeText(text).replace(/[\n\t]/g, ' ');
}

export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * Why a text may not go to the clipboard, or undefined when it may. The clipboard must receive
 * exactly what the screen shows: a character the screen would replace (or a tab it would show as a
 * space) means the copy and the display differ, and pasted control characters reach the shell's
 * line editor as keys (Ctrl-U, Enter, the end of a bracketed paste) — so such text is refused.
 * Newlines are allowed: they separate commands, as on screen.
 */
export function clipboardRefusal(text: string): string | undefined {
  const bad = [...text].find((c) => c === '\t' || hasUnsafeCharacters(c));
  if (bad === undefined) return undefined;
  const code = bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `it holds a control or bidi character (U+${code}, shown as \uFFFD)`;
}

/**
 * Every string of a JSON-like value (keys included) through `sanitizeText`; parts nested deeper
 * than MAX_NESTING are replaced by a marker. For machine output whose strings came from a cluster.
 */
export function sanitizeStrings<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return sanitizeText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_NESTING) return PRUNED;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[sanitizeText(k)] = walk(v, depth + 1);
  return out;
}

/**
 * Parts of a value nested deeper than `max` levels replaced by the PRUNED marker; the same value
 * (not a copy) when nothing is that deep, which a walk without allocation finds out first (every
 * object that comes in pays it). Recursion stops at `max`, so any depth is safe.
 */
export function pruneDeep<T>(value: T, max = MAX_NESTING): T {
  return tooDeep(value, max) ? (prune(value, 0, max) as T) : value;
}

function tooDeep(value: unknown, left: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (left === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (tooDeep(value[i], left - 1)) return true;
    return false;
  }
  for (const k in value) if (tooDeep((value as Record<string, unknown>)[k], left - 1)) return true;
  return false;
}

function prune(value: unknown, depth: number, max: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= max) return PRUNED;
  if (Array.isArray(value)) return value.map((v) => prune(v, depth + 1, max));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = prune(v, depth + 1, max);
  return out;
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls, bidi controls and the JS line
// separators raw; a terminal (or `cat`) would act on them. They can only occur inside strings, so
// rewriting them as \uXXXX keeps the document valid and its values unchanged.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON with no raw character a terminal would interpret; values unchanged. `indent` as for
 * JSON.stringify (2: pretty, with a trailing newline; 0: one line). A value too deep for
 * JSON.stringify's recursion is written with its deepest parts pruned rather than failing.
 */
export function toSafeJson(value: unknown, indent = 2): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, indent || undefined);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    text = JSON.stringify(pruneDeep(value), null, indent || undefined);
  }
  return `${text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
