/**
 * Placeholders in runbooks, filled from a finding's real objects (src/runbooks/values.ts): the
 * subject (`namespace`, `name`, `resource` = kubectl TYPE/NAME), its workload (`workload`,
 * `workloadRef` = `deployment/cart`, `selector` = the pods' label selector, `pod`, `container`,
 * `proxy`), the Service in front (`service`, `port`, `host`), the route sending traffic there
 * (`route`, `routeNamespace`, `weightPatch` = the JSON patch that shifts the weight away),
 * `previousRevision`, a failing caller (`callerPod`, `callerNamespace`, `callerProxy`) and the kubeconfig
 * `context`. In commands every value is shell-quoted, so a name like `a;rm -rf /` stays one inert
 * argument; in prose it is shown as text. A value that cannot be resolved has a reason instead.
 */

export const PLACEHOLDERS = [
  'namespace', 'name', 'resource', 'workload', 'workloadRef', 'selector', 'pod', 'container', 'proxy',
  'service', 'port', 'host', 'route', 'routeNamespace', 'weightPatch', 'previousRevision', 'callerPod', 'callerNamespace', 'callerProxy', 'context',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Readonly<Partial<Record<Placeholder, string>>>;
/** Why a placeholder has no value (`no pod of deployment shop/cart is running`). */
export type PlaceholderGaps = Readonly<Partial<Record<Placeholder, string>>>;

const PATTERN = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;
const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** POSIX shell quoting: bare when only safe characters, else single quotes with `'\''` for quotes. */
export function shellQuote(value: string): string {
  const clean = value.replace(/\u0000/g, '');
  if (clean !== '' && SAFE.test(clean)) return clean;
  return `'${clean.replace(/'/g, `'\\''`)}'`;
}

/** Placeholder names used in a text (for lint: unknown ones are errors). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]);
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** Fill a shell command: known values quoted; missing ones become a visible `<name>` (quoted, so the command fails safely). */
export function fillCommand(command: string, values: PlaceholderValues): string {
  return command.replace(PATTERN, (whole, name: string) => {
    if (!isPlaceholder(name)) return whole;
    const v = values[name];
    return v === undefined ? shellQuote(`<${name}>`) : shellQuote(v);
  });
}

/** Fill prose or a verify line: values inserted as text; missing ones shown as `<name>`. */
export function fillText(text: string, values: PlaceholderValues): string {
  return text.replace(PATTERN, (whole, name: string) => {
    if (!isPlaceholder(name)) return whole;
    return values[name] ?? `<${name}>`;
  });
}

/** The placeholders a text needs that have no value. */
export function missingValues(text: string, values: PlaceholderValues): Placeholder[] {
  return [...new Set(placeholdersIn(text).filter(isPlaceholder).filter((p) => values[p] === undefined))];
}
