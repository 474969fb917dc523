/**
 * The phases of an apply, as gitops-engine's sync context runs them: PreSync hooks, then the app's
 * objects (Sync, with the Sync hooks of each wave after that wave's objects), then PostSync hooks;
 * SyncFail hooks only when one of those failed. Each hook runs once per phase it names, under the
 * name it runs with (generateName: Argo CD's generated name). Hooks of a phase are ordered as the
 * app's objects are (wave, then kind group: order.ts). Pure.
 */
import { isPlainObject } from '../model/desired.js';
import { generatedHookName, type SyncPhase } from '../model/hooks.js';
import { identityOf } from '../model/resource.js';
import { hookId } from '../plan/hooks.js';
import type { JsonObject } from '../plan/json.js';
import type { Change, Plan, PlannedHook } from '../plan/types.js';
import { factsFromObject, planSteps, WAVE_ANNOTATION, type OrderFacts, type Step } from './order.js';

/** One hook in one phase: the create apply sends, under the name it runs with. */
export interface HookRun {
  readonly hook: PlannedHook;
  readonly phase: SyncPhase;
  readonly change: Change;
  /** The settled manifest with that name (generateName removed). */
  readonly manifest: JsonObject;
}

/** The hooks' settled manifests, by hookId (apply/desired.ts). */
export type HookManifests = ReadonlyMap<string, { readonly settled: { readonly manifest: JsonObject } }>;

/**
 * The runs of a plan's hooks: one per hook and phase it runs in, named at `startedAt` as Argo CD
 * names generateName hooks. A hook the plan lists whose manifest is missing is an error (apply
 * checked the manifests against the plan before this).
 */
export function hookRuns(plan: Pick<Plan, 'hooks' | 'inputs'>, manifests: HookManifests, startedAt: Date): HookRun[] {
  return plan.hooks.flatMap((hook) => {
    if (hook.skipped !== undefined) return [];
    const settled = manifests.get(hookId(hook))?.settled.manifest;
    if (!settled) throw new Error(`hook ${identityOf(hook.key)} has no manifest to send`);
    return hook.phases.map((phase): HookRun => {
      const name = hook.generateName ? generatedHookName(hook.key.name, plan.inputs.commit, phase, startedAt) : hook.key.name;
      const metadata = isPlainObject(settled.metadata) ? { ...settled.metadata } : {};
      delete metadata.generateName;
      const key = { ...hook.key, name };
      return {
        hook,
        phase,
        manifest: { ...settled, metadata: { ...metadata, name } } as JsonObject,
        change: {
          key,
          action: 'create',
          flags: [],
          changedPaths: [],
          ...(hook.after !== undefined && { after: hook.after }),
          ...(hook.desiredHash !== undefined && { desiredHash: hook.desiredHash }),
          ...(hook.source && { source: hook.source }),
        },
      };
    });
  });
}

export interface PhasedSteps {
  /** PreSync hooks, Sync (objects and Sync hooks), PostSync hooks: what an apply runs. */
  readonly main: readonly Step[];
  /** SyncFail hooks: run only when a step of `main` failed. Numbered after `main`. */
  readonly onFail: readonly Step[];
}

/** A phase's hooks as steps: wave, then kind group, as the app's objects. */
function hookSteps(runs: readonly HookRun[], phase: SyncPhase): Step[] {
  const mine = runs.filter((r) => r.phase === phase);
  const byChange = new Map(mine.map((r) => [r.change, r]));
  // The wave is the plan's (read once from the hook's annotations, helm.sh/hook-weight included).
  const factsOf = (c: Change): OrderFacts => {
    const run = byChange.get(c)!;
    return { ...factsFromObject(c.key, run.manifest), annotations: { [WAVE_ANNOTATION]: String(run.hook.wave) } };
  };
  return planSteps(
    mine.map((r) => r.change),
    { factsOf },
  ).steps.map((s) => ({ ...s, syncPhase: phase, hooks: true as const }));
}

const isNamespaceCreate = (c: Change): boolean => c.action === 'create' && c.key.group === '' && c.key.kind === 'Namespace';

/**
 * The apply's steps by phase. `sync`: the app's steps (planSteps). A Namespace the plan creates
 * that a PreSync hook runs in is created first, as Argo CD creates the app's namespace before
 * its PreSync hooks (CreateNamespace=true).
 */
export function phaseSteps(sync: readonly Step[], runs: readonly HookRun[]): PhasedSteps {
  const preSync = hookSteps(runs, 'PreSync');
  const hookNamespaces = new Set(preSync.flatMap((s) => s.changes.map((c) => c.key.namespace ?? '')));
  const early = sync.flatMap((s) => s.changes.filter((c) => isNamespaceCreate(c) && hookNamespaces.has(c.key.name)));
  const rest = sync.map((s) => ({ ...s, changes: s.changes.filter((c) => !early.includes(c)) })).filter((s) => s.changes.length > 0);
  const namespaces: Step[] = early.length > 0 ? [{ index: 0, wave: Math.min(...preSync.map((s) => s.wave)), phase: 'upsert', group: 'namespaces', changes: early, waitFor: 'healthy', syncPhase: 'PreSync' }] : [];

  // Sync hooks run after the app's objects of their wave, before the next wave and before deletions.
  const syncHooks = hookSteps(runs, 'Sync');
  const syncSteps: Step[] = [];
  for (const step of rest) {
    if (step.phase === 'upsert') while (syncHooks[0] && syncHooks[0].wave < step.wave) syncSteps.push(syncHooks.shift()!);
    else syncSteps.push(...syncHooks.splice(0));
    syncSteps.push(step);
  }
  syncSteps.push(...syncHooks);

  const main = [...namespaces, ...preSync, ...syncSteps, ...hookSteps(runs, 'PostSync')].map((s, index) => ({ ...s, index }));
  const onFail = hookSteps(runs, 'SyncFail').map((s, i) => ({ ...s, index: main.length + i }));
  return { main, onFail };
}
