/**
 * `meshdoctor completion bash|zsh|fish` prints a script that asks `meshdoctor __complete` (cobra's
 * protocol, src/cli/completion.ts) for candidates; `meshdoctor __complete …` answers. The scripts
 * call whichever name the program was installed under (`meshdoctor`, or krew's `kubectl-meshdoctor`).
 */
import type {Command} from 'commander';
import {BLOCKS} from '../../core/types.js';
import type {Access, CompletionSources} from '../completion.js';
import {complete, completionText, Directive} from '../completion.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Cluster look-ups give up quickly: a completion that hangs is worse than none. */
const LOOKUP_TIMEOUT_MS = 2000;

function clusterAccess(access: Access) {
  return {
    ...(access.kubeconfig ? {kubeconfig: access.kubeconfig} : {}),
    ...(access.context ? {context: access.context} : {}),
    ...(access.as ? {impersonate: {user: access.as, groups: access.asGroup ?? []}} : {}),
    requestTimeoutMs: LOOKUP_TIMEOUT_MS,
  };
}

async function names(access: Access, keys: readonly ('namespaces' | 'pods' | 'deployments.apps' | 'statefulsets.apps' | 'daemonsets.apps')[], namespace?: string): Promise<string[]> {
  try {
    const [{createLiveKubeSource}, {resourceType}] = await Promise.all([import('../../sources/kube/live.js'), import('../../core/resources.js')]);
    const source = await createLiveKubeSource(clusterAccess(access));
    const lists = await Promise.all(keys.map((key) => {
      const type = resourceType(key);
      return source.list(type, type.versions[0], namespace ? {namespace} : {}).catch(() => []);
    }));
    return [...new Set(lists.flat().map((o) => o.metadata.name))].sort();
  } catch {
    return [];
  }
}

/** `meshdoctor __complete WORD… CURRENT`: cobra's answer on stdout, always exit 0. */
export async function runComplete(program: Command, args: readonly string[]): Promise<number> {
  const [{allChecks}, {listScenarios}, {kubeconfigContexts}] = await Promise.all([
    import('../../../checks/index.js'), import('../../sim/demo/catalog.js'), import('../../sources/kube/kubeconfig.js'),
  ]);
  const contexts = (access: Access) => {
    try {
      return kubeconfigContexts(access.kubeconfig ? {kubeconfig: access.kubeconfig} : {});
    } catch {
      return [];
    }
  };
  const sources: CompletionSources = {
    checks: () => allChecks,
    blocks: () => BLOCKS,
    scenarios: () => listScenarios(),
    contexts,
    async namespaces(access) {
      const fromCluster = await names(access, ['namespaces']);
      if (fromCluster.length > 0) return fromCluster;
      // No cluster answer: at least the namespaces the kubeconfig's contexts name.
      return [...new Set(contexts(access).flatMap((c) => (c.namespace ? [c.namespace] : [])))].sort();
    },
    names: (access, kind, namespace) => names(access, kind === 'pod' ? ['pods'] : ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'], namespace),
  };
  let text: string;
  try {
    text = completionText(await complete(program, args, sources));
  } catch {
    text = completionText({candidates: [], directive: Directive.error});
  }
  process.stdout.write(text);
  return 0;
}

/** The scripts: small adapters from each shell to `__complete`, in cobra's directive semantics. */
export function completionScript(shell: Shell): string {
  const find = `$(command -v meshdoctor 2>/dev/null || command -v kubectl-meshdoctor 2>/dev/null)`;
  switch (shell) {
    case 'bash':
      return `# meshdoctor completion for bash. Load it with:
#   source <(meshdoctor completion bash)        # in ~/.bashrc
_meshdoctor() {
  local prog=${find}
  [ -n "$prog" ] || return 0
  # Our own word split of the line up to the cursor: bash splits at = and : too.
  local line=\${COMP_LINE:0:COMP_POINT}
  local -a words
  read -ra words <<< "$line"
  [[ $line == *' ' ]] && words+=("")
  local current=\${words[\${#words[@]}-1]}
  local out directive
  out=$("$prog" __complete "\${words[@]:1}" 2>/dev/null) || return 0
  directive=\${out##*:}
  out=\${out%:*}
  local -a candidates=()
  local c
  while IFS= read -r c; do
    [ -n "$c" ] && candidates+=("\${c%%$'\\t'*}")
  done <<< "$out"
  # bash replaces only the part of the word after its own break characters (= and :).
  local bashword=\${COMP_WORDS[COMP_CWORD]}
  [[ $bashword == "=" || $bashword == ":" ]] && bashword=""
  local cut=$(( \${#current} - \${#bashword} ))
  COMPREPLY=()
  for c in "\${candidates[@]}"; do COMPREPLY+=("\${c:cut}"); done
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  if (( \${#COMPREPLY[@]} == 0 )) && (( (directive & 4) == 0 )) && (( (directive & 1) == 0 )); then
    compopt -o default 2>/dev/null
  fi
  return 0
}
complete -F _meshdoctor meshdoctor kubectl-meshdoctor
`;
    case 'zsh':
      return `#compdef meshdoctor kubectl-meshdoctor
# meshdoctor completion for zsh. Load it with:
#   source <(meshdoctor completion zsh)         # in ~/.zshrc, after compinit
_meshdoctor() {
  local prog=${find}
  [[ -n $prog ]] || return 1
  local -a args lines completions
  args=("\${(@)words[2,CURRENT]}")
  local out=$("$prog" __complete "\${args[@]}" 2>/dev/null)
  lines=("\${(@f)out}")
  local directive=\${lines[-1]#:}
  local line value desc
  for line in "\${(@)lines[1,-2]}"; do
    value=\${line%%$'\\t'*}
    desc=\${line#*$'\\t'}
    [[ $desc == "$line" ]] && desc=""
    completions+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  if (( \${#completions} )); then
    if (( directive & 2 )); then _describe -t meshdoctor 'meshdoctor' completions -S ''
    else _describe -t meshdoctor 'meshdoctor' completions; fi
  elif (( (directive & 4) == 0 && (directive & 1) == 0 )); then
    _files
  fi
}
compdef _meshdoctor meshdoctor kubectl-meshdoctor
`;
    case 'fish':
      return `# meshdoctor completion for fish. Load it with:
#   meshdoctor completion fish | source          # or save it in ~/.config/fish/completions/meshdoctor.fish
function __meshdoctor_complete
    set -l prog (command -v meshdoctor; or command -v kubectl-meshdoctor)
    test -n "$prog"; or return
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    set -l out ($prog __complete $args 2>/dev/null)
    set -l directive (string replace ':' '' -- $out[-1])
    set -l candidates $out[1..-2]
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else if test (math "bitand($directive, 5)") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c meshdoctor -f -a '(__meshdoctor_complete)'
complete -c kubectl-meshdoctor -f -a '(__meshdoctor_complete)'
`;
  }
}
