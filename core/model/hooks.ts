/**
 * Hooks as Argo CD defines them (user-guide/resource_hooks.md; gitops-engine `pkg/sync/hook` and
 * `pkg/sync/hook/helm`): objects run at a phase of an apply instead of being applied with the
 * app. Never ApplySet members, never pruned. The phases, delete policies and Helm's mapping are
 * tables here; `readHook` reads one object's annotations. Pure.
 */
import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { ResourceKey } from './resource.js';
import { formatKey } from './resource.js';

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';
/** Helm's "keep this object when the release goes": Slipway never prunes it. */
export const HELM_RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

/** The phases of an apply, in the order they run; SyncFail runs only when an earlier one failed. */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** What Argo's hook annotation may say and what Slipway does with it. */
export const HOOK_TYPES = {
  PreSync: 'runs before anything of the app is applied',
  Sync: 'runs with the app, in its wave',
  PostSync: 'runs after every object of the app is applied and healthy',
  SyncFail: 'runs when the apply fails',
  Skip: 'not applied at all',
  PreDelete: 'runs before Argo CD deletes the app; Slipway never deletes an app, so it is not run',
  PostDelete: 'runs after Argo CD deletes the app; Slipway never deletes an app, so it is not run',
} as const;
export type HookType = keyof typeof HOOK_TYPES;

export const DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

/** Helm's hooks as Argo CD maps them (gitops-engine hook/helm/type.go); the rest are listed, not run. */
export const HELM_HOOKS: Readonly<Record<string, { readonly phase: SyncPhase } | { readonly skipped: string }>> = {
  'pre-install': { phase: 'PreSync' },
  'pre-upgrade': { phase: 'PreSync' },
  'post-install': { phase: 'PostSync' },
  'post-upgrade': { phase: 'PostSync' },
  test: { skipped: 'a Helm test (helm test runs it, not an install): not applied' },
  'test-success': { skipped: 'a Helm test (helm test runs it, not an install): not applied' },
  'test-failure': { skipped: 'a Helm test (helm test runs it, not an install): not applied' },
  'pre-rollback': { skipped: 'a Helm rollback hook: Argo CD does not run it, and a Slipway rollback is an apply' },
  'post-rollback': { skipped: 'a Helm rollback hook: Argo CD does not run it, and a Slipway rollback is an apply' },
  'pre-delete': { skipped: 'a Helm delete hook: Slipway never deletes a release' },
  'post-delete': { skipped: 'a Helm delete hook: Slipway never deletes a release' },
  'crd-install': { skipped: 'Helm 2 crd-install: not a hook in Helm 3 or Argo CD' },
};

export const HELM_DELETE_POLICIES: Readonly<Record<string, DeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

/** A hook that runs: the phases it runs in and when it is deleted. */
export interface HookSpec {
  readonly kind: 'hook';
  readonly from: 'argocd' | 'helm';
  readonly phases: readonly SyncPhase[];
  /** BeforeHookCreation when none is given (Argo's default). */
  readonly deletePolicies: readonly DeletePolicy[];
}

/** An object with hook annotations that is not applied (Skip, a Helm test, a delete hook). */
export interface SkippedHook {
  readonly kind: 'skipped';
  readonly from: 'argocd' | 'helm';
  readonly reason: string;
}

export type HookReading = { readonly kind: 'none' } | HookSpec | SkippedHook;

const csv = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Whether the object carries any hook annotation (Argo's or Helm's): such objects may use generateName. */
export function hasHookAnnotation(annotations: Readonly<Record<string, unknown>>): boolean {
  return typeof annotations[HOOK_ANNOTATION] === 'string' || typeof annotations[HELM_HOOK_ANNOTATION] === 'string';
}

const isHookType = (s: string): s is HookType => Object.hasOwn(HOOK_TYPES, s);
const isSyncPhase = (s: string): s is SyncPhase => (SYNC_PHASES as readonly string[]).includes(s);
const isDeletePolicy = (s: string): s is DeletePolicy => (DELETE_POLICIES as readonly string[]).includes(s);

/**
 * Reads an object's hook annotations. An Argo hook annotation wins over Helm's (as gitops-engine
 * `hook.Types`); delete policies of both are combined. Unknown phases and policies are warnings
 * naming the object and its file:line, and are left out.
 */
export function readHook(annotations: Readonly<Record<string, string>>, key: ResourceKey, location?: SourceLocation): { hook: HookReading; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const warn = (code: string, message: string): void => void diagnostics.push({ severity: 'warning', code, message: `${formatKey(key)}: ${message}`, resource: key, ...(location && { location }) });
  const argo = annotations[HOOK_ANNOTATION];
  const helm = annotations[HELM_HOOK_ANNOTATION];
  if (argo === undefined && helm === undefined) return { hook: { kind: 'none' }, diagnostics };

  const policies: DeletePolicy[] = [];
  for (const p of csv(annotations[HOOK_DELETE_POLICY_ANNOTATION])) {
    if (isDeletePolicy(p)) policies.push(p);
    else warn('hook-delete-policy-unknown', `${HOOK_DELETE_POLICY_ANNOTATION} "${p}" is not a delete policy (${DELETE_POLICIES.join(', ')}); it is ignored`);
  }
  for (const p of csv(annotations[HELM_HOOK_DELETE_POLICY_ANNOTATION])) {
    const policy = HELM_DELETE_POLICIES[p];
    if (policy) policies.push(policy);
    else warn('hook-delete-policy-unknown', `${HELM_HOOK_DELETE_POLICY_ANNOTATION} "${p}" is not a Helm delete policy (${Object.keys(HELM_DELETE_POLICIES).join(', ')}); it is ignored`);
  }
  const deletePolicies = policies.length > 0 ? [...new Set(policies)] : (['BeforeHookCreation'] as const);

  if (argo !== undefined) {
    const types: HookType[] = [];
    for (const t of csv(argo)) {
      if (isHookType(t)) types.push(t);
      else warn('hook-phase-unknown', `${HOOK_ANNOTATION} "${t}" is not a hook phase (${Object.keys(HOOK_TYPES).join(', ')}); it is ignored`);
    }
    if (types.includes('Skip')) return { hook: { kind: 'skipped', from: 'argocd', reason: `${HOOK_ANNOTATION}: Skip — ${HOOK_TYPES.Skip}` }, diagnostics };
    const phases = SYNC_PHASES.filter((p) => types.includes(p));
    if (phases.length > 0) return { hook: { kind: 'hook', from: 'argocd', phases, deletePolicies }, diagnostics };
    const other = types.filter((t) => !isSyncPhase(t));
    const reason = other.length > 0 ? other.map((t) => `${t}: ${HOOK_TYPES[t]}`).join('; ') : `${HOOK_ANNOTATION} names no phase Slipway knows`;
    return { hook: { kind: 'skipped', from: 'argocd', reason }, diagnostics };
  }

  const phases = new Set<SyncPhase>();
  const skipped: string[] = [];
  for (const h of csv(helm)) {
    const mapped = HELM_HOOKS[h];
    if (!mapped) warn('hook-phase-unknown', `${HELM_HOOK_ANNOTATION} "${h}" is not a Helm hook (${Object.keys(HELM_HOOKS).join(', ')}); it is ignored`);
    else if ('phase' in mapped) phases.add(mapped.phase);
    else skipped.push(`${h}: ${mapped.skipped}`);
  }
  if (phases.size > 0) return { hook: { kind: 'hook', from: 'helm', phases: SYNC_PHASES.filter((p) => phases.has(p)), deletePolicies }, diagnostics };
  return { hook: { kind: 'skipped', from: 'helm', reason: skipped.length > 0 ? skipped.join('; ') : `${HELM_HOOK_ANNOTATION} names no hook Slipway knows` }, diagnostics };
}

/**
 * The name Argo CD gives a hook that has only metadata.generateName (gitops-engine sync_context.go):
 * the prefix, then the first 7 characters of the revision, the phase and the start time in Unix
 * seconds, lower case.
 */
export function generatedHookName(generateName: string, revision: string, phase: SyncPhase, startedAt: Date): string {
  const rev = revision.startsWith(':') ? revision.slice(1) : revision.slice(0, 7);
  return `${generateName}${rev}-${phase}-${Math.floor(startedAt.getTime() / 1000)}`.toLowerCase();
}
