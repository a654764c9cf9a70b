/**
 * Runbook files (`runbooks/<block>/<slug>.md`): YAML front matter `{check, title, severity}` and the
 * fixed sections `## Meaning`, `## Impact`, `## Diagnosis`, `## Mitigation` (the prometheus-operator
 * runbook convention). Parsed with marked's lexer, so code fences and headings are read the way a
 * Markdown renderer reads them.
 */
import {Lexer} from 'marked';
import type {Token, Tokens} from 'marked';
import {parse as parseYaml} from 'yaml';

export const SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'] as const;
export type SectionName = (typeof SECTIONS)[number];

export type RunbookFrontMatter = Readonly<{check: string; title: string; severity: string}>;

export type Runbook = Readonly<{
  path: string;
  front: RunbookFrontMatter;
  /** Tokens of each section, in order; sections not present are absent. */
  sections: Readonly<Partial<Record<SectionName, readonly Token[]>>>;
  /** Section headings in file order (lint: all four, in order, no others at level 2). */
  headings: readonly string[];
  body: string;
}>;

export class RunbookError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'RunbookError';
  }
}

const FRONT = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function parseRunbook(text: string, path: string): Runbook {
  const m = FRONT.exec(text);
  if (!m) throw new RunbookError(path, 'missing front matter (--- check/title/severity ---)');
  let front: unknown;
  try {
    front = parseYaml(m[1]);
  } catch (error) {
    throw new RunbookError(path, `front matter is not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const f = front as Partial<RunbookFrontMatter> | null;
  if (!f || typeof f.check !== 'string' || typeof f.title !== 'string' || typeof f.severity !== 'string') {
    throw new RunbookError(path, 'front matter needs string fields check, title and severity');
  }
  const body = text.slice(m[0].length);
  const tokens = new Lexer().lex(body);
  const sections: Partial<Record<SectionName, Token[]>> = {};
  const headings: string[] = [];
  let current: Token[] | undefined;
  for (const token of tokens) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 2) {
      const name = (token as Tokens.Heading).text.trim();
      headings.push(name);
      current = (SECTIONS as readonly string[]).includes(name) ? (sections[name as SectionName] = []) : undefined;
      continue;
    }
    current?.push(token);
  }
  return {path, front: {check: f.check, title: f.title, severity: f.severity}, sections, headings, body};
}

/** Fenced code blocks of a section, with their language (`sh`, `meshdoctor`). */
export function codeBlocks(tokens: readonly Token[] | undefined): Tokens.Code[] {
  return (tokens ?? []).filter((t): t is Tokens.Code => t.type === 'code');
}
