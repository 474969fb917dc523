/**
 * Views of a PlanSet (an app of apps): the parent's plan as its own view shows it, then per child
 * app a header with its summary line and its own plan (changes included); a closing overview. The
 * JSON view is the parent's plan with a `children` array of child plans (each a Plan as the JSON
 * view of one plan writes it, so `jq .children[0].plan` is a plan file `slipway apply` takes).
 * A set without children is exactly its plan's view (no `children` key).
 */
import { childPlansInOrder, type ChildPlan, type PlanSet } from './plan-set.js';
import { projectPlan } from './view-json.js';
import { renderPlanText, type TextViewOptions } from './view-text.js';
import type { Plan } from './types.js';

/** "2 to add, 1 to change, 0 to destroy", "no changes", "3 errors", "not planned: …" */
export function summaryLine(plan: Plan | undefined, error?: { readonly message: string }): string {
  if (!plan) return `not planned: ${error?.message ?? 'unknown error'}`;
  const s = plan.summary;
  const errors = s.error + plan.diagnostics.filter((d) => d.severity === 'error').length;
  const changes = s.create + s.update + s.delete + s.replace;
  const counts = changes === 0 ? 'no changes' : `${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy`;
  return errors > 0 ? `${counts}, ${errors} error${errors === 1 ? '' : 's'}` : counts;
}

const depthOf = (c: ChildPlan, all: readonly ChildPlan[]): number => {
  let depth = 1;
  for (let p = all.find((o) => o.app === c.parent); p; p = all.find((o) => o.app === p!.parent)) depth++;
  return depth;
};

export function renderPlanSetText(set: PlanSet, opts: TextViewOptions = {}): string {
  const parent = renderPlanText(set.plan, opts);
  if (set.children.length === 0) return parent;
  const bold = (t: string): string => (opts.color ? `\u001b[1m${t}\u001b[0m` : t);
  const all = childPlansInOrder(set);
  const sections = [parent];
  for (const c of all) {
    const header = bold(`━━ child app ${c.app} of ${c.parent} (${c.path || '.'}): ${summaryLine(c.plan, c.error)}`);
    sections.push(c.plan ? `${header}\n\n${renderPlanText(c.plan, opts)}` : `${header}\n`);
  }
  const tree = [
    `${set.plan.inputs.app.name}: ${summaryLine(set.plan)}`,
    ...all.map((c) => `${'  '.repeat(depthOf(c, all))}└ ${c.app}: ${summaryLine(c.plan, c.error)}`),
  ];
  sections.push(`${bold(`App of apps: ${set.plan.inputs.app.name} and ${all.length} child app${all.length === 1 ? '' : 's'}`)}\n${tree.join('\n')}\n`);
  return sections.join('\n');
}

/** The parent's plan with `children` (each: app, parent, path, and its plan or the error that stopped it). */
export function renderPlanSetJson(set: PlanSet): string {
  const child = (c: ChildPlan): unknown => ({ app: c.app, parent: c.parent, path: c.path, ...(c.plan && { plan: projectPlan(c.plan) }), ...(c.error && { error: { ...c.error } }), children: c.children.map(child) });
  return `${JSON.stringify({ ...projectPlan(set.plan), ...(set.children.length > 0 && { children: set.children.map(child) }) }, null, 2)}\n`;
}
