/**
 * A plan's findings (rollout impact and risks) for the UI: grouped as the text plan shows them,
 * counted by severity, and found per object for the tree's badges and the opened change. Pure;
 * the engine computed them (core/plan/findings), the UI never judges a change itself.
 */
import type { Change, Plan, ResourceKey } from '../../core/api/contract.js';

export type Finding = Plan['findings'][number];
export type FindingSeverity = Finding['severity'];

/** Most severe first (the plan's order; core/plan/types.ts FINDING_SEVERITIES, which the renderer may not import). */
const SEVERITIES: readonly FindingSeverity[] = ['danger', 'warning', 'info'];

/** What a severity means, for its badge's tooltip (the badge says the severity itself, as the text plan does). */
export const SEVERITY_EXPLAIN: Readonly<Record<FindingSeverity, string>> = {
  danger: 'loses data or availability',
  warning: 'check before applying',
  info: 'worth knowing',
};

/** The sections of the panel, as the text plan has them: risks, then rollout impact. */
export const FINDING_SECTIONS: readonly { readonly kind: Finding['kind']; readonly title: string; readonly explain: string }[] = [
  { kind: 'risk', title: 'Risks', explain: 'changes that can lose data, availability or access' },
  { kind: 'impact', title: 'Rollout impact', explain: 'which Pods this plan restarts, or does not, and why' },
];

/** One object's identity in a plan, whatever its API version. */
export const objectId = (key: ResourceKey): string => `${key.group}/${key.kind}/${key.namespace ?? ''}/${key.name}`;

/** The findings about each object (its subject), in the plan's order. */
export function findingsByObject(findings: readonly Finding[]): ReadonlyMap<string, readonly Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const id = objectId(f.subject);
    out.set(id, [...(out.get(id) ?? []), f]);
  }
  return out;
}

export function findingsOf(byObject: ReadonlyMap<string, readonly Finding[]>, change: Pick<Change, 'key'>): readonly Finding[] {
  return byObject.get(objectId(change.key)) ?? [];
}

/** The most severe of some findings, undefined for none. */
export function worstSeverity(findings: readonly Finding[]): FindingSeverity | undefined {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s));
}

/** "1 danger · 2 warnings · 3 info" */
export function severityCounts(findings: readonly Finding[]): string {
  return SEVERITIES.flatMap((s) => {
    const n = findings.filter((f) => f.severity === s).length;
    return n === 0 ? [] : [`${n} ${s === 'warning' && n !== 1 ? 'warnings' : s}`];
  }).join(' · ');
}
