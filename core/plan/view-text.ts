/**
 * The text view of a Plan (DESIGN.md rule 2: a view, the plan is computed elsewhere), shaped
 * like `terraform plan`: a header, the plan's findings (risks, then rollout impact), one block
 * per change with a unified diff of the before and after YAML (3 lines of context), then
 * `Plan: N to add, N to change, N to destroy.`
 *
 * Secret values never reach here (the Change holds them masked); Secrets show per-key lines.
 * Colour only when `opts.color` is set (the CLI decides from the TTY and NO_COLOR).
 */
import { formatDiagnostic } from '../model/diagnostics.js';
import { formatLocation } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import type { Action, Change, ChangeFlag, Finding, FindingKind, FindingSeverity, Plan, PlannedHook } from './types.js';
import { changeHunks, secretKeyStates, showsDiff } from './view-diff.js';

export interface TextViewOptions {
  readonly color?: boolean;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const ANSI: Readonly<Record<Style, string>> = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' };
type Paint = (style: Style, text: string) => string;

/** Symbol column (right-aligned to 3, like Terraform), verb, colour, legend text. Noop is never listed. */
export const ACTIONS: Readonly<Record<Exclude<Action, 'noop'>, { symbol: string; verb: string; style: Style; legend: string }>> = {
  create: { symbol: '  +', verb: 'create', style: 'green', legend: 'create' },
  update: { symbol: '  ~', verb: 'update', style: 'yellow', legend: 'update in place' },
  replace: { symbol: '-/+', verb: 'replace', style: 'yellow', legend: 'delete, then create again (replace)' },
  delete: { symbol: '  -', verb: 'delete', style: 'red', legend: 'delete' },
  error: { symbol: '  !', verb: 'error', style: 'red', legend: 'error: the server refused it' },
};

export const FLAG_TEXT: Readonly<Record<ChangeFlag, string>> = {
  'after-crd': 'after CRD',
  'after-namespace': 'after namespace',
  approximate: 'approximate: no permission to dry-run',
  dangerous: 'dangerous',
  'other-applyset': 'owned by another ApplySet',
  'other-manager': 'fields managed by another manager',
  adopt: 'adopt',
  confirm: 'needs confirmation',
  kept: 'kept',
};

const INDENT = '      ';

export function renderPlanText(plan: Plan, opts: TextViewOptions = {}): string {
  const paint: Paint = opts.color ? (style, text) => `\u001b[${ANSI[style]}m${text}\u001b[0m` : (_style, text) => text;
  const listed = plan.changes.filter((c) => c.action !== 'noop');
  const sections = [header(plan, paint)];
  sections.push(...findingSections(plan.findings, paint));
  if (listed.length > 0) sections.push(legend(listed, paint, plan.inputs.mode.kind === 'compare'), ...listed.map((c) => changeBlock(c, paint)));
  const kept = plan.changes.filter((c) => c.action === 'noop' && c.flags.includes('kept'));
  if (kept.length > 0) sections.push(['Kept, although no longer in the revision:', ...kept.map((c) => `  ${paint('bold', `= keep ${formatKey(c.key)}`)}${c.message ? `: ${c.message}` : ''}`)].join('\n'));
  if (plan.hooks.length > 0) sections.push(hooksSection(plan.hooks, paint));
  if (plan.diagnostics.length > 0) sections.push(['Diagnostics:', ...plan.diagnostics.map((d) => `  ${formatDiagnostic(d)}`)].join('\n'));
  sections.push(footer(plan, paint));
  return `${sections.join('\n\n')}\n`;
}

function header(plan: Plan, paint: Paint): string {
  const { app, commit, treeOid, repo, cluster, mode } = plan.inputs;
  const comparison = mode.kind === 'compare' ? mode : undefined;
  const revision = commit === ':working' ? 'working copy' : commit.slice(0, 12);
  return [
    paint('bold', comparison ? `Slipway comparison of ${comparison.compared} ${plan.id}` : `Slipway plan ${plan.id}`),
    `  app       ${app.name} (${app.path || '.'}, ${app.sourceType}${app.namespace ? `, namespace ${app.namespace}` : ''})`,
    `  repo      ${repo}`,
    `  revision  ${revision} (tree ${treeOid.slice(0, 12)})`,
    ...(plan.inputs.charts ?? []).map((c) => `  chart     ${c.chart} ${c.version} from ${c.repoURL} (${c.digest.slice(0, 19)})`),
    ...(cluster ? [`  cluster   ${cluster.context}  ${cluster.server}  ${cluster.version}`] : []),
    ...(comparison ? [] : [`  applyset  ${plan.inputs.applySet.parent}${(plan.inputs.applySet.adopts ?? []).map((a) => `, taking over ${a.parent}`).join('')}`]),
    ...(app.wait ? [`  waits     ${Object.entries(app.wait).map(([kind, mode]) => `${kind}: ${mode}`).join(', ')} (options.wait; an object's slipway.dev/wait wins)`] : []),
    ...(mode.kind === 'revert' ? [`  reverts   ${mode.of} (restores what that run changed)`] : []),
    ...(mode.kind === 'rollback' ? [`  rollback  to run ${mode.to} (the app as that run left it)`] : []),
    ...(comparison ? [`  before    ${comparison.before}`, `  after     ${comparison.after}`, '  (a comparison: nothing here can be applied)'] : []),
    `  created   ${plan.createdAt}`,
  ].join('\n');
}

function legend(listed: readonly Change[], paint: Paint, comparison: boolean): string {
  const used = (Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>).filter((a) => listed.some((c) => c.action === a));
  const intro = comparison ? 'Differences from "before" to "after":' : 'Slipway will perform the following actions:';
  return ['Actions are shown with these symbols:', ...used.map((a) => `${symbol(a, paint)} ${ACTIONS[a].legend}`), '', intro].join('\n');
}

function symbol(action: Exclude<Action, 'noop'>, paint: Paint): string {
  if (action === 'replace') return `${paint('red', '-')}/${paint('green', '+')}`;
  const { symbol: text, style } = ACTIONS[action];
  return `  ${paint(style, text.trim())}`;
}

function changeBlock(change: Change, paint: Paint): string {
  const action = change.action === 'noop' ? 'update' : change.action;
  const flags = change.flags.map((f) => paint(f === 'dangerous' ? 'red' : 'yellow', `[${FLAG_TEXT[f]}]`));
  const lines = [[`${symbol(action, paint)} ${paint('bold', `${ACTIONS[action].verb} ${formatKey(change.key)}`)}`, ...flags].join(' ')];
  if (change.source) lines.push(`${INDENT}${paint('dim', `# ${formatLocation(change.source)}`)}`);
  if (change.message) lines.push(...change.message.split('\n').map((l) => `${INDENT}${change.action === 'error' ? paint('red', l) : l}`));
  if (change.syncOptions?.length) lines.push(`${INDENT}${paint('dim', `sync options: ${change.syncOptions.join(', ')}`)}`);
  lines.push(...secretKeyStates(change).map(({ path, state }) => `${INDENT}${path}: (${state})`));
  lines.push(...whyLines(change, paint));
  if (showsDiff(change)) lines.push(...diffLines(change, paint));
  return lines.join('\n');
}

/** Why this change (`plan --why`): each commit that touched the object's sources, and for plain YAML the lines of the after side it last changed. */
function whyLines(change: Change, paint: Paint): string[] {
  if (!change.why?.length) return [];
  return [
    `${INDENT}Why: the commits that changed its sources`,
    ...change.why.map((c) => {
      const what = c.oid === ':working' ? `${paint('yellow', 'working')} ${c.subject}` : `${paint('yellow', c.oid.slice(0, 7))} ${c.date.slice(0, 10)} ${c.author}: ${c.subject}`;
      const lines = c.lines?.length ? `; ${c.lines.length === 1 ? 'line' : 'lines'} ${c.lines.join(', ')} of the after side` : '';
      return `${INDENT}  ${what}${c.files.length > 0 || lines ? paint('dim', ` (${c.files.join(', ')}${lines})`) : ''}`;
    }),
  ];
}

function diffLines(change: Change, paint: Paint): string[] {
  const out: string[] = [];
  for (const hunk of changeHunks(change)) {
    if (hunk.header) out.push(`${INDENT}${paint('cyan', hunk.header)}`);
    for (const line of hunk.lines) {
      const style: Style | undefined = line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : undefined;
      out.push(`${INDENT}${style ? paint(style, line) : line}`);
    }
  }
  return out;
}

const SEVERITY_STYLE: Readonly<Record<FindingSeverity, Style>> = { danger: 'red', warning: 'yellow', info: 'cyan' };
const FINDING_SECTIONS: readonly { readonly kind: FindingKind; readonly title: string }[] = [
  { kind: 'risk', title: 'Risks' },
  { kind: 'impact', title: 'Impact' },
];

/**
 * "Risks:" then "Impact:" (rollout impact: which Pods restart, or do not), before the changes: one
 * line per finding, its severity first, most severe first (the plan's order).
 */
function findingSections(findings: readonly Finding[], paint: Paint): string[] {
  return FINDING_SECTIONS.flatMap(({ kind, title }) => {
    const mine = findings.filter((f) => f.kind === kind);
    if (mine.length === 0) return [];
    return [[paint('bold', `${title}:`), ...mine.map((f) => `  ${paint(SEVERITY_STYLE[f.severity], f.severity)}${' '.repeat(9 - f.severity.length)}${f.message}`)].join('\n')];
  });
}

/** Who made it a hook, in the reader's words. */
const HOOK_FROM: Readonly<Record<PlannedHook['from'], string>> = { argocd: 'Argo CD hook', helm: 'Helm hook' };

/**
 * "Hooks: on apply, 2 hooks run (they are no changes: created on every apply, then deleted by
 * their policy)", one line per hook and phase in the order they run, then the hooks left out and why.
 */
function hooksSection(hooks: readonly PlannedHook[], paint: Paint): string {
  const run = hooks.filter((h) => h.skipped === undefined);
  const lines: string[] = [];
  if (run.length > 0) {
    lines.push(paint('bold', `Hooks: on apply, ${run.length} hook${run.length === 1 ? ' runs' : 's run'} (no changes: created on every apply, then deleted by their policy):`));
    for (const h of run) {
      const name = `${formatKey(h.key)}${h.generateName ? '…' : ''}`;
      const notes = [HOOK_FROM[h.from], ...(h.wave !== 0 ? [`wave ${h.wave}`] : []), `deleted ${h.deletePolicies.join(', ')}`, ...(h.generateName ? ['named when it runs'] : [])];
      const where = h.source ? `  ${paint('dim', formatLocation(h.source))}` : '';
      lines.push(`  ${paint('cyan', h.phases.join(', ').padEnd(9))} ${name} (${notes.join('; ')})${where}`);
    }
  }
  const skipped = hooks.filter((h) => h.skipped !== undefined);
  if (skipped.length > 0) {
    lines.push(paint('bold', `Hooks not run (${skipped.length}):`));
    for (const h of skipped) lines.push(`  ${formatKey(h.key)}${h.generateName ? '…' : ''}: ${h.skipped}`);
  }
  return lines.join('\n');
}

function footer(plan: Plan, paint: Paint): string {
  const s = plan.summary;
  const errors = s.error + plan.diagnostics.filter((d) => d.severity === 'error').length;
  const lines: string[] = [];
  if (s.noop > 0) lines.push(`${s.noop} unchanged ${s.noop === 1 ? 'object is' : 'objects are'} not shown.`);
  const comparison = plan.inputs.mode.kind === 'compare';
  if (s.create + s.update + s.delete + s.replace === 0 && errors === 0) {
    lines.push(`${paint('green', paint('bold', 'No changes.'))} ${comparison ? 'Both sides are the same.' : 'The cluster matches the revision.'}`);
    const hooks = plan.hooks.filter((h) => h.skipped === undefined).length;
    if (hooks > 0 && !comparison) lines.push(`Nothing is applied, so ${hooks === 1 ? 'its hook does' : `its ${hooks} hooks do`} not run: hooks run with an apply that has changes to make.`);
    return lines.join('\n');
  }
  lines.push(paint('bold', `${comparison ? 'Differences' : 'Plan'}: ${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy.`));
  if (errors > 0) lines.push(paint('red', `${errors} ${errors === 1 ? 'error' : 'errors'}: ${comparison ? 'see the diagnostics' : 'this plan cannot be applied'}.`));
  return lines.join('\n');
}
