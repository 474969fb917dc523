/**
 * Why this change, for the UI: the engine's Change.why (the commits that touched an object's
 * sources, and for plain YAML the after-side lines each last changed) as words for the list in the
 * object's detail, and as decorations of the diff's after side (a coloured bar in the gutter per
 * commit, a hover naming it). Pure: the renderer never blames or diffs itself.
 */
import type { Change, ChangeCommit } from '../../core/api/contract.js';
import type { monaco } from './monaco.js';

/** ":working": lines not committed yet (core/git WORKING_COPY). */
const WORKING = ':working';

/** Colours the gutter cycles through, one per commit of an object (CSS classes why-c0…). */
export const WHY_COLOURS = 6;

export function commitShort(c: ChangeCommit): string {
  return c.oid === WORKING ? 'working copy' : c.oid.slice(0, 7);
}

/** "4f2a9c1 web: say hi — Grace Hopper, 2026-01-02", or "not committed (working copy)". */
export function commitTitle(c: ChangeCommit): string {
  if (c.oid === WORKING) return `${c.subject} (working copy)`;
  return `${commitShort(c)} ${c.subject} — ${c.author}, ${c.date.slice(0, 10)}`;
}

/** "lines 12, 14 of the after side" (consecutive lines as ranges: "lines 3–5"). */
export function linesLabel(lines: readonly number[] | undefined): string {
  if (!lines || lines.length === 0) return '';
  const parts: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(i === j ? `${lines[i]}` : `${lines[i]}–${lines[j]}`);
    i = j + 1;
  }
  return `${lines.length === 1 ? 'line' : 'lines'} ${parts.join(', ')}`;
}

export interface WhyDecoration {
  /** 1-based line of the after side. */
  readonly line: number;
  /** Gutter bar: "why-gutter why-c<n>". */
  readonly className: string;
  /** The gutter's tooltip (plain text). */
  readonly tooltip: string;
  /** The hover (Markdown). */
  readonly hover: string;
}

/** One decoration per after-side line a commit last changed (plain YAML only; other objects have no lines). */
export function whyDecorations(change: Pick<Change, 'why'>): WhyDecoration[] {
  const out: WhyDecoration[] = [];
  (change.why ?? []).forEach((c, i) => {
    for (const line of c.lines ?? []) {
      out.push({
        line,
        className: `why-gutter why-c${i % WHY_COLOURS}`,
        tooltip: commitTitle(c),
        hover: c.oid === WORKING ? `**Not committed** (working copy): ${markdownText(c.files.join(', '))}` : `**${markdownText(c.subject)}**\n\n\`${c.oid.slice(0, 7)}\` ${markdownText(c.author)}, ${c.date.slice(0, 10)}`,
      });
    }
  });
  return out.sort((a, b) => a.line - b.line);
}

/** Text shown as Markdown literally (a subject like "fix *all* the [things]"). */
function markdownText(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** A mark as Monaco draws it: a bar in the gutter with a tooltip, and a hover over the line and its number. */
export function monacoDecoration(d: WhyDecoration): monaco.editor.IModelDeltaDecoration {
  const hover = { value: d.hover };
  return {
    range: { startLineNumber: d.line, startColumn: 1, endLineNumber: d.line, endColumn: 1 },
    options: { isWholeLine: true, linesDecorationsClassName: d.className, linesDecorationsTooltip: d.tooltip, hoverMessage: hover, lineNumberHoverMessage: hover },
  };
}
