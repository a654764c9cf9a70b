/**
 * The installed demo scenarios by name, with their one-line descriptions. Light on purpose: the
 * command table reads it synchronously for `meshdoctor demo --help`, so it loads the YAML parser only
 * when called.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {packageRoot} from '../../package-info.js';

export const DEFAULT_SCENARIO = 'istio-shop';

export type ScenarioSummary = Readonly<{name: string; description: string}>;

/** `scenarios/` of the installed package. */
export function scenariosRoot(): string {
  return join(packageRoot(), 'scenarios');
}

/** Scenario directories (those holding a scenario.yaml; `_shared` and other `_` folders are not scenarios), default first. */
export function scenarioNames(root = scenariosRoot()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, {withFileTypes: true})
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(root, d.name, 'scenario.yaml')))
    .map((d) => d.name)
    .sort((a, b) => (a === DEFAULT_SCENARIO ? -1 : b === DEFAULT_SCENARIO ? 1 : a.localeCompare(b)));
}

/** Name and one-line description of every scenario, default first. */
export function listScenarios(root = scenariosRoot()): ScenarioSummary[] {
  const {parse} = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return scenarioNames(root).map((name) => {
    try {
      const raw = parse(readFileSync(join(root, name, 'scenario.yaml'), 'utf8')) as {description?: unknown} | null;
      return {name, description: typeof raw?.description === 'string' ? raw.description : ''};
    } catch {
      return {name, description: '(scenario.yaml is not valid YAML)'};
    }
  });
}

/** The scenario list as help text: one line each, the default marked. */
export function scenarioListText(root = scenariosRoot()): string {
  const list = listScenarios(root);
  if (list.length === 0) return 'No scenarios are installed.\n';
  const width = Math.max(...list.map((s) => s.name.length));
  return `Scenarios:\n${list.map((s) => `  ${s.name.padEnd(width)}  ${s.description}${s.name === DEFAULT_SCENARIO ? ' (default)' : ''}`).join('\n')}\n`;
}
