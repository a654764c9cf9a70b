/**
 * Markdown for the terminal: marked's lexer → lines of styled segments wrapped to a width, which a
 * component renders as Ink <Text>. Headings, paragraphs, ordered and bullet lists, fenced code
 * (never wrapped: commands must stay copyable), inline code, emphasis and links. Pure.
 */
import {Lexer} from 'marked';
import type {Token, Tokens} from 'marked';
import {sanitizeLine} from '../core/sanitize.js';

export type Style = Readonly<{bold?: boolean; italic?: boolean; code?: boolean; dim?: boolean; heading?: boolean; underline?: boolean}>;
export type Segment = Readonly<{text: string} & Style>;
export type MdLine = readonly Segment[];

/** Soft line breaks inside a paragraph are spaces; only `br` tokens break a line. */
function soft(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"})[e] ?? _m);
}

function inline(tokens: readonly Token[] | undefined, style: Style, out: Segment[]): void {
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        inline((t as Tokens.Strong).tokens, {...style, bold: true}, out);
        break;
      case 'em':
        inline((t as Tokens.Em).tokens, {...style, italic: true}, out);
        break;
      case 'codespan':
        out.push({...style, code: true, text: soft(decode((t as Tokens.Codespan).text))});
        break;
      case 'link': {
        const link = t as Tokens.Link;
        inline(link.tokens, {...style, underline: true}, out);
        if (link.href && link.href !== link.text) out.push({...style, dim: true, text: ` (${link.href})`});
        break;
      }
      case 'br':
        out.push({...style, text: '\n'});
        break;
      case 'text': {
        const text = t as Tokens.Text;
        if (text.tokens?.length) inline(text.tokens, style, out);
        else out.push({...style, text: soft(decode(text.text))});
        break;
      }
      default: {
        const children = (t as {tokens?: Token[]}).tokens;
        if (children?.length) inline(children, style, out);
        else if ('text' in t && typeof t.text === 'string') out.push({...style, text: soft(decode(t.text))});
        else out.push({...style, text: soft(t.raw)});
      }
    }
  }
}

/** Wrap segments to `width` cells, breaking on spaces; the first line gets `first`, the rest `rest` as a prefix. */
export function wrapSegments(segments: readonly Segment[], width: number, first: Segment[] = [], rest: Segment[] = []): Segment[][] {
  const lines: Segment[][] = [];
  let line: Segment[] = [...first];
  let used = first.reduce((n, s) => n + s.text.length, 0);
  const restWidth = rest.reduce((n, s) => n + s.text.length, 0);
  const flush = () => {
    lines.push(line);
    line = [...rest];
    used = restWidth;
  };
  for (const seg of segments) {
    if (seg.text === '\n') {
      flush();
      continue;
    }
    for (const word of seg.text.split(/(\s+)/)) {
      if (word === '') continue;
      const clean = sanitizeLine(word);
      const isSpace = /^\s+$/.test(word);
      if (isSpace) {
        if (used > restWidth && used < width) {
          line.push({...seg, text: ' '});
          used += 1;
        }
        continue;
      }
      if (used + clean.length > width && used > restWidth) {
        // Drop a trailing space before breaking.
        const last = line[line.length - 1];
        if (last && last.text === ' ') line.pop();
        flush();
      }
      let remaining = clean;
      while (used + remaining.length > width && width - used > 0) {
        line.push({...seg, text: remaining.slice(0, width - used)});
        remaining = remaining.slice(width - used);
        flush();
      }
      line.push({...seg, text: remaining});
      used += remaining.length;
    }
  }
  if (line.length > rest.length || lines.length === 0) lines.push(line);
  return lines;
}

function block(tokens: readonly Token[], width: number, out: Segment[][], indent = ''): void {
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        break;
      case 'heading': {
        const h = t as Tokens.Heading;
        const segs: Segment[] = [];
        inline(h.tokens, {bold: true, heading: true}, segs);
        if (out.length > 0) out.push([]);
        out.push(...wrapSegments(segs, width, indent ? [{text: indent}] : [], indent ? [{text: indent}] : []));
        break;
      }
      case 'paragraph': {
        const segs: Segment[] = [];
        inline((t as Tokens.Paragraph).tokens, {}, segs);
        out.push(...wrapSegments(segs, width, [{text: indent}], [{text: indent}]));
        out.push([]);
        break;
      }
      case 'code': {
        const code = t as Tokens.Code;
        const lang = (code.lang ?? '').trim();
        if (lang) out.push([{text: indent}, {text: lang === 'meshdoctor' ? 'meshdoctor verify' : lang, dim: true}]);
        for (const l of code.text.split('\n')) out.push([{text: `${indent}  `}, {text: sanitizeLine(l), code: true}]);
        out.push([]);
        break;
      }
      case 'list': {
        const list = t as Tokens.List;
        list.items.forEach((item, i) => {
          const marker = list.ordered ? `${Number(list.start || 1) + i}. ` : '• ';
          const inner: Segment[][] = [];
          const pad = ' '.repeat(marker.length);
          // The item's first paragraph (or text) goes after the marker; the rest is indented.
          const [head, ...tail] = item.tokens.filter((x) => x.type !== 'space');
          if (head && (head.type === 'text' || head.type === 'paragraph')) {
            const segs: Segment[] = [];
            inline((head as Tokens.Text).tokens ?? [{type: 'text', raw: head.raw, text: (head as Tokens.Text).text} as Tokens.Text], {}, segs);
            inner.push(...wrapSegments(segs, width, [{text: indent}, {text: marker, dim: true}], [{text: indent + pad}]));
            block(tail, width, inner, indent + pad);
          } else {
            inner.push([{text: indent}, {text: marker, dim: true}]);
            block(item.tokens, width, inner, indent + pad);
          }
          out.push(...inner.filter((l, k) => !(l.length === 0 && k === inner.length - 1)));
        });
        out.push([]);
        break;
      }
      case 'blockquote':
        block((t as Tokens.Blockquote).tokens, width - 2, out, `${indent}│ `);
        break;
      case 'hr':
        out.push([{text: indent + '─'.repeat(Math.max(0, width - indent.length)), dim: true}]);
        break;
      case 'html':
        break;
      default: {
        const segs: Segment[] = [];
        const children = (t as {tokens?: Token[]}).tokens;
        if (children) inline(children, {}, segs);
        else segs.push({text: t.raw.trim()});
        out.push(...wrapSegments(segs, width, [{text: indent}], [{text: indent}]));
      }
    }
  }
}

/** Markdown text → lines of segments no wider than `width` (code lines excepted). */
export function renderMarkdown(markdown: string, width: number): MdLine[] {
  const out: Segment[][] = [];
  block(new Lexer().lex(markdown), Math.max(10, width), out);
  // Collapse runs of blank lines and trim the ends.
  const lines: Segment[][] = [];
  for (const l of out) {
    const blank = l.every((s) => s.text.trim() === '');
    if (blank && (lines.length === 0 || lines[lines.length - 1].every((s) => s.text.trim() === ''))) continue;
    lines.push(blank ? [] : l);
  }
  while (lines.length && lines[lines.length - 1].length === 0) lines.pop();
  return lines;
}
