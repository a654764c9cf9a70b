/**
 * Shapes: a small description of the fields meshdoctor reads from an object, and `fitShape`, which
 * makes a value fit one. This is the tolerant read layer: whatever the API server or a file gives
 * (null or absent maps and lists, a string where a list belongs, unknown fields), checks see values
 * of the types `kube-types/` declares, and every repair that changed meaning is reported as a
 * `ShapeProblem` (MD1006 turns them into findings).
 *
 * Rules, in Kubernetes' own terms:
 * - `null` means absent (the API server stores a null field as unset): dropped, never a problem.
 * - A value of the wrong type is dropped (a list element of the wrong type is dropped from its list):
 *   a problem, because the API server or the mesh would reject it.
 * - A required list or map that is absent becomes empty (a Pod without `spec` reads as one with no
 *   containers). A required scalar that is absent or wrong makes its enclosing list element (or the
 *   whole object) unusable: the element is dropped and that is a problem.
 * - Fields a shape does not declare pass through untouched: readers of undeclared or `any` fields use
 *   the accessors of `read.ts`.
 *
 * `fitShape` returns the same reference when nothing changed, so well-formed objects cost a walk over
 * the declared fields and no allocation.
 */

export type Shape =
  | Readonly<{t: 'str'}>
  | Readonly<{t: 'num'}>
  | Readonly<{t: 'bool'}>
  | Readonly<{t: 'any'}>
  | Readonly<{t: 'list'; of: Shape}>
  | Readonly<{t: 'map'; of: Shape}>
  | Readonly<{t: 'obj'; fields: Readonly<Record<string, Field>>}>
  | Readonly<{t: 'oneOf'; of: readonly Shape[]}>;

export type Field = Readonly<{shape: Shape; required: boolean}>;

export type ShapeProblem = Readonly<{
  /** Dotted path with list indexes, from the object's root: `spec.http[0].route`. */
  path: string;
  /** What was wrong, in words: "expected a list, got a string". */
  problem: string;
}>;

export const str: Shape = Object.freeze({t: 'str'});
export const num: Shape = Object.freeze({t: 'num'});
export const bool: Shape = Object.freeze({t: 'bool'});
export const any: Shape = Object.freeze({t: 'any'});
/** int-or-string (ports, weights, quantities). */
export const intOrString: Shape = Object.freeze({t: 'oneOf', of: [num, str]});

export function list(of: Shape): Shape {
  return {t: 'list', of};
}

export function map(of: Shape): Shape {
  return {t: 'map', of};
}

/** An object with declared fields; wrap a field in `req()` when the types declare it non-optional. */
export function obj(fields: Readonly<Record<string, Shape | Field>>): Shape {
  const out: Record<string, Field> = {};
  for (const [name, f] of Object.entries(fields)) out[name] = 'required' in f ? f : {shape: f, required: false};
  return {t: 'obj', fields: out};
}

export function req(shape: Shape): Field {
  return {shape, required: true};
}

export function oneOf(...of: Shape[]): Shape {
  return {t: 'oneOf', of};
}

const DESCRIBE: Readonly<Record<Shape['t'], string>> = {
  str: 'a string',
  num: 'a number',
  bool: 'true or false',
  any: 'a value',
  list: 'a list',
  map: 'a mapping',
  obj: 'a mapping',
  oneOf: 'a number or a string',
};

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a non-finite number';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `fitShape` gives back: `ok: false` = the value cannot stand for this shape (drop it). */
export type Fit = Readonly<{ok: true; value: unknown} | {ok: false}>;

const FAIL: Fit = Object.freeze({ok: false});

function sub(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The empty value a required list/map/object takes when absent; undefined when none exists. */
function emptyFor(shape: Shape, path: string, problems: ShapeProblem[]): Fit {
  switch (shape.t) {
    case 'list':
      return {ok: true, value: []};
    case 'map':
      return {ok: true, value: {}};
    case 'obj':
      return fitShape({}, shape, path, problems);
    case 'any':
      return {ok: true, value: {}};
    default:
      return FAIL;
  }
}

/**
 * Fit `value` (not null/undefined) to `shape`. Problems are appended to `problems`.
 * Same reference back when nothing changed.
 */
export function fitShape(value: unknown, shape: Shape, path: string, problems: ShapeProblem[]): Fit {
  switch (shape.t) {
    case 'any':
      return {ok: true, value};
    case 'str':
      if (typeof value === 'string') return {ok: true, value};
      break;
    case 'num':
      if (typeof value === 'number' && Number.isFinite(value)) return {ok: true, value};
      break;
    case 'bool':
      if (typeof value === 'boolean') return {ok: true, value};
      break;
    case 'oneOf': {
      for (const alt of shape.of) {
        const trial: ShapeProblem[] = [];
        const fit = fitShape(value, alt, path, trial);
        if (fit.ok && trial.length === 0) return fit;
      }
      break;
    }
    case 'list':
      if (Array.isArray(value)) return fitList(value, shape.of, path, problems);
      break;
    case 'map':
      if (isPlainObject(value)) return fitMap(value, shape.of, path, problems);
      break;
    case 'obj':
      if (isPlainObject(value)) return fitObject(value, shape.fields, path, problems);
      break;
  }
  problems.push({path, problem: `expected ${DESCRIBE[shape.t]}, got ${describeValue(value)}`});
  return FAIL;
}

function fitList(value: readonly unknown[], of: Shape, path: string, problems: ShapeProblem[]): Fit {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    let fit: Fit;
    if (item === null || item === undefined) {
      problems.push({path: sub(path, i), problem: 'empty list item'});
      fit = FAIL;
    } else {
      fit = fitShape(item, of, sub(path, i), problems);
    }
    if (fit.ok && fit.value === item) {
      out?.push(item);
      continue;
    }
    out ??= value.slice(0, i);
    if (fit.ok) out.push(fit.value);
  }
  return {ok: true, value: out ?? value};
}

function fitMap(value: Record<string, unknown>, of: Shape, path: string, problems: ShapeProblem[]): Fit {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    let fit: Fit;
    if (item === null || item === undefined) fit = FAIL; // `key: null` in a map means no entry
    else fit = fitShape(item, of, sub(path, key), problems);
    if (fit.ok && fit.value === item) continue;
    out ??= {...value};
    if (fit.ok) out[key] = fit.value;
    else delete out[key];
  }
  return {ok: true, value: out ?? value};
}

function fitObject(value: Record<string, unknown>, fields: Readonly<Record<string, Field>>, path: string, problems: ShapeProblem[]): Fit {
  let out: Record<string, unknown> | undefined;
  for (const name in fields) {
    const field = fields[name];
    const item = value[name];
    const here = sub(path, name);
    let fit: Fit;
    if (item === null || item === undefined) {
      if (!field.required) {
        if (item === null) {
          out ??= {...value};
          delete out[name];
        }
        continue;
      }
      // The field itself is what is missing, not the required fields an empty value would lack.
      fit = emptyFor(field.shape, here, []);
      if (!fit.ok) problems.push({path: here, problem: 'required, missing'});
    } else {
      fit = fitShape(item, field.shape, here, problems);
      if (!fit.ok && field.required) {
        const empty = emptyFor(field.shape, here, []);
        if (empty.ok) fit = empty;
      }
    }
    if (!fit.ok) {
      if (field.required) return FAIL;
      out ??= {...value};
      delete out[name];
      continue;
    }
    if (fit.value !== item) {
      out ??= {...value};
      out[name] = fit.value;
    }
  }
  return {ok: true, value: out ?? value};
}
