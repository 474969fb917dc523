/**
 * The phases of an apply (PreSync, Sync, PostSync, SyncFail) and hooks in words for the UI: the
 * plan's hooks section, the apply's step headings and the history's hook badges. Pure.
 */
import type { DeletePolicy, PlannedHook, SyncPhase } from '../../core/api/contract.js';
import type { ProgressStep } from './applyProgress.js';

/** When each phase runs (as core/model/hooks.ts says it; the renderer may not import its values). */
export const PHASE_TEXT: Readonly<Record<SyncPhase, string>> = {
  PreSync: 'before anything of the app is applied',
  Sync: 'with the app, in its wave',
  PostSync: 'after every object of the app is applied and healthy',
  SyncFail: 'only if the apply fails',
};

/** In the order they run: the keys of PHASE_TEXT, listed once. */
export const PHASES = Object.keys(PHASE_TEXT) as readonly SyncPhase[];

export const DELETE_POLICY_TEXT: Readonly<Record<DeletePolicy, string>> = {
  HookSucceeded: 'deleted once it succeeded',
  HookFailed: 'deleted once it failed',
  BeforeHookCreation: 'the previous one is deleted before it is created',
};

export const HOOK_FROM: Readonly<Record<PlannedHook['from'], string>> = { argocd: 'Argo CD', helm: 'Helm' };

/** "PreSync hooks", "Sync hooks · wave 2", "Sync · wave 1 · workloads". */
export function stepTitle(s: Pick<ProgressStep, 'syncPhase' | 'wave' | 'group' | 'hooks'>): string {
  if (s.hooks) return `${s.syncPhase} hooks${s.wave !== 0 ? ` · wave ${s.wave}` : ''}`;
  return `${s.syncPhase} · wave ${s.wave}${s.group ? ` · ${s.group}` : ''}`;
}

/** "hook · PreSync": a hook's badge in the history. */
export function hookBadge(phase: SyncPhase): string {
  return `hook · ${phase}`;
}

/** "migrate…" for a generateName hook (its name is given when it runs), else its name. */
export function hookName(h: Pick<PlannedHook, 'key' | 'generateName'>): string {
  return h.generateName ? `${h.key.name}…` : h.key.name;
}

/** The hooks that run on apply (the others are listed with why they do not). */
export function runningHooks(hooks: readonly PlannedHook[]): PlannedHook[] {
  return hooks.filter((h) => h.skipped === undefined);
}

/** "1 hook", "3 hooks". */
export function hookCount(n: number): string {
  return `${n} hook${n === 1 ? '' : 's'}`;
}
