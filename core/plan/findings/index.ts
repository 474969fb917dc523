/**
 * Findings (DESIGN.md: a consequence of a Change that a reviewer should know): rollout impact
 * (rollout.ts, config-use.ts) and risks (risks.ts), computed from the plan's changes — their
 * normalized before and after sides, noops included, which carry the app's unchanged objects —
 * and a small live context (context.ts). A view of the changes, never a second diff. Pure.
 */
import { compareForReview } from '../assemble.js';
import type { Change, Finding, FindingSeverity } from '../types.js';
import { CONFIG_DELETED_IN_USE, configFindings, USE_RULES } from './config-use.js';
import { contextNeeds, type ContextNeeds, type FindingsContext } from './context.js';
import { plannedObject } from './fields.js';
import { RISK_RULES, riskFindings } from './risks.js';
import { replacing, ROLLOUT_RULES, rollouts } from './rollout.js';

export type { ContextNeeds, DeletedCrd, FindingsContext, NamespaceContents } from './context.js';

export interface FindingsInput {
  readonly changes: readonly Change[];
  /** What the cluster holds besides the plan's objects; absent in a comparison (the rules that need it stay quiet or say less). */
  readonly live?: FindingsContext;
}

/** Every rule that can fire, by name (Finding.rule). */
export const FINDING_RULES: readonly string[] = [...ROLLOUT_RULES, ...USE_RULES.map((r) => r.rule).filter((r) => r !== 'config-ignored'), CONFIG_DELETED_IN_USE, ...RISK_RULES.map((r) => r.rule)];

const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { danger: 0, warning: 1, info: 2 };

/**
 * The rules' reading of a plan's changes, in two steps around the live reads: the changes are read
 * once (each side parsed on first use) and the rollouts worked out, which decide what of the
 * cluster the rules need (`needs`); then the findings, given what was read of it.
 */
export interface PlanFindings {
  /** The live reads the rules need for these changes (none when nothing asks for them). */
  readonly needs: ContextNeeds;
  /** Most severe first (sortFindings). Without `live` (a comparison), the rules that need it stay quiet or say less. */
  findings(live?: FindingsContext): Finding[];
}

export function planFindings(changes: readonly Change[]): PlanFindings {
  const objects = changes.map(plannedObject);
  const rolled = rollouts(objects);
  const replaced = replacing(rolled);
  return {
    needs: contextNeeds(objects, replaced),
    findings: (live = {}) => sortFindings([...riskFindings({ objects, live, replacing: replaced }), ...rolled.map((r) => r.finding), ...configFindings(objects, replaced)]),
  };
}

export function computeFindings(input: FindingsInput): Finding[] {
  return planFindings(input.changes).findings(input.live);
}

/** Most severe first; then risks before impact, the subject in review order, the rule, the message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || text(b.kind, a.kind) || compareForReview(a.subject, b.subject) || text(a.rule, b.rule) || text(a.message, b.message),
  );
}
