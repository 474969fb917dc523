/**
 * An apply's progress as the UI shows it, folded from the engine's events for one run. Pure, so
 * the view only renders it.
 */
import type { ApplyEngineEvent, EngineEvent, ObjectState, ResourceKey, SyncPhase } from '../../core/api/contract.js';
import { keyLabel } from './format.js';

/** `progressing`: every object applied, some still wait for something outside the app (a load balancer's address). */
export type ProgressStatus = 'starting' | 'running' | 'succeeded' | 'progressing' | 'failed' | 'cancelled' | 'refused';

export interface ProgressObject {
  readonly key: ResourceKey;
  readonly label: string;
  readonly state: ObjectState;
  readonly message?: string;
}

type StepEvent = Extract<EngineEvent, { type: 'apply-step' }>;

export interface ProgressStep {
  readonly step: number;
  readonly syncPhase: SyncPhase;
  readonly wave: number;
  readonly phase: 'upsert' | 'delete';
  /** Absent until the step's own event arrives. */
  readonly group?: StepEvent['group'];
  /** Its objects are hooks. */
  readonly hooks?: true;
  readonly count: number;
  /** In the order they were first reported. */
  readonly objects: readonly ProgressObject[];
}

export interface ApplyProgress {
  readonly status: ProgressStatus;
  readonly totalSteps?: number;
  readonly totalChanges?: number;
  readonly steps: readonly ProgressStep[];
  readonly messages: readonly string[];
  readonly error?: string;
  readonly elapsedMs?: number;
}

export const INITIAL_PROGRESS: ApplyProgress = { status: 'starting', steps: [], messages: [] };

/** States after which an object needs nothing more. */
export const DONE_STATES: ReadonlySet<ObjectState> = new Set(['healthy', 'progressing', 'deleted', 'failed', 'skipped', 'unknown']);

export function isFinished(p: ApplyProgress): boolean {
  return p.status !== 'starting' && p.status !== 'running';
}

export function foldEvent(p: ApplyProgress, e: ApplyEngineEvent): ApplyProgress {
  switch (e.type) {
    case 'apply-started':
      return { ...p, status: 'running', totalSteps: e.steps, totalChanges: e.changes };
    case 'apply-step': {
      const objects = p.steps.find((s) => s.step === e.step)?.objects ?? [];
      const step: ProgressStep = { step: e.step, syncPhase: e.syncPhase, wave: e.wave, phase: e.phase, group: e.group, ...(e.hooks && { hooks: true }), count: e.count, objects };
      return { ...p, status: p.status === 'starting' ? 'running' : p.status, steps: [...p.steps.filter((s) => s.step !== e.step), step].sort((a, b) => a.step - b.step) };
    }
    case 'apply-object': {
      const label = keyLabel(e.key);
      const obj: ProgressObject = { key: e.key, label, state: e.state, ...(e.message !== undefined && { message: e.message }) };
      const existing = p.steps.find((s) => s.step === e.step) ?? { step: e.step, syncPhase: 'Sync' as const, wave: 0, phase: 'upsert' as const, count: 0, objects: [] };
      const objects = existing.objects.some((o) => o.label === label) ? existing.objects.map((o) => (o.label === label ? obj : o)) : [...existing.objects, obj];
      return { ...p, steps: [...p.steps.filter((s) => s.step !== e.step), { ...existing, objects }].sort((a, b) => a.step - b.step) };
    }
    case 'apply-message':
      return { ...p, messages: [...p.messages, e.text] };
    case 'apply-finished':
      return { ...p, status: e.status, ...(e.error !== undefined && { error: e.error }), elapsedMs: e.elapsedMs };
  }
}

export function progressOf(events: readonly EngineEvent[], runId: string): ApplyProgress {
  return events.filter((e): e is ApplyEngineEvent => e.type.startsWith('apply-') && (e as ApplyEngineEvent).runId === runId).reduce(foldEvent, INITIAL_PROGRESS);
}

/** Changes finished so far, over all steps (hooks are no changes: their steps are not counted, as totalChanges does not count them). */
export function doneCount(p: ApplyProgress): number {
  // "applied" with a message is an end too: not waited for (slipway.dev/wait: applied), or its health could not be read.
  return p.steps.reduce((n, s) => (s.hooks ? n : n + s.objects.filter((o) => DONE_STATES.has(o.state) || (o.state === 'applied' && o.message !== undefined)).length), 0);
}

/** States a change ends in without having been carried out (or without being known to be). */
const NOT_FINISHED: ReadonlySet<ObjectState> = new Set(['failed', 'skipped', 'unknown']);

/** Changes of a run that ended badly that did not finish: failed, skipped, unknown, or never reported. */
export function unfinishedCount(p: ApplyProgress, total: number): number {
  const finished = p.steps.reduce((n, s) => (s.hooks ? n : n + s.objects.filter((o) => (DONE_STATES.has(o.state) || (o.state === 'applied' && o.message !== undefined)) && !NOT_FINISHED.has(o.state)).length), 0);
  return Math.max(0, total - finished);
}

/** How a run that ended badly begins its count. */
const ENDED_BADLY: Readonly<Partial<Record<ProgressStatus, string>>> = { failed: 'Failed', cancelled: 'Cancelled', refused: 'Refused' };

/** "2 of 6 changes done" while it runs and after it succeeded; "Failed: 1 of 1 change did not finish" after it ended badly. */
export function countText(p: ApplyProgress, total: number): string {
  const changes = `change${total === 1 ? '' : 's'}`;
  const ended = ENDED_BADLY[p.status];
  if (ended) return `${ended}: ${unfinishedCount(p, total)} of ${total} ${changes} did not finish`;
  return `${doneCount(p)} of ${total} ${changes} done`;
}

/** "1:05", "12.3 s". */
export function elapsedLabel(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
