/**
 * Hooks out of a rendering: which desired objects are hooks (core/model/hooks.ts), settled like
 * every object but without the ApplySet label, and listed in the plan as what apply runs at its
 * phases, never as changes. Plan and apply both call `splitHooks`, so they send the same bytes.
 * Pure over discovery.
 */
import type { Discovery } from '../kube/types.js';
import type { DesiredObject } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { readHook, type HookSpec } from '../model/hooks.js';
import { compareKeys, formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import { readWave } from '../model/waves.js';
import type { RenderResult } from '../render/render.js';
import { toYaml, manifestHash } from './assemble.js';
import { isSecret, maskSecretPair } from './secrets.js';
import { settleAll, type Settled } from './settle.js';
import type { PlannedHook } from './types.js';
import { SYNC_PHASES } from '../model/hooks.js';
import { SYNC_OPTIONS_ANNOTATION } from '../model/sync-options.js';

/** A hook ready to send: the settled object (no ApplySet label) with what makes it a hook. */
export interface SettledHook {
  readonly settled: Settled;
  readonly spec: HookSpec;
  readonly wave: number;
  /** key.name is the generateName prefix; the name is given when it runs. */
  readonly generateName?: true;
}

export interface SplitRender {
  /** The app's objects: ApplySet members, compared with the cluster. */
  readonly objects: readonly DesiredObject[];
  readonly hooks: readonly SettledHook[];
  /** What the plan lists about hooks: those that run, then those left out (with why). */
  readonly planned: readonly PlannedHook[];
  readonly diagnostics: readonly Diagnostic[];
}

const annotationsOf = (o: DesiredObject): Record<string, string> => {
  const a = o.manifest.metadata.annotations;
  return a !== null && typeof a === 'object' ? Object.fromEntries(Object.entries(a).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
};

/**
 * Separates hooks from the app's objects and settles them (namespace, API resource) as apply will
 * send them. A hook and an object of the same identity is an error: the hook would replace it.
 */
export function splitHooks(render: Pick<RenderResult, 'objects'>, ctx: { discovery: Discovery; defaultNamespace: string }): SplitRender {
  const diagnostics: Diagnostic[] = [];
  const objects: DesiredObject[] = [];
  const found: { o: DesiredObject; spec: HookSpec; wave: number }[] = [];
  const planned: PlannedHook[] = [];
  const skipped: { o: DesiredObject; reading: Extract<ReturnType<typeof readHook>['hook'], { kind: 'skipped' }>; wave: number }[] = [];
  for (const o of render.objects) {
    const { hook, diagnostics: found_ } = readHook(annotationsOf(o), o.key, o.source);
    diagnostics.push(...found_);
    if (hook.kind === 'none') {
      objects.push(o);
      continue;
    }
    const { wave, diagnostic } = readWave(annotationsOf(o), o.key);
    if (diagnostic) diagnostics.push({ ...diagnostic, location: o.source });
    if (hook.kind === 'hook' && annotationsOf(o)[SYNC_OPTIONS_ANNOTATION] !== undefined) {
      // A hook is created on every apply and deleted by its policy: none of the object options (Prune, Replace…) applies to it.
      diagnostics.push({ severity: 'warning', code: 'hook-sync-options', message: `${formatKey(o.key)}: ${SYNC_OPTIONS_ANNOTATION} is not read on a hook (it is created on every apply and deleted by its delete policy); it is ignored`, resource: o.key, location: o.source });
    }
    if (hook.kind === 'hook') found.push({ o, spec: hook, wave });
    else skipped.push({ o, reading: hook, wave });
  }
  // Hooks not run are settled only for their keys (namespace, API version); what settling would say of them does not matter.
  const skippedKeys = settleAll({ objects: skipped.map((s) => s.o) }, { ...ctx, id: undefined, diagnostics: [] });
  for (const [i, { o, reading, wave }] of skipped.entries()) {
    planned.push({ key: skippedKeys[i]?.key ?? o.key, ...(o.generateName && { generateName: true as const }), phases: [], wave, deletePolicies: [], from: reading.from, skipped: reading.reason, source: o.source });
  }
  const settled = settleAll({ objects: found.map((f) => f.o) }, { ...ctx, id: undefined, diagnostics });
  const hooks = found.map((f, i): SettledHook => ({ settled: settled[i]!, spec: f.spec, wave: f.wave, ...(f.o.generateName && { generateName: true as const }) }));
  // The app's objects are not settled yet: both sides are compared with the default namespace filled in.
  const sameSpace = (k: ResourceKey): string => identityOf({ ...k, namespace: k.namespace ?? ctx.defaultNamespace });
  const members = new Set(objects.map((o) => sameSpace(o.key)));
  for (const h of hooks) {
    if (!h.generateName && members.has(sameSpace(h.settled.key))) {
      diagnostics.push({ severity: 'error', code: 'hook-is-object', message: `${formatKey(h.settled.key)} is declared both as a hook and as an object of the app: give the hook another name or generateName`, location: h.settled.source.source, resource: h.settled.key });
    }
  }
  const run = hooks.map((h): PlannedHook => {
    const after = isSecret(h.settled.manifest) ? maskSecretPair({ after: h.settled.manifest }).after! : h.settled.manifest;
    return {
      key: h.settled.key,
      ...(h.generateName && { generateName: true as const }),
      phases: h.spec.phases,
      wave: h.wave,
      deletePolicies: h.spec.deletePolicies,
      from: h.spec.from,
      after: toYaml(after),
      desiredHash: manifestHash(h.settled.manifest),
      source: h.settled.source.source,
    };
  });
  return { objects, hooks, planned: [...run.sort(compareHooks), ...planned.sort(compareHooks)], diagnostics };
}

const phaseIndex = (h: PlannedHook): number => (h.phases[0] === undefined ? SYNC_PHASES.length : SYNC_PHASES.indexOf(h.phases[0]));

/** Phase, then wave, then key: the order they run in. */
export function compareHooks(a: PlannedHook, b: PlannedHook): number {
  return phaseIndex(a) - phaseIndex(b) || a.wave - b.wave || compareKeys(a.key, b.key);
}

/** The identity apply finds a hook's manifest by: its key, the prefix for generateName hooks. */
export function hookId(h: Pick<PlannedHook, 'key' | 'generateName'>): string {
  return `${h.generateName ? 'generate:' : ''}${identityOf(h.key)}`;
}
