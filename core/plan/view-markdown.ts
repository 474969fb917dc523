/**
 * The Markdown view of a plan, for a pull-request comment (GitHub-flavoured): a header, a summary
 * table, findings (rollout impact and risks) first, diagnostics, hooks, then one collapsible
 * `<details>` per changed object with its unified diff, as the text view computes it
 * (core/plan/view-diff.ts). Secret values are masked in the Change already; Secrets show which
 * keys changed.
 *
 * Capped: GitHub refuses a comment over 65,536 characters, so the output stays within
 * `maxLength` (65,000 by default: room for a marker an action adds). When the whole plan does not
 * fit, diffs are left out, the largest first (the last of equal ones first); each object whose
 * diff was cut says so, and a note under the summary names them and how to see them (the same
 * command locally, or `--format html`). Should even that not fit, objects are left out from the
 * end, and at the very last only the header, the summary and the note remain.
 *
 * Deterministic: the same plan gives the same bytes. Text from the plan is escaped for Markdown
 * (or HTML inside `<summary>`), and code fences are longer than any run of backticks they hold.
 */
import { formatLocation } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import type { PlanSet } from './plan-set.js';
import type { Plan } from './types.js';
import { esc } from './view-html.js';
import {
  KEPT_INTRO,
  SEVERITY_TITLE,
  SUMMARY_COLUMNS,
  WHY_INTRO,
  changeEntries,
  changesHeading,
  commitLines,
  closingLines,
  findingGroups,
  findingSubject,
  fullViewCommand,
  headerLines,
  hookLines,
  keptLines,
  reportSections,
  reportTitle,
  shortOid,
  type ChangeEntry,
  type HeaderLine,
  type ReportSection,
} from './view-report.js';

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the Markdown view stays within by default: under GitHub's limit, with room for a marker or a line an action adds. */
export const DEFAULT_MARKDOWN_LIMIT = 65_000;

export interface MarkdownViewOptions {
  /** At most this many characters (UTF-16 code units, never fewer than GitHub counts). Default DEFAULT_MARKDOWN_LIMIT. */
  readonly maxLength?: number;
}

export function renderPlanMarkdown(plan: Plan, opts: MarkdownViewOptions = {}): string {
  return renderPlanSetMarkdown({ plan, children: [] }, opts);
}

/** An app of apps: the app's plan, an overview of its child apps, then each child's plan; one cap for the whole. */
export function renderPlanSetMarkdown(set: PlanSet, opts: MarkdownViewOptions = {}): string {
  const max = opts.maxLength ?? DEFAULT_MARKDOWN_LIMIT;
  const doc = buildDocument(set);
  return fit(doc, max, fullViewCommand(set.plan));
}

// ── the document: fixed text, the note's place, and changes that can be shortened ──

interface ChangePiece {
  readonly kind: 'change';
  readonly name: string;
  /** With its diff. */
  readonly full: string;
  /** With a line saying the diff was left out; equal to `full` when it has no diff. */
  readonly cut: string;
  readonly diffLines: number;
}
type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'note' } | ChangePiece;

function buildDocument(set: PlanSet): Piece[] {
  const pieces: Piece[] = [];
  const text = (t: string): void => void pieces.push({ kind: 'text', text: t });
  const sections = reportSections(set);
  sections.forEach((section, i) => {
    if (i === 1) text(childOverview(sections.slice(1)));
    if (section.child) {
      const c = section.child;
      text(`### Child app ${mdCode(c.app)} of ${mdCode(c.parent)} (${mdCode(c.path || '.')}): ${mdText(c.line)}\n\n`);
      // Its heading says why it was not planned.
      if (!section.plan) return;
    }
    const plan = section.plan!;
    const level = section.child ? '####' : '###';
    if (!section.child) text(`## ${mdText(reportTitle(plan))}\n\n`);
    text(header(plan));
    text(summary(plan));
    if (!section.child) pieces.push({ kind: 'note' });
    text(findings(plan, level));
    text(diagnostics(plan, level));
    text(hooks(plan, level));
    const entries = changeEntries(plan);
    if (entries.length > 0) {
      text(`${level} ${changesHeading(plan)}\n\n`);
      for (const e of entries) pieces.push(changePiece(e));
    }
    text(kept(plan));
  });
  return pieces;
}

function header(plan: Plan): string {
  const part = (p: HeaderLine['parts'][number]): string => (p.code ? mdCode(p.text) : mdText(p.text));
  return `${headerLines(plan)
    .map((l) => `- **${l.label}** ${l.parts.map(part).join('')}`)
    .join('\n')}\n\n`;
}

function summary(plan: Plan): string {
  const s = plan.summary;
  const counts: Record<string, number> = { ...s };
  const table = [`| ${SUMMARY_COLUMNS.map((c) => `${c.symbol} ${c.label}`).join(' | ')} |`, `|${SUMMARY_COLUMNS.map(() => '---:').join('|')}|`, `| ${SUMMARY_COLUMNS.map((c) => String(counts[c.action] ?? 0)).join(' | ')} |`];
  const closing = closingLines(plan);
  return `${table.join('\n')}\n\n**${mdText(closing.headline)}**${closing.errors ? ` 🛑 **${mdText(closing.errors)}**` : ''}\n\n`;
}

const SEVERITY_MARK = { danger: '🛑', warning: '⚠️', info: 'ℹ️' } as const;

function findings(plan: Plan, level: string): string {
  const groups = findingGroups(plan);
  if (groups.length === 0) return '';
  const out = [`${level} Findings\n`];
  for (const g of groups) {
    out.push(`**${SEVERITY_MARK[g.severity]} ${SEVERITY_TITLE[g.severity]} (${g.findings.length})**\n`);
    for (const f of g.findings) {
      const { subject, cause } = findingSubject(f);
      out.push(`- ${f.kind} · ${mdCode(subject)}${cause ? ` (caused by ${mdCode(cause)})` : ''}: ${mdText(f.message)}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function diagnostics(plan: Plan, level: string): string {
  if (plan.diagnostics.length === 0) return '';
  const line = (d: Plan['diagnostics'][number]): string => {
    const where = d.location ? `${mdCode(formatLocation(d.location))}: ` : '';
    const what = d.resource ? ` (${mdCode(formatKey(d.resource))})` : '';
    return `- **${d.severity}** ${where}${mdText(d.message)}${what}`;
  };
  const shown = plan.diagnostics.filter((d) => d.severity !== 'info');
  const notes = plan.diagnostics.filter((d) => d.severity === 'info');
  const out = [`${level} Diagnostics\n`];
  if (shown.length > 0) out.push(...shown.map(line), '');
  if (notes.length > 0) out.push(`<details><summary>${notes.length} ${notes.length === 1 ? 'note' : 'notes'}</summary>\n`, ...notes.map(line), '', '</details>\n');
  return `${out.join('\n')}\n`;
}

function hooks(plan: Plan, level: string): string {
  if (plan.hooks.length === 0) return '';
  const { run, runIntro, skipped, skippedIntro } = hookLines(plan.hooks);
  const out = [`${level} Hooks\n`];
  if (run.length > 0) {
    out.push(`${runIntro}\n`);
    out.push(...run.map((h) => `- **${mdText(h.phases)}** ${mdCode(h.name)} (${mdText(h.notes)})${h.where ? ` ${mdCode(h.where)}` : ''}`), '');
  }
  if (skipped.length > 0) out.push(`${skippedIntro}\n`, ...skipped.map((h) => `- ${mdCode(h.name)}: ${mdText(h.why)}`), '');
  return `${out.join('\n')}\n`;
}

function kept(plan: Plan): string {
  const list = keptLines(plan);
  if (list.length === 0) return '';
  return `${KEPT_INTRO}\n\n${list.map((k) => `- ${mdCode(k.name)}${k.message ? `: ${mdText(k.message)}` : ''}`).join('\n')}\n\n`;
}

function childOverview(children: readonly ReportSection[]): string {
  const lines = children.map((s) => `${'  '.repeat(s.child!.depth - 1)}- ${mdCode(s.child!.app)} (${mdCode(s.child!.path || '.')}): ${mdText(s.child!.line)}`);
  return `### Child apps (${children.length})\n\n${lines.join('\n')}\n\n`;
}

function changePiece(e: ChangeEntry): ChangePiece {
  const notes = [...(e.dangerous ? ['<b>dangerous</b>'] : []), ...e.flags.filter((f) => f !== 'dangerous').map(esc)];
  const summaryLine = `<details><summary><code>${esc(`${e.symbol} ${e.verb}`)}</code> <b>${esc(e.name)}</b>${notes.map((n) => ` · ${n}`).join('')}</summary>\n\n`;
  const body: string[] = [];
  if (e.source) body.push(`Source: ${mdCode(e.source)}\n`);
  if (e.message) body.push(`${e.message.split('\n').map((l) => `> ${mdText(l)}`).join('\\\n')}\n`);
  if (e.syncOptions) body.push(`Sync options: ${mdCode(e.syncOptions)}\n`);
  if (e.secretKeys.length > 0) body.push(`${e.secretKeys.map((k) => `- ${mdCode(k.path)}: ${k.state}`).join('\n')}\n`);
  if (e.why.length > 0) {
    const commit = (c: ChangeEntry['why'][number]): string =>
      `- ${mdCode(shortOid(c.oid))} ${mdText(c.subject)} — ${mdText(c.author)}, ${mdText(c.date.slice(0, 10))}${c.files.length > 0 ? ` (${c.files.map(mdCode).join(', ')}${commitLines(c) ? `; ${commitLines(c)}` : ''})` : ''}`;
    body.push(`**Why:** ${WHY_INTRO}\n\n${e.why.map(commit).join('\n')}\n`);
  }
  const lines = e.hunks.flatMap((h) => [...(h.header ? [h.header] : []), ...h.lines]);
  const diff = lines.length > 0 ? `${fenced('diff', lines)}\n` : '';
  const end = '</details>\n\n';
  const head = summaryLine + body.map((b) => `${b}\n`).join('');
  return {
    kind: 'change',
    name: e.name,
    full: `${head}${diff}${end}`,
    cut: diff ? `${head}_The diff (${lines.length} ${lines.length === 1 ? 'line' : 'lines'}) is left out to fit the comment: see the note at the top._\n\n${end}` : `${head}${end}`,
    diffLines: lines.length,
  };
}

// ── fitting the document under the limit ──

function fit(pieces: readonly Piece[], max: number, command: string): string {
  const changes = pieces.filter((p): p is ChangePiece => p.kind === 'change');
  const cut = new Set<ChangePiece>();
  const dropped = new Set<ChangePiece>();
  const note = (): string => noteText({ cut: changes.filter((c) => cut.has(c) && !dropped.has(c)), dropped: changes.filter((c) => dropped.has(c)), max, command });
  const render = (): string => {
    const n = note();
    return `${pieces.map((p) => (p.kind === 'text' ? p.text : p.kind === 'note' ? n : dropped.has(p) ? '' : cut.has(p) ? p.cut : p.full)).join('').trimEnd()}\n`;
  };
  // What the document holds besides the note, kept up to date as diffs and objects leave it (rendering it again each time would be quadratic).
  let body = pieces.reduce((n, p) => n + (p.kind === 'text' ? p.text.length : p.kind === 'change' ? p.full.length : 0), 0);
  const fits = (): boolean => body + note().length + 1 <= max;
  if (fits()) return render();
  // Diffs, the largest first; of equal ones, the last first.
  const byDiff = changes
    .map((c, i) => ({ c, i, saves: c.full.length - c.cut.length }))
    .filter((x) => x.saves > 0)
    .sort((a, b) => b.saves - a.saves || b.i - a.i);
  for (const { c, saves } of byDiff) {
    cut.add(c);
    body -= saves;
    if (fits()) return render();
  }
  // Then whole objects, from the end.
  for (const c of [...changes].reverse()) {
    dropped.add(c);
    body -= cut.has(c) ? c.cut.length : c.full.length;
    if (fits()) return render();
  }
  // Findings, diagnostics or hooks alone are too long: the header, the summary and the note.
  const first = pieces.findIndex((p) => p.kind === 'note');
  const head = pieces.slice(0, first).map((p) => (p.kind === 'text' ? p.text : '')).join('');
  const minimal = `${head}${tooLarge(command)}`;
  return minimal.length <= max ? minimal : `${minimal.slice(0, Math.max(0, max - 1))}\n`;
}

function noteText(o: { cut: readonly ChangePiece[]; dropped: readonly ChangePiece[]; max: number; command: string }): string {
  if (o.cut.length === 0 && o.dropped.length === 0) return '';
  const names = (list: readonly ChangePiece[]): string => {
    const shown = list.slice(0, 10).map((c) => mdCode(c.name));
    return `${shown.join(', ')}${list.length > shown.length ? ` and ${list.length - shown.length} more` : ''}`;
  };
  const parts: string[] = [];
  if (o.cut.length > 0) parts.push(`the diffs of ${o.cut.length} ${o.cut.length === 1 ? 'object are' : 'objects are'} left out (${names(o.cut)})`);
  if (o.dropped.length > 0) parts.push(`${o.dropped.length} more changed ${o.dropped.length === 1 ? 'object is' : 'objects are'} not listed (${names(o.dropped)})`);
  return `> [!NOTE]\n> To stay under GitHub's comment limit (${o.max.toLocaleString('en-US')} characters here), ${parts.join(', and ')}. ${seeAll(o.command)}\n\n`;
}

function tooLarge(command: string): string {
  return `> [!NOTE]\n> This plan is too large for a comment: its findings, diagnostics and changes are left out. ${seeAll(command)}\n`;
}

function seeAll(command: string): string {
  return `Run ${mdCode(command)} with the same options to see everything, or add ${mdCode('--format html')} for one page with every diff.`;
}

// ── Markdown text (HTML inside `<summary>` is escaped by view-html.ts esc) ──

/**
 * Plain text in Markdown: characters that would mark up are escaped; a newline becomes a space;
 * an @name (a commit subject, a message) gets an invisible word joiner after the @, so the comment
 * mentions (and notifies) nobody.
 */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u2060');
}

/** An inline code span whose delimiter is longer than any run of backticks in it (CommonMark). Not for table cells (a pipe would end the cell). */
export function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** A fenced code block whose fence is longer than any run of backticks inside. */
function fenced(info: string, lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${lines.join('\n')}\n${fence}\n`;
}
