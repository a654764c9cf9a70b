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
 * the declared fields and no allocation (paths are only spelled out for problems).
 */

export type Shape =
  | Readonly<{t: 'str'}>
  | Readonly<{t: 'num'}>
  | Readonly<{t: 'bool'}>
  | Readonly<{t: 'any'}>
  | Readonly<{t: 'list'; of: Shape; keep?: (item: unknown) => boolean}>
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

/**
 * A list; `keep`, when given, says which elements a projection keeps (`projectShape`) — fitting
 * ignores it. For long lists of which checks read a few elements by name (a container's env).
 */
export function list(of: Shape, keep?: (item: unknown) => boolean): Shape {
  return keep ? {t: 'list', of, keep} : {t: 'list', of};
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

/** What `fitShape` returns for a value that cannot stand for its shape (drop it). */
export const INVALID: unique symbol = Symbol('invalid');

/**
 * Where the walk is, as a stack of keys: a path string is only built when a problem is reported
 * (building one per field would cost more than the walk itself on a 10 KB Pod).
 */
type Trail = (string | number)[];

function pathOf(trail: Trail): string {
  let out = '';
  for (const key of trail) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out;
}

/** Collects problems; `muted` while trying alternatives of a `oneOf`. */
type Sink = {problems: ShapeProblem[]; muted: number; failed: boolean};

function report(sink: Sink, trail: Trail, problem: string): void {
  sink.failed = true;
  if (sink.muted === 0) sink.problems.push({path: pathOf(trail), problem});
}

/** The empty value a required list/map/object takes when absent; INVALID when none exists. */
function emptyFor(shape: Shape, trail: Trail, sink: Sink): unknown {
  switch (shape.t) {
    case 'list':
      return [];
    case 'map':
    case 'any':
      return {};
    case 'obj': {
      // Whatever an empty object lacks is not reported: the field itself is what is missing.
      sink.muted++;
      try {
        return fit({}, shape, trail, sink);
      } finally {
        sink.muted--;
      }
    }
    default:
      return INVALID;
  }
}

/**
 * Fit `value` (not null/undefined) to `shape`, appending problems (paths relative to `path`, a
 * dotted prefix) to `problems`. Returns the value — the same reference when nothing changed — or
 * INVALID when it cannot stand for the shape.
 */
export function fitShape(value: unknown, shape: Shape, path: string, problems: ShapeProblem[]): unknown {
  return fit(value, shape, path ? [path] : [], {problems, muted: 0, failed: false});
}

function fit(value: unknown, shape: Shape, trail: Trail, sink: Sink): unknown {
  return fitterOf(shape)(value, trail, sink);
}

/** A shape compiled to a function once (shapes are built once per kind): no dispatch per field. */
type Fitter = (value: unknown, trail: Trail, sink: Sink) => unknown;

type CompiledField = Readonly<{name: string; required: boolean; shape: Shape; fit: Fitter}>;

const fitters = new WeakMap<Shape, Fitter>();

function mismatch(shape: Shape, value: unknown, trail: Trail, sink: Sink): typeof INVALID {
  report(sink, trail, `expected ${DESCRIBE[shape.t]}, got ${describeValue(value)}`);
  return INVALID;
}

function fitterOf(shape: Shape): Fitter {
  const known = fitters.get(shape);
  if (known) return known;
  let f: Fitter;
  switch (shape.t) {
    case 'any':
      f = (value) => value;
      break;
    case 'str':
      f = (value, trail, sink) => (typeof value === 'string' ? value : mismatch(shape, value, trail, sink));
      break;
    case 'num':
      f = (value, trail, sink) => (typeof value === 'number' && Number.isFinite(value) ? value : mismatch(shape, value, trail, sink));
      break;
    case 'bool':
      f = (value, trail, sink) => (typeof value === 'boolean' ? value : mismatch(shape, value, trail, sink));
      break;
    case 'oneOf': {
      const alternatives = shape.of;
      f = (value, trail, sink) => {
        for (const alt of alternatives) {
          const trial: Sink = {problems: [], muted: sink.muted + 1, failed: false};
          const out = fit(value, alt, trail, trial);
          if (out !== INVALID && !trial.failed) return out;
        }
        return mismatch(shape, value, trail, sink);
      };
      break;
    }
    case 'list': {
      const item = fitterOf(shape.of);
      f = (value, trail, sink) => (Array.isArray(value) ? fitList(value, item, trail, sink) : mismatch(shape, value, trail, sink));
      break;
    }
    case 'map': {
      const item = fitterOf(shape.of);
      f = (value, trail, sink) => (isPlainObject(value) ? fitMap(value, item, trail, sink) : mismatch(shape, value, trail, sink));
      break;
    }
    case 'obj': {
      const entries: CompiledField[] = Object.entries(shape.fields).map(([name, field]) => ({name, required: field.required, shape: field.shape, fit: fitterOf(field.shape)}));
      f = (value, trail, sink) => (isPlainObject(value) ? fitObject(value, entries, trail, sink) : mismatch(shape, value, trail, sink));
      break;
    }
  }
  fitters.set(shape, f);
  return f;
}

function fitList(value: readonly unknown[], of: Fitter, trail: Trail, sink: Sink): unknown {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    trail.push(i);
    let fitted: unknown;
    if (item === null || item === undefined) {
      report(sink, trail, 'empty list item');
      fitted = INVALID;
    } else {
      fitted = of(item, trail, sink);
    }
    trail.pop();
    if (fitted === item) {
      out?.push(item);
      continue;
    }
    out ??= value.slice(0, i);
    if (fitted !== INVALID) out.push(fitted);
  }
  return out ?? value;
}

function fitMap(value: Record<string, unknown>, of: Fitter, trail: Trail, sink: Sink): unknown {
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const item = value[key];
    let fitted: unknown = INVALID; // `key: null` in a map means no entry
    if (item !== null && item !== undefined) {
      trail.push(key);
      fitted = of(item, trail, sink);
      trail.pop();
    }
    if (fitted === item) continue;
    out ??= {...value};
    if (fitted !== INVALID) out[key] = fitted;
    else delete out[key];
  }
  return out ?? value;
}

function fitObject(value: Record<string, unknown>, fields: readonly CompiledField[], trail: Trail, sink: Sink): unknown {
  let out: Record<string, unknown> | undefined;
  for (const field of fields) {
    const name = field.name;
    const item = value[name];
    if (item === undefined && !field.required) continue;
    trail.push(name);
    let fitted: unknown;
    if (item === null || item === undefined) {
      if (!field.required) {
        // `field: null` is the field absent.
        trail.pop();
        out ??= {...value};
        delete out[name];
        continue;
      }
      fitted = emptyFor(field.shape, trail, sink);
      if (fitted === INVALID) report(sink, trail, 'required, missing');
    } else {
      fitted = field.fit(item, trail, sink);
      if (fitted === INVALID && field.required) fitted = emptyFor(field.shape, trail, sink);
    }
    trail.pop();
    if (fitted === INVALID) {
      if (field.required) return INVALID;
      out ??= {...value};
      delete out[name];
      continue;
    }
    if (fitted !== item) {
      out ??= {...value};
      out[name] = fitted;
    }
  }
  return out ?? value;
}

// ── projection ──────────────────────────────────────────────────────────────────────────────────

/**
 * A copy of `value` holding only what `shape` declares (issue 20: keep only what checks read). It
 * never judges: a value of the wrong type is kept as it is, so fitting the projection reports the
 * same problems as fitting the whole object (MD1006 sees no difference); `any` values and scalars are
 * kept as they are, maps keep every key and lists every element — but for a list with `keep`, which
 * keeps the elements it selects. Used where objects enter meshdoctor, before
 * they are stored, so the fields no check reads are never held.
 */
export function projectShape(value: unknown, shape: Shape): unknown {
  return projectorOf(shape)(value);
}

type Projector = (value: unknown) => unknown;

const projectors = new WeakMap<Shape, Projector>();
const keep: Projector = (value) => value;

function projectorOf(shape: Shape): Projector {
  const known = projectors.get(shape);
  if (known) return known;
  let p: Projector;
  switch (shape.t) {
    case 'list': {
      const item = projectorOf(shape.of);
      const wanted = shape.keep;
      if (wanted) p = (value) => (Array.isArray(value) ? value.filter(wanted).map(item) : value);
      else p = item === keep ? keep : (value) => (Array.isArray(value) ? value.map(item) : value);
      break;
    }
    case 'map': {
      const item = projectorOf(shape.of);
      p = item === keep ? keep : (value) => {
        if (!isPlainObject(value)) return value;
        const out: Record<string, unknown> = {};
        for (const key in value) out[key] = item(value[key]);
        return out;
      };
      break;
    }
    case 'obj': {
      const fields = Object.entries(shape.fields).map(([name, field]) => [name, projectorOf(field.shape)] as const);
      p = (value) => {
        if (!isPlainObject(value)) return value;
        const out: Record<string, unknown> = {};
        for (const [name, project] of fields) {
          const v = value[name];
          if (v !== undefined) out[name] = project(v);
        }
        return out;
      };
      break;
    }
    default:
      // Scalars, `any` and `oneOf` (of scalars) are kept as they are.
      p = keep;
  }
  projectors.set(shape, p);
  return p;
}
