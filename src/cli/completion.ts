/**
 * Shell completion. `meshdoctor __complete WORD… CURRENT` answers in cobra's protocol — one candidate
 * per line (`value<TAB>description`), then `:<directive>` — the protocol kubectl (≥ 1.26) speaks to a
 * plugin's `kubectl_complete-<name>` program, so `kubectl meshdoctor <TAB>` and our own bash, zsh and
 * fish scripts (`meshdoctor completion SHELL`) share one engine. Commands and flags come from the
 * command table itself (never a second list); values from the catalog (check ids, blocks), the demo
 * scenarios, the kubeconfig (contexts) and, where reachable within a couple of seconds, the cluster
 * (namespaces, pods, workloads). Completion never prints an error: an unreachable cluster is simply
 * fewer candidates.
 */
import type {Command, Option} from 'commander';

export type Candidate = Readonly<{value: string; description?: string}>;

/** cobra's ShellCompDirective bits. */
export const Directive = {default: 0, error: 1, noSpace: 2, noFileComp: 4} as const;

export type Completion = Readonly<{candidates: readonly Candidate[]; directive: number}>;

/** What completion may look up; each answer may be empty (nothing reachable). */
export type CompletionSources = Readonly<{
  checks(): readonly {id: string; slug: string; title: string}[];
  blocks(): readonly string[];
  scenarios(): readonly {name: string; description: string}[];
  contexts(access: Access): readonly {name: string; namespace?: string; current: boolean}[];
  namespaces(access: Access): Promise<readonly string[]>;
  /** Names of pods, or of workloads (Deployments, StatefulSets, DaemonSets), in a namespace. */
  names(access: Access, kind: 'pod' | 'workload', namespace: string): Promise<readonly string[]>;
}>;

/** The cluster the words being completed point at (`--kubeconfig`, `--context`, `--as`…). */
export type Access = Readonly<{kubeconfig?: string; context?: string; as?: string; asGroup?: readonly string[]}>;

const DURATIONS = ['5s', '30s', '1m', '5m', '15m', '1h'];
const FILES: Completion = {candidates: [], directive: Directive.default};

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function visible(command: Command): Command[] {
  return command.commands.filter((c) => !(c as unknown as {_hidden?: boolean})._hidden);
}

/** The option a word names, looked up in the command and the commands above it. */
function findOption(chain: readonly Command[], flag: string): Option | undefined {
  for (const command of [...chain].reverse()) {
    const found = command.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

type Parsed = {chain: Command[]; positionals: string[]; values: Map<string, string[]>};

/** Walks the words before the one being completed: which command, which flag values, which arguments. */
function parse(program: Command, words: readonly string[]): Parsed & {pendingOption?: Option} {
  const parsed: Parsed = {chain: [program], positionals: [], values: new Map()};
  let afterDashes = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const command = parsed.chain[parsed.chain.length - 1];
    if (!afterDashes && word === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && word.startsWith('-') && word.length > 1) {
      const eq = word.indexOf('=');
      const option = findOption(parsed.chain, eq === -1 ? word : word.slice(0, eq));
      if (!option || !takesValue(option)) continue;
      const key = option.attributeName();
      if (eq !== -1) parsed.values.set(key, [...(parsed.values.get(key) ?? []), word.slice(eq + 1)]);
      else if (i + 1 < words.length) parsed.values.set(key, [...(parsed.values.get(key) ?? []), words[++i]]);
      else return {...parsed, pendingOption: option};
      continue;
    }
    const sub = parsed.positionals.length === 0 ? visible(command).find((c) => c.name() === word || c.aliases().includes(word)) : undefined;
    if (sub) parsed.chain.push(sub);
    else parsed.positionals.push(word);
  }
  return parsed;
}

function accessOf(values: ReadonlyMap<string, string[]>): Access {
  const last = (key: string) => values.get(key)?.at(-1);
  return {
    ...(last('kubeconfig') ? {kubeconfig: last('kubeconfig')} : {}),
    ...(last('context') ? {context: last('context')} : {}),
    ...(last('as') ? {as: last('as')} : {}),
    ...(values.get('asGroup') ? {asGroup: values.get('asGroup')} : {}),
  };
}

/** Candidates for a comma-separated list (`-n a,b`, `--only MD1001,…`): the finished items stay as typed. */
function listOf(current: string, items: readonly Candidate[]): Completion {
  const comma = current.lastIndexOf(',');
  const head = comma === -1 ? '' : current.slice(0, comma + 1);
  const taken = new Set(head.split(',').filter(Boolean));
  return {candidates: items.filter((c) => !taken.has(c.value)).map((c) => ({...c, value: head + c.value})), directive: Directive.noFileComp};
}

function words(values: readonly string[]): Candidate[] {
  return values.map((value) => ({value}));
}

async function optionValues(option: Option, current: string, parsed: Parsed, sources: CompletionSources): Promise<Completion> {
  const command = parsed.chain[parsed.chain.length - 1].name();
  const access = accessOf(parsed.values);
  const none: Completion = {candidates: [], directive: Directive.noFileComp};
  switch (option.long) {
    case '--context':
      return {candidates: sources.contexts(access).map((c) => ({value: c.name, ...(c.namespace ? {description: `namespace ${c.namespace}`} : c.current ? {description: 'current'} : {})})), directive: Directive.noFileComp};
    case '--namespace':
      return listOf(current, words(await sources.namespaces(access)));
    case '--only':
    case '--skip':
      return listOf(current, sources.checks().map((c) => ({value: c.id, description: c.title})));
    case '--block':
      return listOf(current, words(sources.blocks()));
    case '--for':
      return namespacedName(current, 'workload', access, sources);
    case '--output':
      // check: FORMAT or FORMAT=FILE (files after the `=`, as the shell completes them).
      if (command === 'check' && current.includes('=')) return FILES;
      break;
    case '--refresh':
    case '--window':
    case '--wait':
    case '--sample':
    case '--request-timeout':
      return {candidates: words(DURATIONS), directive: Directive.noFileComp};
    default:
      break;
  }
  if (option.argChoices) return {candidates: words(option.argChoices), directive: Directive.noFileComp};
  if (option.long === '--output' && command === 'check') return {candidates: ['text', 'json', 'junit', 'sarif', 'github'].flatMap((f) => [{value: f}, {value: `${f}=`, description: `${f} to a file`}]), directive: Directive.noSpace | Directive.noFileComp};
  // Paths: the shell's own file completion.
  if (/file|kubeconfig|config|snapshot|record|runbooks|filename/.test(option.long ?? '')) return FILES;
  return none;
}

/** NAMESPACE/NAME: namespaces first (`shop/`, no space after), then the names in the one typed. */
async function namespacedName(current: string, kind: 'pod' | 'workload', access: Access, sources: CompletionSources): Promise<Completion> {
  const slash = current.indexOf('/');
  if (slash === -1) return {candidates: (await sources.namespaces(access)).map((ns) => ({value: `${ns}/`})), directive: Directive.noSpace | Directive.noFileComp};
  const namespace = current.slice(0, slash);
  return {candidates: (await sources.names(access, kind, namespace)).map((n) => ({value: `${namespace}/${n}`})), directive: Directive.noFileComp};
}

async function argumentValues(parsed: Parsed, current: string, sources: CompletionSources): Promise<Completion> {
  const chain = parsed.chain;
  const command = chain[chain.length - 1];
  const subcommands = visible(command);
  // The program itself, or `snapshot`: a command name.
  if (subcommands.length > 0 && parsed.positionals.length === 0) {
    return {candidates: subcommands.map((c) => ({value: c.name(), description: c.description()})), directive: Directive.noFileComp};
  }
  const argument = command.registeredArguments[parsed.positionals.length];
  if (!argument) return {candidates: [], directive: Directive.noFileComp};
  const access = accessOf(parsed.values);
  const name = `${command.name()} ${argument.name()}`;
  switch (name) {
    case 'runbook id':
      return {candidates: sources.checks().map((c) => ({value: c.id, description: c.title})), directive: Directive.noFileComp};
    case 'demo scenario':
      return {candidates: sources.scenarios().map((s) => ({value: s.name, description: s.description})), directive: Directive.noFileComp};
    case 'describe target':
      return namespacedName(current, parsed.positionals[0] === 'pod' ? 'pod' : 'workload', access, sources);
    default:
      break;
  }
  if (argument.argChoices) return {candidates: words(argument.argChoices), directive: Directive.noFileComp};
  if (name === 'save file') return FILES;
  if (name === 'describe kind') return {candidates: words(['pod', 'workload']), directive: Directive.noFileComp};
  return {candidates: [], directive: Directive.noFileComp};
}

function flagsOf(chain: readonly Command[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const command of [...chain].reverse()) {
    for (const o of command.options) {
      if (o.hidden) continue;
      for (const flag of [o.long, o.short]) {
        if (!flag || seen.has(flag)) continue;
        seen.add(flag);
        out.push({value: flag, description: o.description});
      }
    }
  }
  out.push({value: '--help', description: 'show help'});
  return out;
}

/** The candidates for the last word, given the words before it (the program name excluded). */
export async function complete(program: Command, args: readonly string[], sources: CompletionSources): Promise<Completion> {
  const current = args.length > 0 ? args[args.length - 1] : '';
  const parsed = parse(program, args.slice(0, -1));
  let answer: Completion;
  if (parsed.pendingOption) answer = await optionValues(parsed.pendingOption, current, parsed, sources);
  else if (/^--[^=]+=/.test(current)) {
    // `--flag=partial`: the flag's values, written back with the flag.
    const eq = current.indexOf('=');
    const option = findOption(parsed.chain, current.slice(0, eq));
    if (!option || !takesValue(option)) return {candidates: [], directive: Directive.noFileComp};
    const values = await optionValues(option, current.slice(eq + 1), parsed, sources);
    answer = {...values, candidates: values.candidates.map((c) => ({...c, value: `${current.slice(0, eq + 1)}${c.value}`}))};
  } else if (current.startsWith('-')) answer = {candidates: flagsOf(parsed.chain), directive: Directive.noFileComp};
  else answer = await argumentValues(parsed, current, sources);
  return {...answer, candidates: answer.candidates.filter((c) => c.value.startsWith(current))};
}

/** cobra's wire format: candidates, then `:directive`. Tabs and newlines in descriptions are spaces. */
export function completionText({candidates, directive}: Completion): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  return `${candidates.map((c) => (c.description ? `${clean(c.value)}\t${clean(c.description)}` : clean(c.value))).join('\n')}${candidates.length ? '\n' : ''}:${directive}\n`;
}
