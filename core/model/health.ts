/**
 * The health words (one definition of the fixed set): what the per-kind health rules
 * (core/apply/health) say of an object, and what the live tree (core/watch) shows for each node.
 * Vocabulary from gitops-engine `pkg/health`; see core/apply/health/types.ts for what each means.
 */
export const HEALTH_STATUSES = ['healthy', 'progressing', 'degraded', 'missing', 'unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** One object's health as a rule says it: the status and one line a person understands. */
export interface Health {
  readonly status: HealthStatus;
  readonly message: string;
}
