/**
 * The HTML view of a plan: one self-contained page (inline styles, no script, no external asset;
 * its Content-Security-Policy allows nothing else) to save, attach to a CI run or open offline.
 * The same reading of the plan as the Markdown view (core/plan/view-report.ts): header, summary
 * table, findings by severity, diagnostics, hooks, then each changed object as a collapsible
 * `<details>` with its unified diff — every diff, uncapped. Light or dark as the reader's system is.
 *
 * Every text from the plan is HTML-escaped; Secret values are masked in the Change already.
 * Deterministic: the same plan gives the same bytes.
 */
import { formatLocation } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import type { PlanSet } from './plan-set.js';
import type { Plan } from './types.js';
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
  headerLines,
  hookLines,
  keptLines,
  reportSections,
  reportTitle,
  shortOid,
  type ChangeEntry,
  type ReportSection,
} from './view-report.js';

export function renderPlanHtml(plan: Plan): string {
  return renderPlanSetHtml({ plan, children: [] });
}

/** An app of apps: the app's plan, an overview of its child apps, then each child's plan. */
export function renderPlanSetHtml(set: PlanSet): string {
  const sections = reportSections(set);
  const body: string[] = [];
  sections.forEach((section, i) => {
    if (i === 1) body.push(childOverview(sections.slice(1)));
    body.push(sectionHtml(section));
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${esc(reportTitle(set.plan))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(reportTitle(set.plan))}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function sectionHtml(section: ReportSection): string {
  const out: string[] = [];
  if (section.child) {
    const c = section.child;
    out.push(`<h2 class="child">Child app <code>${esc(c.app)}</code> of <code>${esc(c.parent)}</code> (<code>${esc(c.path || '.')}</code>): ${esc(c.line)}</h2>`);
    // Its heading says why it was not planned.
    if (!section.plan) return `<section class="plan">\n${out.join('\n')}\n</section>`;
  }
  const plan = section.plan!;
  const h = section.child ? 'h3' : 'h2';
  out.push(header(plan), summary(plan), findings(plan, h), diagnostics(plan, h), hooks(plan, h));
  const entries = changeEntries(plan);
  if (entries.length > 0) out.push(`<${h}>${changesHeading(plan)}</${h}>`, ...entries.map(change));
  out.push(kept(plan));
  return `<section class="plan">\n${out.filter(Boolean).join('\n')}\n</section>`;
}

function header(plan: Plan): string {
  const rows = headerLines(plan).map((l) => `<tr><th scope="row">${esc(l.label)}</th><td>${l.parts.map((p) => (p.code ? `<code>${esc(p.text)}</code>` : esc(p.text))).join('')}</td></tr>`);
  return `<table class="inputs">\n${rows.join('\n')}\n</table>`;
}

function summary(plan: Plan): string {
  const counts: Record<string, number> = { ...plan.summary };
  const closing = closingLines(plan);
  return [
    '<table class="summary">',
    `<tr>${SUMMARY_COLUMNS.map((c) => `<th scope="col" class="a-${c.action}">${esc(`${c.symbol} ${c.label}`)}</th>`).join('')}</tr>`,
    `<tr>${SUMMARY_COLUMNS.map((c) => `<td class="a-${c.action}">${counts[c.action] ?? 0}</td>`).join('')}</tr>`,
    '</table>',
    `<p class="closing"><b>${esc(closing.headline)}</b>${closing.errors ? ` <b class="error">${esc(closing.errors)}</b>` : ''}</p>`,
  ].join('\n');
}

function findings(plan: Plan, h: string): string {
  const groups = findingGroups(plan);
  if (groups.length === 0) return '';
  const out = [`<${h}>Findings</${h}>`];
  for (const g of groups) {
    out.push(`<h4 class="sev-${g.severity}">${SEVERITY_TITLE[g.severity]} (${g.findings.length})</h4>`, `<ul class="findings sev-${g.severity}">`);
    for (const f of g.findings) {
      const { subject, cause } = findingSubject(f);
      out.push(`<li><span class="tag">${esc(f.kind)}</span> <code>${esc(subject)}</code>${cause ? ` (caused by <code>${esc(cause)}</code>)` : ''}: ${esc(f.message)}</li>`);
    }
    out.push('</ul>');
  }
  return out.join('\n');
}

function diagnostics(plan: Plan, h: string): string {
  if (plan.diagnostics.length === 0) return '';
  const items = plan.diagnostics.map((d) => {
    const where = d.location ? `<code>${esc(formatLocation(d.location))}</code>: ` : '';
    const what = d.resource ? ` (<code>${esc(formatKey(d.resource))}</code>)` : '';
    return `<li class="diag-${d.severity}"><b>${d.severity}</b> ${where}${esc(d.message)}${what}</li>`;
  });
  return `<${h}>Diagnostics</${h}>\n<ul class="diagnostics">\n${items.join('\n')}\n</ul>`;
}

function hooks(plan: Plan, h: string): string {
  if (plan.hooks.length === 0) return '';
  const { run, runIntro, skipped, skippedIntro } = hookLines(plan.hooks);
  const out = [`<${h}>Hooks</${h}>`];
  if (run.length > 0) {
    out.push(`<p>${esc(runIntro)}</p>`, '<ul class="hooks">');
    out.push(...run.map((x) => `<li><b>${esc(x.phases)}</b> <code>${esc(x.name)}</code> (${esc(x.notes)})${x.where ? ` <code class="muted">${esc(x.where)}</code>` : ''}</li>`), '</ul>');
  }
  if (skipped.length > 0) out.push(`<p>${esc(skippedIntro)}</p>`, '<ul class="hooks">', ...skipped.map((x) => `<li><code>${esc(x.name)}</code>: ${esc(x.why)}</li>`), '</ul>');
  return out.join('\n');
}

function kept(plan: Plan): string {
  const list = keptLines(plan);
  if (list.length === 0) return '';
  return `<p>${esc(KEPT_INTRO)}</p>\n<ul class="kept">\n${list.map((k) => `<li><code>${esc(k.name)}</code>${k.message ? `: ${esc(k.message)}` : ''}</li>`).join('\n')}\n</ul>`;
}

function childOverview(children: readonly ReportSection[]): string {
  const items = children.map((s) => `<li style="margin-left:${(s.child!.depth - 1) * 1.5}em"><code>${esc(s.child!.app)}</code> (<code>${esc(s.child!.path || '.')}</code>): ${esc(s.child!.line)}</li>`);
  return `<h2>Child apps (${children.length})</h2>\n<ul class="children">\n${items.join('\n')}\n</ul>`;
}

function change(e: ChangeEntry): string {
  const notes = [...(e.dangerous ? ['<b class="error">dangerous</b>'] : []), ...e.flags.filter((f) => f !== 'dangerous').map((f) => `<span class="flag">${esc(f)}</span>`)];
  const out = [`<details class="change a-${e.action}">`, `<summary><code class="action">${esc(`${e.symbol} ${e.verb}`)}</code> <b>${esc(e.name)}</b>${notes.map((n) => ` ${n}`).join('')}</summary>`, '<div class="body">'];
  if (e.source) out.push(`<p class="muted">Source: <code>${esc(e.source)}</code></p>`);
  if (e.message) out.push(`<pre class="message">${esc(e.message)}</pre>`);
  if (e.syncOptions) out.push(`<p>Sync options: <code>${esc(e.syncOptions)}</code></p>`);
  if (e.secretKeys.length > 0) out.push('<ul class="secret-keys">', ...e.secretKeys.map((k) => `<li><code>${esc(k.path)}</code>: ${esc(k.state)}</li>`), '</ul>');
  if (e.why.length > 0) {
    out.push(`<p><b>Why:</b> ${esc(WHY_INTRO)}</p>`, '<ul class="why">');
    for (const c of e.why) {
      const files = c.files.length > 0 ? ` (${c.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}${commitLines(c) ? `; ${commitLines(c)}` : ''})` : '';
      out.push(`<li><code title="${esc(c.oid)}">${esc(shortOid(c.oid))}</code> ${esc(c.subject)} — ${esc(c.author)}, <time datetime="${esc(c.date)}">${esc(c.date.slice(0, 10))}</time>${files}</li>`);
    }
    out.push('</ul>');
  }
  if (e.hunks.length > 0) {
    const lines = e.hunks.flatMap((h) => [...(h.header ? [`<span class="hunk">${esc(h.header)}</span>`] : []), ...h.lines.map(diffLine)]);
    out.push(`<pre class="diff">${lines.join('\n')}</pre>`);
  }
  out.push('</div>', '</details>');
  return out.join('\n');
}

function diffLine(line: string): string {
  const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
  return `<span class="${cls}">${esc(line)}</span>`;
}

/** Text and attribute values: &, <, >, quotes escaped. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --code: #f6f8fa; --add: #dafbe1; --add-fg: #116329; --del: #ffebe9; --del-fg: #82071e; --hunk: #ddf4ff; --warn: #9a6700; --err: #d1242f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --code: #151b23; --add: #12261e; --add-fg: #7ee787; --del: #25171c; --del-fg: #ffa198; --hunk: #121d2f; --warn: #d29922; --err: #f85149; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2em auto; max-width: 75em; padding: 0 1em; }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code); border-radius: 4px; padding: 0 .3em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 1px solid var(--line); padding-bottom: .2em; } h3, h4 { font-size: 1.1em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid var(--line); padding: .25em .7em; text-align: left; }
table.summary td { text-align: right; font-variant-numeric: tabular-nums; }
table.inputs th { font-weight: 600; white-space: nowrap; }
.muted { color: var(--muted); }
.error, .diag-error b, h4.sev-danger, h3.sev-danger { color: var(--err); }
.diag-warning b, h4.sev-warning, h3.sev-warning { color: var(--warn); }
.tag, .flag { border: 1px solid var(--line); border-radius: 1em; padding: 0 .5em; font-size: .85em; }
details.change { border: 1px solid var(--line); border-radius: 6px; margin: .4em 0; }
details.change > summary { cursor: pointer; padding: .4em .7em; }
details.change[open] > summary { border-bottom: 1px solid var(--line); }
details.change .body { padding: 0 .7em .5em; }
.a-create .action { color: var(--add-fg); } .a-delete .action, .a-error .action { color: var(--err); } .a-update .action, .a-replace .action { color: var(--warn); }
pre { background: var(--code); border-radius: 6px; padding: .6em .8em; overflow-x: auto; white-space: pre; }
pre.message { white-space: pre-wrap; }
pre.diff span { display: inline-block; min-width: 100%; }
pre.diff .add { background: var(--add); color: var(--add-fg); }
pre.diff .del { background: var(--del); color: var(--del-fg); }
pre.diff .hunk { background: var(--hunk); color: var(--muted); }
`
  .trim()
  .replace(/\n/g, ' ');
