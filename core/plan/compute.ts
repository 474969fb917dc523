/**
 * Computes a Plan: what applying a rendered revision to a cluster would do, exactly.
 *
 * Live state comes from LISTs (per kind, label-selected by ApplySet membership where possible,
 * never one GET per object); predicted state from server-side apply with dryRun=All (DESIGN.md
 * rule 6). Both are normalized and compared by the pure functions of this folder.
 */
import { APPLYSET_PART_OF_LABEL, applySetId, parentForApp, parentRef, type AppIdentity } from '../model/applyset.js';
import { isPlainObject } from '../model/desired.js';
import { hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import { KubeError } from '../kube/errors.js';
import { mapConcurrent, DEFAULT_CONCURRENCY } from '../kube/concurrency.js';
import type { KubeClient } from '../kube/client.js';
import { resourceFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import { isSecret } from '../model/secrets.js';
import { secretHashKeyId } from '../secret-key.js';
import { discover, resolveTarget } from '../kube/target.js';
import type { ApiResource, KubeObject } from '../kube/types.js';
import type { RenderResult } from '../render/render.js';
import type { App } from '../source/apps.js';
import { buildErrorChange, buildNoopChangeFromYaml, buildReplaceChange, changeFromObjects, finalizePlan, manifestHash, type ObjectsInput } from './assemble.js';
import type { JsonObject } from './json.js';
import { readLiveObjects } from './live.js';
import { noopYamlFor, type NoopYaml } from './noop-yaml.js';
import { checkIgnoreRules, normalize } from './normalize.js';
import { FIELD_MANAGER } from './prepare.js';
import { listInScope, listNames } from './list.js';
import { pruneReason, resolveOwnership, type MemberSet } from './ownership.js';
import type { AppliedObject, LastApplyLookup } from './ports.js';
import { isNamespaceKey, namespaceToCreate, settleAll, type Settled } from './settle.js';
import { decidePrunes, desiredSyncOptions, predictReplace, revertDelete, sendLeniently, skippedDryRunNote, skipsDryRun, validationOf, withSentOptions } from './sync-options.js';
import type { SyncOptions } from '../model/sync-options.js';
import { NORMAL_MODE, type Change, type ChangeFlag, type Plan, type PlanApplySet, type PlanInputs, type PlanMode, type PlannedHook } from './types.js';
import { splitHooks } from './hooks.js';
import { planFindings } from './findings/index.js';
import { readFindingsContext } from './findings-live.js';
import { checkWaits } from '../model/kind-waits.js';

export interface ComputePlanOptions {
  readonly client: KubeClient;
  readonly render: RenderResult;
  readonly app: App;
  /** How the repository is named in the plan (a path or a URL without credentials). */
  readonly repo: string;
  /** A rollback's mode (the run it goes back to); default normal. Revert plans get theirs from `revert`. */
  readonly mode?: Extract<PlanMode, { kind: 'normal' | 'rollback' }>;
  /** Revert plans: the run being undone; its creations are deleted explicitly and nothing else is pruned. */
  readonly revert?: { readonly runId: string; readonly deletes: readonly ResourceKey[] };
  /** Concurrent dry-run calls. Default 16. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  /** Who the app is, the same in every clone: names its ApplySet parent. */
  readonly identity: AppIdentity;
  /** Take over the app's ApplySet from the owner another app recorded, or an earlier version's shared one (--adopt). */
  readonly adopt?: boolean;
  /** Whether the repository has a commit; default: assume it does. */
  readonly knowsCommit?: (oid: string) => Promise<boolean>;
  /**
   * What the app's last successful applies left on this cluster. With it, an object whose desired
   * hash and live resourceVersion both equal the recorded ones is a noop without a dry-run.
   */
  readonly lastApply?: LastApplyLookup;
}

export async function computePlan(opts: ComputePlanOptions): Promise<Plan> {
  const { client, render, app } = opts;
  const [target, discovery] = await Promise.all([resolveTarget(client), discover(client).then((d) => (render.objects.some((o) => !resourceFor(d, o.key)) ? discover(client, { refresh: true }) : d))]);
  // The app's namespace: its destination, else the context's. Its parent, Helm's release and objects that name none go there.
  const namespace = app.destination.namespace ?? client.namespace;
  const parent = parentForApp({ name: app.name, namespace, identity: opts.identity });
  const id = applySetId(parent);
  const diagnostics: Diagnostic[] = [...render.diagnostics, ...checkIgnoreRules(app.options.ignoreDifferences)];
  const revision = render.revision;
  const inputs: PlanInputs = {
    app: {
      name: app.name,
      path: app.path,
      sourceType: render.sourceType,
      namespace,
      selectedBy: opts.identity.selectedBy,
      ...(app.options.protected && { protected: true }),
      ...(app.options.prune && { prune: true }),
      ...(app.options.createNamespace && { createNamespace: true }),
      ...(app.options.wait && { wait: app.options.wait }),
    },
    repo: opts.repo,
    commit: revision.kind === 'commit' ? revision.oid : ':working',
    treeOid: render.treeOid,
    renderedHash: render.renderedHash,
    ...(render.charts && { charts: render.charts }),
    ...(render.objects.some((o) => isSecret(o.manifest)) && { secretHashKey: secretHashKeyId() }),
    cluster: { context: target.context, server: target.server, uid: target.clusterUid, version: target.serverVersion.gitVersion },
    applySet: { parent: parentRef(parent), id, identity: opts.identity },
    mode: opts.revert ? { kind: 'revert', of: opts.revert.runId } : (opts.mode ?? NORMAL_MODE),
  };
  const createdAt = (opts.now ?? (() => new Date()))().toISOString();
  let hooks: readonly PlannedHook[] = [];
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  // Rollout impact and risks (core/plan/findings), from the changes and the little of the cluster they ask for.
  const done = async (changes: Change[], adopts?: PlanApplySet['adopts']): Promise<Plan> => {
    const rules = planFindings(changes);
    const findings = rules.findings(await readFindingsContext(client, discovery, rules.needs, { concurrency }));
    return finalizePlan({ inputs: adopts && adopts.length > 0 ? { ...inputs, applySet: { ...inputs.applySet, adopts } } : inputs, changes, diagnostics, hooks, findings, createdAt });
  };
  if (hasErrors(render.diagnostics)) {
    // The revision does not render cleanly: comparing a partial set of objects would propose wrong deletions.
    return done([]);
  }

  // 1. Settle every desired object: its API resource, namespace and membership label; and the namespace createNamespace asks for.
  const existingNamespaces = await listNames(client, discovery);
  const created = app.options.createNamespace && existingNamespaces && !existingNamespaces.has(namespace) && !render.objects.some((o) => isNamespaceKey(o.key, namespace)) ? namespaceToCreate(namespace, discovery, app) : undefined;
  if (app.options.createNamespace && app.options.managedNamespaceMetadata && existingNamespaces?.has(namespace)) {
    diagnostics.push({ severity: 'warning', code: 'namespace-metadata-not-set', message: `managedNamespaceMetadata is set on the namespace only when Slipway creates it; namespace ${namespace} exists, so its labels and annotations are left as they are` });
  }
  // Hooks run at the apply's phases; they are no members and no changes (core/plan/hooks.ts).
  const split = splitHooks(render, { discovery, defaultNamespace: namespace });
  const waitsAt = app.origin.file === undefined ? undefined : { file: app.origin.file, ...(app.origin.line !== undefined && { line: app.origin.line }) };
  diagnostics.push(...split.diagnostics, ...checkWaits(split.objects, { ...(app.options.wait && { waits: app.options.wait }), ...(waitsAt && { location: waitsAt }) }));
  hooks = split.planned;
  const desired = [...(created ? [created] : []), ...settleAll(split, { discovery, id, defaultNamespace: namespace, diagnostics })];
  const namespacesInPlan = new Set(desired.filter((d) => d.key.group === '' && d.key.kind === 'Namespace').map((d) => d.key.name));
  const wanted = new Set(desired.map((d) => identityOf(d.key)));

  // 2. Live state: members of the app's ApplySet and of sets it takes over (label-selected), then what else the plan touches.
  const applied = opts.lastApply ? await opts.lastApply.appliedObjects({ repo: opts.repo, app: app.name, clusterUid: target.clusterUid, clusterVersion: target.serverVersion.gitVersion }) : undefined;
  const ownership = await resolveOwnership({
    client,
    discovery,
    app: app.name,
    namespace,
    identity: opts.identity,
    adopt: opts.adopt === true,
    knowsCommit: opts.knowsCommit ?? (async () => true),
    desiredKinds: [...new Map(desired.flatMap((d) => (d.resource ? [[`${d.resource.group}|${d.resource.kind}`, d.resource] as const] : []))).values()],
    desiredNamespaces: [...new Set(desired.flatMap((d) => (d.key.namespace ? [d.key.namespace] : [])))],
    wanted,
    applied: new Set(applied?.keys() ?? []),
    concurrency,
  });
  diagnostics.push(...ownership.diagnostics);
  const live = new Map<string, KubeObject>();
  for (const set of ownership.sets) for (const m of set.members) live.set(identityOf(keyOfObject(m)), m);
  // Desired objects that are not (yet) members: one LIST per kind and namespace, unfiltered.
  const missing = new Map<string, { resource: ApiResource; namespace: string | undefined }>();
  for (const d of desired) {
    if (!d.resource || live.has(identityOf(d.key))) continue;
    missing.set(`${d.resource.group}|${d.resource.version}|${d.resource.kind}|${d.key.namespace ?? ''}`, { resource: d.resource, namespace: d.key.namespace });
  }
  const others = await mapConcurrent([...missing.values()], concurrency, async ({ resource, namespace: ns }) => {
    if (resource.namespaced && ns && existingNamespaces && !existingNamespaces.has(ns)) return [];
    return listInScope(client, resource, { namespaces: new Set(ns ? [ns] : []), ...(ns ? {} : { clusterWide: true }) });
  });
  for (const o of others.flat()) {
    const k = identityOf(keyOfObject(o));
    if (!live.has(k)) live.set(k, o);
  }

  // 3. Predicted state: server-side apply, dry run, for every desired object — except those neither Git
  //    nor the cluster changed since a succeeded apply left them (same manifest hash, same resourceVersion).
  // Where objects of a namespace this plan creates are dry-run: the context's namespace, else `default`, else any that exists.
  const standIn = existingNamespaces && [client.namespace, 'default', ...[...existingNamespaces].sort()].find((ns) => existingNamespaces.has(ns));
  const ours = new Set([id, ...ownership.adoptedIds]);
  // Argo CD sync options: each object's annotation over the app's; warnings name the object's file:line (./sync-options.ts).
  const syncOptions = desiredSyncOptions(desired, app, diagnostics);
  // Objects that may re-plan unchanged (applied before): their YAML from an earlier process, read at once.
  const appliedLive = desired.flatMap((d) => (applied?.has(identityOf(d.key)) ? (live.get(identityOf(d.key)) ?? []) : []));
  const noopYaml = noopYamlFor(appliedLive, app.options.ignoreDifferences);
  const changes = await mapConcurrent(desired, concurrency, (d) =>
    predict(client, d, { live: live.get(identityOf(d.key)), ours, app, namespacesInPlan, existingNamespaces, standIn, applied: applied?.get(identityOf(d.key)), sets: ownership.sets, syncOptions: syncOptions.get(identityOf(d.key)), noopYaml }).then((c) => withSentOptions(c, syncOptions.get(identityOf(d.key)), d.manifest)),
  );
  noopYaml.save();

  // 4. Prune: members no longer desired (a revert deletes exactly what the reverted run created).
  if (opts.revert) {
    const current = await readLiveObjects(client, opts.revert.deletes);
    for (const key of opts.revert.deletes) {
      const obj = current.get(identityOf(key));
      if (obj && !wanted.has(identityOf(key))) changes.push(revertDelete(obj, { message: `created by run ${opts.revert.runId}, which this plan reverts`, app: app.options.syncOptions, ignore: app.options.ignoreDifferences }));
    }
    return done(changes, ownership.adopts);
  }
  // Only members of sets this app owns or takes over; each delete says which set it comes from.
  const orphans = ownership.sets.filter((set) => set.role !== undefined).flatMap((set) => set.members.filter((m) => !wanted.has(identityOf(keyOfObject(m)))).map((m) => ({ m, set })));
  const seen = new Set<string>();
  const unique = orphans.filter(({ m }) => !seen.has(identityOf(keyOfObject(m))) && seen.add(identityOf(keyOfObject(m))));
  // Prune=false keeps an object (listed as kept), Prune=confirm asks first, IgnoreExtraneous is not "left behind": the live object's options decide.
  const pruned = decidePrunes(unique.map(({ m, set }) => ({ live: m, reason: pruneReason(set) })), { prune: app.options.prune, app: app.options.syncOptions, ignore: app.options.ignoreDifferences });
  changes.push(...pruned.changes);
  diagnostics.push(...pruned.diagnostics);
  if (!app.options.prune && pruned.stay.length > 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'prune-disabled',
      message: `${pruned.stay.length} object${pruned.stay.length === 1 ? ' is' : 's are'} no longer in the revision but stay because prune is off for app ${app.name} (turn it on with --prune, or prune: true in slipway.yaml): ${pruned.stay.map((m) => formatKey(keyOfObject(m))).join(', ')}`,
    });
  }
  return done(changes, ownership.adopts);
}

async function predict(
  client: KubeClient,
  d: Settled,
  ctx: {
    live: KubeObject | undefined;
    /** The app's ApplySet id and the ids of sets it takes over. */
    ours: ReadonlySet<string>;
    app: App;
    namespacesInPlan: ReadonlySet<string>;
    existingNamespaces: ReadonlySet<string> | undefined;
    standIn: string | undefined;
    applied: AppliedObject | undefined;
    sets: readonly MemberSet[];
    /** The object's Argo CD sync options over the app's. */
    syncOptions: SyncOptions | undefined;
    noopYaml: NoopYaml;
  },
): Promise<Change> {
  const { live } = ctx;
  const ignore = ctx.app.options.ignoreDifferences;
  const base = { key: d.key, desired: d.manifest, source: d.source.source, ignore };
  const flags: ChangeFlag[] = [];
  const liveLabels = (live?.metadata.labels ?? {}) as Record<string, string>;
  const owner = liveLabels[APPLYSET_PART_OF_LABEL];
  let message: string | undefined = d.createOnly ? 'created because the app asks for its namespace (createNamespace); not owned by the app, so never pruned' : undefined;
  if (live && owner === undefined && !d.createOnly) flags.push('adopt');
  if (live && owner !== undefined && !ctx.ours.has(owner)) {
    flags.push('other-applyset');
    message = `belongs to another ApplySet (${owner}); applying moves it into this app's`;
  } else if (live && owner !== undefined && owner !== [...ctx.ours][0]) {
    const from = ctx.sets.find((s) => s.id === owner);
    message = `moves into this app's ApplySet from ${from ? parentRef(from.parent) : owner}, which this app takes over`;
  }
  const withNotes = { ...base, ...(message !== undefined && { message }) };

  if (!d.resource) {
    if (d.afterCrd) return changeFromObjects({ ...withNotes, predicted: d.manifest, flags: [...flags, 'after-crd'] });
    if (skipsDryRun(ctx.syncOptions)) return changeFromObjects({ ...base, predicted: d.manifest, flags, message: message ? `${message}; ${skippedDryRunNote(d.key)}` : skippedDryRunNote(d.key) });
    return buildErrorChange({ key: d.key, desired: d.manifest, source: d.source.source, message: `the cluster does not serve ${d.key.group ? `${d.key.group}/` : ''}${d.key.version} ${d.key.kind}, and this plan does not create its CustomResourceDefinition: check the apiVersion, or install the CRD` });
  }
  const ns = d.key.namespace;
  if (d.resource.namespaced && ns && ctx.existingNamespaces && !ctx.existingNamespaces.has(ns)) {
    if (ctx.namespacesInPlan.has(ns)) return predictAfterNamespace(client, d, { ...withNotes, flags: [...flags, 'after-namespace'] }, ctx.standIn, ctx.syncOptions);
    return buildErrorChange({ key: d.key, desired: d.manifest, source: d.source.source, message: `namespace ${ns} does not exist, and this plan does not create it` });
  }

  // Replace=true: an update sending the whole object (PUT), or with Force=true a delete and create on every apply.
  const replaced = await predictReplace(client, d, { live, options: ctx.syncOptions, ignore, message, flags, fresh: () => predictFresh(client, d.manifest) });
  if (replaced) return replaced;
  if (live && unchangedSinceApplied(d, live, ctx.applied) && flags.length === 0) {
    // Server-side apply of the manifest that produced exactly this object changes nothing: the dry-run would answer the live object.
    const yaml = ctx.noopYaml.get(live);
    if (yaml !== undefined) return buildNoopChangeFromYaml({ ...withNotes, yaml, flags, ...(live.metadata.resourceVersion !== undefined && { liveResourceVersion: live.metadata.resourceVersion }) });
    const change = changeFromObjects({ ...withNotes, live: live as JsonObject, predicted: live as JsonObject, flags });
    ctx.noopYaml.remember(live, change);
    return change;
  }

  const dryRun = (force: boolean): Promise<KubeObject> => sendLeniently((m) => withRetry(() => client.apply(m as KubeObject, { fieldManager: FIELD_MANAGER, dryRun: true, force, ...validationOf(ctx.syncOptions) })), d.manifest, ctx.syncOptions);
  try {
    const predicted = await dryRun(false);
    return changeFromObjects({ ...withNotes, ...(live && { live: live as JsonObject }), predicted: predicted as JsonObject, flags });
  } catch (caught) {
    if (!(caught instanceof KubeError)) throw caught;
    let e: KubeError = caught;
    if (e.code === 'conflict' && e.conflicts.length > 0) {
      // Another field manager owns fields this object sets: show what a forced apply would do, and say who.
      const who = [...new Set(e.conflicts.map((c) => c.manager))].join(', ');
      const note = `fields also managed by ${who}: ${e.conflicts.map((c) => c.field).join(', ')}; apply must force the conflicts to take them over`;
      message = message ? `${message}; ${note}` : note;
      flags.push('other-manager');
      try {
        const predicted = await dryRun(true);
        return changeFromObjects({ ...base, ...(live && { live: live as JsonObject }), predicted: predicted as JsonObject, flags, message });
      } catch (forced) {
        // The forced dry-run has the real answer (e.g. an immutable field): classify that one.
        if (!(forced instanceof KubeError)) throw forced;
        e = forced;
      }
    }
    if (e.code === 'forbidden' && e.forbidden) {
      // No permission to dry-run: compare client-side, and say the result is approximate.
      const predicted = live ? mergeInto(live as JsonObject, d.manifest) : d.manifest;
      const note = `approximate: no permission to dry-run (${e.forbidden.user} may not ${e.forbidden.verb} ${e.forbidden.resource})`;
      return changeFromObjects({ ...base, ...(live && { live: live as JsonObject }), predicted, flags: [...flags, 'approximate'], message: message ? `${message}; ${note}` : note });
    }
    if (e.code === 'invalid' && live && isImmutableFieldError(e)) {
      const before = normalize(live as JsonObject, { ignore });
      const after = keepOthersAnnotations(normalize((await predictFresh(client, d.manifest)) ?? d.manifest, { ignore }), before, d.manifest);
      const why = `must be deleted and created again: ${immutableFields(e)}`;
      return buildReplaceChange({ ...base, before, after, liveResourceVersion: live.metadata.resourceVersion ?? '', flags, message: message ? `${message}; ${why}` : why });
    }
    if (e.code === 'cluster-unreachable' || e.code === 'unauthorized' || e.code === 'tls-error' || e.code === 'credentials-error') throw e;
    return buildErrorChange({ key: d.key, desired: d.manifest, source: d.source.source, ...(live?.metadata.resourceVersion !== undefined && { liveResourceVersion: live.metadata.resourceVersion }), message: e.message });
  }
}

/**
 * The re-plan fast path's test: a succeeded apply sent this very manifest and left the object at
 * the resourceVersion it has now. Any write since — by anyone, to spec, metadata or status —
 * changes the resourceVersion, and any change in Git changes the hash.
 */
function unchangedSinceApplied(d: Settled, live: KubeObject | undefined, applied: AppliedObject | undefined): live is KubeObject {
  if (!live || !applied || live.metadata.resourceVersion === undefined) return false;
  return live.metadata.resourceVersion === applied.resourceVersion && manifestHash(d.manifest) === applied.desiredHash;
}

/**
 * Annotations that controllers write on the live object (deployment.kubernetes.io/revision…) come
 * back after a re-create; the manifest does not set them, so they are not part of the change.
 */
function keepOthersAnnotations(after: JsonObject, before: JsonObject, manifest: JsonObject): JsonObject {
  const annotationsOf = (o: JsonObject): Record<string, unknown> => (isPlainObject(o.metadata) && isPlainObject(o.metadata.annotations) ? o.metadata.annotations : {});
  const mine = annotationsOf(manifest);
  const others = Object.fromEntries(Object.entries(annotationsOf(before)).filter(([k]) => !(k in mine)));
  if (Object.keys(others).length === 0) return after;
  const meta = isPlainObject(after.metadata) ? after.metadata : {};
  return { ...after, metadata: { ...meta, annotations: { ...others, ...annotationsOf(after) } } };
}

/**
 * What the server would make of the object created from scratch (for a replace): a dry-run apply
 * under a throw-away name, with the real name put back. Undefined when even that is refused.
 */
async function predictFresh(client: KubeClient, manifest: JsonObject): Promise<JsonObject | undefined> {
  const meta = manifest.metadata as { name: string };
  const probe = `${meta.name.slice(0, 50)}-slipway-${Math.random().toString(16).slice(2, 7)}`;
  try {
    const predicted = await withRetry(() => client.apply({ ...manifest, metadata: { ...(manifest.metadata as object), name: probe } } as KubeObject, { fieldManager: FIELD_MANAGER, dryRun: true }));
    return { ...predicted, metadata: { ...predicted.metadata, name: meta.name } } as JsonObject;
  } catch {
    return undefined;
  }
}

/**
 * An object whose namespace this plan creates cannot be dry-run where it will live. It is
 * dry-run instead under a throw-away name in a namespace that exists (the context's, else
 * `default`, else any), so the server still validates its fields and admission still runs —
 * a bad field is a plan error, not a half-applied apply. The predicted object gets its real
 * name and namespace back. When even that is refused (no permission there), the manifest is
 * shown as it is and the change says so.
 */
async function predictAfterNamespace(
  client: KubeClient,
  d: Settled,
  base: Omit<ObjectsInput, 'live' | 'predicted'> & { readonly source: NonNullable<ObjectsInput['source']>; readonly desired: JsonObject },
  standIn: string | undefined,
  syncOptions?: SyncOptions,
): Promise<Change> {
  const meta = d.manifest.metadata as { name: string; namespace: string };
  const note = (text: string): string => (base.message ? `${base.message}; ${text}` : text);
  if (standIn !== undefined) {
    const probe = `${meta.name.slice(0, 50)}-slipway-${Math.random().toString(16).slice(2, 7)}`;
    try {
      const predicted = await withRetry(() => client.apply({ ...d.manifest, metadata: { ...(d.manifest.metadata as object), name: probe, namespace: standIn } } as KubeObject, { fieldManager: FIELD_MANAGER, dryRun: true, ...validationOf(syncOptions) }));
      return changeFromObjects({ ...base, predicted: { ...predicted, metadata: { ...predicted.metadata, name: meta.name, namespace: meta.namespace } } as JsonObject });
    } catch (e) {
      if (!(e instanceof KubeError)) throw e;
      if (e.code === 'cluster-unreachable' || e.code === 'unauthorized' || e.code === 'tls-error' || e.code === 'credentials-error') throw e;
      if (e.code !== 'forbidden' && e.code !== 'not-found') {
        const message = e.message.replaceAll(probe, meta.name).replaceAll(`namespace "${standIn}"`, `namespace "${meta.namespace}"`);
        return buildErrorChange({ key: d.key, desired: d.manifest, source: base.source, message });
      }
    }
  }
  return changeFromObjects({ ...base, predicted: d.manifest, message: note(`not validated by the server: its namespace ${meta.namespace} does not exist yet`) });
}

function isImmutableFieldError(e: KubeError): boolean {
  return /immutable/i.test(e.message) || e.causes.some((c) => /immutable/i.test(c.message ?? ''));
}

function immutableFields(e: KubeError): string {
  const fields = e.causes.filter((c) => /immutable/i.test(c.message ?? '')).map((c) => c.field).filter(Boolean);
  return fields.length > 0 ? `${[...new Set(fields)].join(', ')} cannot be changed in place (field is immutable)` : e.message;
}

/**
 * A client-side stand-in for server-side apply, used only when dry-run is forbidden: desired
 * fields laid over the live object; lists of named items merged by name, other lists replaced.
 */
export function mergeInto(live: JsonObject, desired: JsonObject): JsonObject {
  const out: JsonObject = { ...live };
  for (const [k, v] of Object.entries(desired)) {
    const l = out[k];
    if (isPlainObject(l) && isPlainObject(v)) out[k] = mergeInto(l, v);
    else if (Array.isArray(l) && Array.isArray(v) && v.every((i) => isPlainObject(i) && typeof i.name === 'string')) {
      out[k] = v.map((item) => {
        const match = l.find((x) => isPlainObject(x) && x.name === (item as JsonObject).name);
        return isPlainObject(match) ? mergeInto(match, item as JsonObject) : item;
      });
    } else if (Array.isArray(l) && Array.isArray(v) && l.length === v.length && v.every(isPlainObject) && l.every(isPlainObject)) {
      // Unnamed items (ports, volumeClaimTemplates): same position, same item — keep the server's defaults.
      out[k] = v.map((item, i) => mergeInto(l[i] as JsonObject, item as JsonObject));
    } else out[k] = v;
  }
  return out;
}
