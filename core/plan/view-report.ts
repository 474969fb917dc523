/**
 * What the document views of a plan (Markdown for a pull-request comment, a self-contained HTML
 * page) say, in the order they say it: a title and header lines, the counts, the closing line,
 * findings by severity, diagnostics, hooks, then each change with its diff. Each view only
 * writes these down in its own syntax (and escapes them), so the two cannot drift apart. A view
 * of the Plan (DESIGN.md rule 2): the diffs come from the Change's before/after, which hold
 * Secret values masked already (rule 7).
 */
import { formatLocation } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import { childPlansInOrder, type ChildPlan, type PlanSet } from './plan-set.js';
import type { Action, Change, ChangeCommit, Finding, FindingSeverity, Plan, PlannedHook } from './types.js';
import { FINDING_SEVERITIES } from './types.js';
import { changeHunks, secretKeyStates, showsDiff, type DiffHunk } from './view-diff.js';
import { summaryLine } from './view-set.js';
import { ACTIONS, FLAG_TEXT } from './view-text.js';

export type ListedAction = Exclude<Action, 'noop'>;

/** "Slipway plan", or "Slipway comparison" for two revisions or contexts. */
export function reportTitle(plan: Plan): string {
  const { app, cluster, mode } = plan.inputs;
  if (mode.kind === 'compare') return `Slipway comparison: ${app.name}, ${mode.before} → ${mode.after}`;
  const what = mode.kind === 'rollback' ? 'rollback plan' : mode.kind === 'revert' ? 'revert plan' : 'plan';
  return `Slipway ${what}: ${app.name}${cluster ? ` → ${cluster.context}` : ''}`;
}

/** One line of the header: a label and its parts, each plain text or code (an id, a path, a name). */
export interface HeaderLine {
  readonly label: string;
  readonly parts: ReadonlyArray<{ readonly text: string; readonly code?: true }>;
}

const code = (text: string): { text: string; code: true } => ({ text, code: true });
const plain = (text: string): { text: string } => ({ text });

/** What the plan was made from: app, revision, charts, cluster or the two compared sides, what it reverts or rolls back to, id and time. */
export function headerLines(plan: Plan): HeaderLine[] {
  const { app, commit, treeOid, cluster, mode } = plan.inputs;
  const details = [app.path || '.', app.sourceType, ...(app.namespace ? [`namespace ${app.namespace}`] : [])].join(', ');
  const lines: HeaderLine[] = [{ label: 'App', parts: [code(app.name), plain(` (${details})`)] }];
  lines.push({ label: 'Revision', parts: commit === ':working' ? [plain('the working copy'), plain(' (tree '), code(treeOid.slice(0, 12)), plain(')')] : [code(commit.slice(0, 12))] });
  for (const c of plan.inputs.charts ?? []) lines.push({ label: 'Chart', parts: [code(`${c.chart} ${c.version}`), plain(` from ${c.repoURL} (`), code(c.digest.slice(0, 19)), plain(')')] });
  if (mode.kind === 'compare') {
    lines.push({ label: 'Before', parts: [code(mode.before)] }, { label: 'After', parts: [code(mode.after)] });
  }
  if (cluster) lines.push({ label: 'Cluster', parts: [code(cluster.context), plain(` (${cluster.server}, ${cluster.version})`)] });
  if (mode.kind === 'revert') lines.push({ label: 'Reverts', parts: [plain('run '), code(mode.of), plain(' (restores what that run changed)')] });
  if (mode.kind === 'rollback') lines.push({ label: 'Rollback', parts: [plain('to run '), code(mode.to), plain(' (the app as that run left it)')] });
  lines.push({ label: mode.kind === 'compare' ? 'Comparison' : 'Plan', parts: [code(plan.id), plain(`, ${plan.createdAt}`), ...(mode.kind === 'compare' ? [plain(' (nothing here can be applied)')] : [])] });
  return lines;
}

/** The summary table's columns, in the order of the text view's legend, then the unchanged objects. */
export const SUMMARY_COLUMNS: ReadonlyArray<{ readonly action: Action; readonly symbol: string; readonly label: string }> = [
  { action: 'create', symbol: '+', label: 'create' },
  { action: 'update', symbol: '~', label: 'update' },
  { action: 'replace', symbol: '-/+', label: 'replace' },
  { action: 'delete', symbol: '-', label: 'delete' },
  { action: 'error', symbol: '!', label: 'error' },
  { action: 'noop', symbol: '=', label: 'unchanged' },
];

/** The closing lines, as the text view ends: "Plan: 3 to add, 2 to change, 1 to destroy." and the errors that stop it. */
export function closingLines(plan: Plan): { readonly headline: string; readonly errors?: string } {
  const s = plan.summary;
  const comparison = plan.inputs.mode.kind === 'compare';
  const errors = s.error + plan.diagnostics.filter((d) => d.severity === 'error').length;
  const changes = s.create + s.update + s.delete + s.replace;
  const headline = changes === 0 && errors === 0 ? `No changes. ${comparison ? 'Both sides are the same.' : 'The cluster matches the revision.'}` : `${comparison ? 'Differences' : 'Plan'}: ${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy.`;
  return { headline, ...(errors > 0 && { errors: `${errors} ${errors === 1 ? 'error' : 'errors'}: ${comparison ? 'see the diagnostics' : 'this plan cannot be applied'}.` }) };
}

export const SEVERITY_TITLE: Readonly<Record<FindingSeverity, string>> = { danger: 'Danger', warning: 'Warning', info: 'Info' };

/** Findings (impact and risk) by severity, most severe first; within one, in the plan's order. Empty groups are left out. */
export function findingGroups(plan: Plan): Array<{ readonly severity: FindingSeverity; readonly findings: readonly Finding[] }> {
  return FINDING_SEVERITIES.map((severity) => ({ severity, findings: plan.findings.filter((f) => f.severity === severity) })).filter((g) => g.findings.length > 0);
}

/** "Deployment.apps shop/web", and the object that causes it when another one does. */
export function findingSubject(f: Finding): { readonly subject: string; readonly cause?: string } {
  return { subject: formatKey(f.subject), ...(f.cause && { cause: formatKey(f.cause) }) };
}

/** Hooks that run on apply (phase order), and those left out with why; each list with the sentence that opens it. */
export function hookLines(hooks: readonly PlannedHook[]): {
  readonly run: Array<{ readonly phases: string; readonly name: string; readonly notes: string; readonly where?: string }>;
  readonly runIntro: string;
  readonly skipped: Array<{ readonly name: string; readonly why: string }>;
  readonly skippedIntro: string;
} {
  const name = (h: PlannedHook): string => `${formatKey(h.key)}${h.generateName ? '…' : ''}`;
  const runs = hooks.filter((h) => h.skipped === undefined).length;
  return {
    runIntro: `On apply, ${runs} hook${runs === 1 ? ' runs' : 's run'} (no changes: created on every apply, then deleted by their policy):`,
    skippedIntro: `Not run (${hooks.length - runs}):`,
    run: hooks
      .filter((h) => h.skipped === undefined)
      .map((h) => ({
        phases: h.phases.join(', '),
        name: name(h),
        notes: [h.from === 'argocd' ? 'Argo CD hook' : 'Helm hook', ...(h.wave !== 0 ? [`wave ${h.wave}`] : []), `deleted ${h.deletePolicies.join(', ')}`, ...(h.generateName ? ['named when it runs'] : [])].join('; '),
        ...(h.source && { where: formatLocation(h.source) }),
      })),
    skipped: hooks.filter((h) => h.skipped !== undefined).map((h) => ({ name: name(h), why: h.skipped! })),
  };
}

/** One listed change as the document views show it. */
export interface ChangeEntry {
  readonly action: ListedAction;
  readonly symbol: string;
  readonly verb: string;
  /** "Deployment.apps shop/web". */
  readonly name: string;
  readonly flags: readonly string[];
  readonly dangerous: boolean;
  readonly source?: string;
  readonly message?: string;
  readonly syncOptions?: string;
  /** A Secret's keys that changed: `data.password` (changed). */
  readonly secretKeys: ReadonlyArray<{ readonly path: string; readonly state: string }>;
  readonly why: readonly ChangeCommit[];
  /** The unified diff; empty when the change shows none (an error, a Secret whose data alone changed). */
  readonly hunks: readonly DiffHunk[];
}

/** The changes a reviewer reads: all but noop, in the plan's order (sorted by key). */
export function changeEntries(plan: Plan): ChangeEntry[] {
  return plan.changes.filter((c): c is Change & { action: ListedAction } => c.action !== 'noop').map(changeEntry);
}

function changeEntry(change: Change & { action: ListedAction }): ChangeEntry {
  const a = ACTIONS[change.action];
  return {
    action: change.action,
    symbol: a.symbol.trim(),
    verb: a.verb,
    name: formatKey(change.key),
    flags: change.flags.map((f) => FLAG_TEXT[f]),
    dangerous: change.flags.includes('dangerous'),
    ...(change.source && { source: formatLocation(change.source) }),
    ...(change.message && { message: change.message }),
    ...(change.syncOptions?.length && { syncOptions: change.syncOptions.join(', ') }),
    secretKeys: secretKeyStates(change),
    why: change.why ?? [],
    hunks: showsDiff(change) ? changeHunks(change) : [],
  };
}

/** The heading of the listed changes. */
export function changesHeading(plan: Plan): string {
  return plan.inputs.mode.kind === 'compare' ? 'Differences' : 'Changes';
}

/** What opens a change's commits (after a bold "Why:"). */
export const WHY_INTRO = 'the commits that changed its sources';

/** The lines of the after side a commit last changed, as its file list ends: "line 32", "lines 12, 14"; undefined for none. */
export function commitLines(c: ChangeCommit): string | undefined {
  return c.lines?.length ? `${c.lines.length === 1 ? 'line' : 'lines'} ${c.lines.join(', ')}` : undefined;
}

/** What opens the list of objects that are kept. */
export const KEPT_INTRO = 'Kept, although no longer in the revision:';

/** Objects no longer in the revision that are kept (not deleted), with why. */
export function keptLines(plan: Plan): Array<{ readonly name: string; readonly message?: string }> {
  return plan.changes.filter((c) => c.action === 'noop' && c.flags.includes('kept')).map((c) => ({ name: formatKey(c.key), ...(c.message && { message: c.message }) }));
}

/** What to run to see everything: `slipway diff` for a comparison, `slipway plan` otherwise. */
export function fullViewCommand(plan: Plan): string {
  return plan.inputs.mode.kind === 'compare' ? 'slipway diff' : 'slipway plan';
}

/** A plan of a set with its place: the set's own plan first (no parent), then each child app in order, or the error that stopped it. */
export interface ReportSection {
  readonly child?: { readonly app: string; readonly parent: string; readonly path: string; readonly depth: number; readonly line: string };
  readonly plan?: Plan;
  readonly error?: string;
}

export function reportSections(set: PlanSet): ReportSection[] {
  const all = childPlansInOrder(set);
  const depthOf = (c: ChildPlan): number => {
    let depth = 1;
    for (let p = all.find((o) => o.app === c.parent); p; p = all.find((o) => o.app === p!.parent)) depth++;
    return depth;
  };
  return [
    { plan: set.plan },
    ...all.map((c) => ({
      child: { app: c.app, parent: c.parent, path: c.path, depth: depthOf(c), line: summaryLine(c.plan, c.error) },
      ...(c.plan && { plan: c.plan }),
      ...(c.error && { error: c.error.message }),
    })),
  ];
}

/** Short commit id, as the reviewer's git shows it; "working" for what is not committed yet (Change.why's ":working"). */
export function shortOid(oid: string): string {
  return oid === ':working' ? 'working' : oid.slice(0, 7);
}
