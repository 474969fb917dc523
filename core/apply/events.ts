/**
 * What an apply reports while it runs and when it ends: progress events, each object's result as
 * soon as it is known (history records it then), and the run's result.
 */
import type { KubeObject } from '../kube/types.js';
import type { FinishStatus, ObjectOutcome, ObjectState } from '../model/run.js';
import type { ResourceKey } from '../model/resource.js';
import type { Change } from '../plan/types.js';
import type { SyncPhase } from '../model/hooks.js';
import type { Step } from './order.js';

export type ApplyEvent =
  | { readonly type: 'started'; readonly steps: number; readonly changes: number; /** Hook runs among the steps (not counted in changes). */ readonly hooks?: number }
  | { readonly type: 'step-started'; readonly step: number; readonly wave: number; readonly phase: Step['phase']; readonly group: Step['group']; readonly early?: true; readonly count: number; readonly syncPhase: SyncPhase; readonly hooks?: true }
  | { readonly type: 'object'; readonly key: ResourceKey; readonly state: ObjectState; readonly message?: string; readonly step: number }
  | { readonly type: 'message'; readonly text: string }
  | { readonly type: 'finished'; /** How the run ends, as its own process decides. */ readonly status: FinishStatus; readonly error?: string; readonly elapsedMs: number };

/** One object's outcome, reported as soon as it is known (history records it then). */
export interface ObjectResult {
  readonly key: ResourceKey;
  readonly action: Change['action'];
  /**
   * `applied`: the server accepted the write; when the step failed, its health was not (or could not be) checked.
   * `unknown`: the write was sent but no answer came, so it may or may not have been carried out (plan again to see).
   */
  readonly outcome: Exclude<ObjectOutcome, 'unchanged'>;
  readonly message?: string;
  readonly step: number;
  readonly wave: number;
  /** Set for a hook: the phase it ran in (its key carries the name it was given). */
  readonly hook?: SyncPhase;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The live object before the change (for revert), and after. */
  readonly before?: KubeObject;
  readonly after?: KubeObject;
}

export interface ApplyResult {
  readonly status: FinishStatus;
  readonly error?: string;
  readonly results: readonly ObjectResult[];
}
