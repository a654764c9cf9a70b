/**
 * A runbook filled in for one finding, as Markdown (what `meshdoctor runbook ID --for NS/NAME`
 * prints when stdout is not a terminal — ready to paste into an incident channel). Commands in
 * ```sh fences are filled shell-quoted; prose and verify lines as text.
 */
import type {PlaceholderValues} from './fill.js';
import {fillCommand, fillText} from './fill.js';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*$/;

export function fillRunbookMarkdown(body: string, values: PlaceholderValues): string {
  const out: string[] = [];
  let fence: {marker: string; lang: string} | undefined;
  for (const line of body.split('\n')) {
    const m = FENCE.exec(line);
    if (m && !fence) {
      fence = {marker: m[2], lang: m[3]};
      out.push(line);
      continue;
    }
    if (m && fence && m[2].startsWith(fence.marker[0]) && m[2].length >= fence.marker.length && m[3] === '') {
      fence = undefined;
      out.push(line);
      continue;
    }
    out.push(fence && fence.lang !== 'meshdoctor' && fence.lang !== 'text' && fence.lang !== 'yaml' ? fillCommand(line, values) : fillText(line, values));
  }
  return out.join('\n');
}
