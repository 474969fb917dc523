/**
 * Argo CD's sync options in a plan (the table: core/model/sync-options.ts): each desired object's
 * options (its annotation over its app's), warnings naming its file:line, what a prune or a
 * revert does with an object that asks to be kept or confirmed, and Replace=true's prediction.
 * The options apply needs are written on the Change (Change.syncOptions): apply reads them from
 * the plan, never from the app again.
 */
import { HELM_RESOURCE_POLICY_ANNOTATION } from '../model/hooks.js';
import type { KubeClient } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import { withRetry } from '../kube/retry.js';
import type { KubeObject } from '../kube/types.js';
import { isPlainObject } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import {
  COMPARE_OPTIONS_ANNOTATION,
  effectiveSyncOptions,
  formatSyncOption,
  hasSyncOption,
  parseSyncOptions,
  SYNC_OPTIONS_ANNOTATION,
  type SyncOptions,
} from '../model/sync-options.js';
import type { App, IgnoreDifferencesRule } from '../source/apps.js';
import { buildErrorChange, buildReplaceChange, changeFromObjects } from './assemble.js';
import type { JsonObject } from './json.js';
import { normalize } from './normalize.js';
import { FIELD_MANAGER } from './prepare.js';
import type { Settled } from './settle.js';
import type { Change, ChangeFlag } from './types.js';

/** The options that change how apply sends an object (create, update, replace), written on its Change. */
const SENT_WITH: readonly string[] = ['Validate=false', 'Replace=true', 'Force=true'];

const annotationOf = (obj: unknown, name: string): string | undefined => {
  const metadata = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata : undefined;
  const annotations = metadata && isPlainObject(metadata.annotations) ? metadata.annotations : undefined;
  const value = annotations?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Each desired object's options by identityOf(key): its sync-options and compare-options
 * annotations over the app's syncOptions. Warnings about the annotations name the object's
 * file:line; objects without annotations carry the app's options only.
 */
export function desiredSyncOptions(desired: readonly Settled[], app: Pick<App, 'options'>, diagnostics: Diagnostic[]): ReadonlyMap<string, SyncOptions> {
  const out = new Map<string, SyncOptions>();
  for (const d of desired) {
    const own: Record<string, string> = {};
    for (const [annotation, which] of [
      [SYNC_OPTIONS_ANNOTATION, 'sync-options'],
      [COMPARE_OPTIONS_ANNOTATION, 'compare-options'],
    ] as const) {
      const value = annotationOf(d.manifest, annotation);
      if (value === undefined) continue;
      const parsed = parseSyncOptions(value, { where: 'object', annotation: which, field: `annotation ${annotation}`, location: d.source.source, resource: d.key });
      diagnostics.push(...parsed.diagnostics);
      Object.assign(own, parsed.options);
    }
    out.set(identityOf(d.key), effectiveSyncOptions(app.options.syncOptions, own));
  }
  return out;
}

/** A live object's options (it is being pruned or reverted: its own annotation counts, as in Argo CD), over the app's; never warns (it is no longer in Git). */
export function liveSyncOptions(live: unknown, app: SyncOptions | undefined): SyncOptions {
  const own: Record<string, string> = {};
  for (const [annotation, which] of [
    [SYNC_OPTIONS_ANNOTATION, 'sync-options'],
    [COMPARE_OPTIONS_ANNOTATION, 'compare-options'],
  ] as const) {
    const value = annotationOf(live, annotation);
    if (value !== undefined) Object.assign(own, parseSyncOptions(value, { where: 'object', annotation: which, field: annotation }).options);
  }
  return effectiveSyncOptions(app, own);
}

/**
 * The change with the options apply needs to send it (Validate=false, Replace=true, Force=true)
 * written on it, and the fields Validate=false left out (the server does not know them) said.
 */
export function withSentOptions(change: Change, options: SyncOptions | undefined, manifest?: JsonObject): Change {
  if (change.action !== 'create' && change.action !== 'update' && change.action !== 'replace') return change;
  const used = SENT_WITH.filter((o) => hasSyncOption(options, o) && (o !== 'Force=true' || change.action === 'replace') && (o !== 'Replace=true' || change.action !== 'create'));
  const dropped = manifest ? droppedFields.get(manifest) : undefined;
  const note = dropped?.length ? `Validate=false: ${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} not in the kind's schema, so ${dropped.length === 1 ? 'it is' : 'they are'} left out (as the server drops unknown fields without validation)` : undefined;
  const message = note ? (change.message ? `${change.message}; ${note}` : note) : change.message;
  return { ...change, ...(message !== undefined && { message }), ...(used.length > 0 && { syncOptions: used }) };
}

/** The fields the last lenient send of a manifest left out, for the plan's note. */
const droppedFields = new WeakMap<JsonObject, readonly string[]>();

const NOT_IN_SCHEMA = /(\.[^\s:]+): field not declared in schema/g;

/**
 * Server-side apply of an object with Validate=false. Server-side apply refuses fields the kind's
 * schema does not declare whatever its field validation (kubectl apply --server-side
 * --validate=false too); without validation Argo CD's kubectl apply has the server drop them. So
 * the fields the server names are left out and the object is sent again, until it is taken or
 * refused for another reason. Without Validate=false: sent once, as it is. Plan and apply both
 * send through here, so the dry-run and the apply leave out the same fields.
 */
export async function sendLeniently<T>(send: (manifest: JsonObject) => Promise<T>, manifest: JsonObject, options: SyncOptions | undefined): Promise<T> {
  if (!hasSyncOption(options, 'Validate=false')) return send(manifest);
  let current = manifest;
  const dropped: string[] = [];
  for (;;) {
    try {
      const result = await send(current);
      droppedFields.set(manifest, dropped);
      return result;
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 'invalid') throw e;
      const paths = [...new Set([e.message, ...e.causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`)].flatMap((m) => [...m.matchAll(NOT_IN_SCHEMA)].map((x) => x[1]!)))].filter((p) => !dropped.includes(p));
      const next = paths.reduce<JsonObject | undefined>((o, p) => (o && withoutPath(o, p)) ?? o, current);
      if (paths.length === 0 || next === current || next === undefined) throw e;
      dropped.push(...paths);
      current = next;
    }
  }
}

/**
 * A copy of `obj` without the field at a structured-merge-diff path (".spec.foo",
 * ".spec.containers[name=\"web\"].bar"); undefined when the path cannot be followed.
 */
export function withoutPath(obj: JsonObject, path: string): JsonObject | undefined {
  const segments = [...path.matchAll(/\.([^.[\]]+)|\[([^\]]+)\]/g)].map((m): { field: string } | { keys: Record<string, string> | undefined } => {
    const field = m[1];
    return field !== undefined ? { field } : { keys: parseListKeys(m[2] ?? '') };
  });
  if (segments.length === 0) return undefined;
  const remove = (node: unknown, i: number): unknown => {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if ('field' in seg) {
      if (!isPlainObject(node) || !Object.hasOwn(node, seg.field)) return undefined;
      if (last) return Object.fromEntries(Object.entries(node).filter(([k]) => k !== seg.field));
      const child = remove(node[seg.field], i + 1);
      return child === undefined ? undefined : { ...node, [seg.field]: child };
    }
    if (!Array.isArray(node) || last || !seg.keys) return undefined;
    const at = node.findIndex((item) => isPlainObject(item) && Object.entries(seg.keys!).every(([k, v]) => String(item[k]) === v));
    if (at < 0) return undefined;
    const child = remove(node[at], i + 1);
    return child === undefined ? undefined : node.map((item, j) => (j === at ? child : item));
  };
  const out = remove(obj, 0);
  return isPlainObject(out) ? (out as JsonObject) : undefined;
}

/** `name="web"` or `containerPort=80,protocol="TCP"` → { name: 'web' }…; undefined for other forms (an index, a value). */
function parseListKeys(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const m = /^([A-Za-z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?|true|false))$/.exec(pair.trim());
    if (!m) return undefined;
    out[m[1]!] = m[2] ?? m[3]!;
  }
  return out;
}

/** Server-side dry-run and apply options of an object: field validation off with Validate=false. */
export function validationOf(options: SyncOptions | undefined): { readonly fieldValidation?: 'Ignore' } {
  return hasSyncOption(options, 'Validate=false') ? { fieldValidation: 'Ignore' } : {};
}

/** SkipDryRunOnMissingResource=true: a kind the cluster does not serve is planned as written. */
export function skipsDryRun(options: SyncOptions | undefined): boolean {
  return hasSyncOption(options, 'SkipDryRunOnMissingResource=true');
}

export function skippedDryRunNote(key: ResourceKey): string {
  return `not dry-run: the cluster does not serve ${key.group ? `${key.group}/` : ''}${key.version} ${key.kind} yet, and this plan does not create its CustomResourceDefinition (SkipDryRunOnMissingResource=true); apply fails if it is still not served then`;
}

const isCrdOrNamespace = (k: ResourceKey): boolean => (k.group === 'apiextensions.k8s.io' && k.kind === 'CustomResourceDefinition') || (k.group === '' && k.kind === 'Namespace');

/**
 * Replace=true for an object that exists, as Argo CD does it:
 * - with Force=true (not for CRDs and Namespaces): delete and create again, on every apply
 *   (kubectl replace --force; Argo CD's way to re-run a Job on every sync);
 * - else: an update sending the whole object (PUT, kubectl replace), dry-run here: fields Git
 *   does not set are removed; a change Kubernetes refuses in place (an immutable field) is a
 *   delete and create, as Slipway plans it for server-side apply.
 * Undefined when Replace=true is not set or the object does not exist yet (a create is a create).
 */
export async function predictReplace(
  client: KubeClient,
  d: Settled,
  ctx: {
    readonly live: KubeObject | undefined;
    readonly options: SyncOptions | undefined;
    readonly ignore: readonly IgnoreDifferencesRule[];
    readonly message: string | undefined;
    readonly flags: readonly ChangeFlag[];
    /** The server's answer for the object created from scratch (a dry-run under another name). */
    readonly fresh: () => Promise<JsonObject | undefined>;
  },
): Promise<Change | undefined> {
  const { live, options } = ctx;
  if (!live || !hasSyncOption(options, 'Replace=true')) return undefined;
  const base = { key: d.key, desired: d.manifest, source: d.source.source, flags: ctx.flags };
  const note = (text: string): string => (ctx.message ? `${ctx.message}; ${text}` : text);
  const before = normalize(live as JsonObject, { ignore: ctx.ignore });
  const liveResourceVersion = live.metadata.resourceVersion ?? '';
  if (hasSyncOption(options, 'Force=true') && !isCrdOrNamespace(d.key)) {
    const after = normalize((await ctx.fresh()) ?? d.manifest, { ignore: ctx.ignore });
    return buildReplaceChange({ ...base, before, after, liveResourceVersion, message: note('Replace=true,Force=true: deleted and created again on every apply (kubectl replace --force), as Argo CD does on every sync') });
  }
  const sent = { ...d.manifest, metadata: { ...(d.manifest.metadata as object), resourceVersion: liveResourceVersion } } as KubeObject;
  try {
    const predicted = await withRetry(() => client.update(sent, { fieldManager: FIELD_MANAGER, dryRun: true, fieldValidation: 'Strict', ...validationOf(options) }));
    return changeFromObjects({ ...base, ignore: ctx.ignore, live: live as JsonObject, predicted: predicted as JsonObject, message: note('Replace=true: sent whole (an update, as kubectl replace): fields Git does not set are removed, even those others set') });
  } catch (e) {
    if (!(e instanceof KubeError)) throw e;
    if (e.code === 'cluster-unreachable' || e.code === 'unauthorized' || e.code === 'tls-error' || e.code === 'credentials-error') throw e;
    if (e.code === 'invalid' && (/immutable/i.test(e.message) || e.causes.some((c) => /immutable/i.test(c.message ?? '')))) {
      const after = normalize((await ctx.fresh()) ?? d.manifest, { ignore: ctx.ignore });
      return buildReplaceChange({ ...base, before, after, liveResourceVersion, message: note(`Replace=true: the update is refused (${e.message}), so it must be deleted and created again`) });
    }
    return buildErrorChange({ ...base, liveResourceVersion, message: `Replace=true: the update (PUT) is refused: ${e.message}` });
  }
}

/** One live object no longer in the revision, and the sentence its delete would carry. */
export interface Leftover {
  readonly live: KubeObject;
  readonly reason: string;
}

export interface PruneOutcome {
  /** Deletes (prune on), and noops flagged kept for objects that ask to be kept. */
  readonly changes: readonly Change[];
  /** Objects that stay only because prune is off (the caller's "prune is off" warning lists them). */
  readonly stay: readonly KubeObject[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What a prune does with each object no longer in the revision, by its live annotation (the
 * object being pruned decides, as in Argo CD) over the app's options:
 * - Prune=false: kept, listed as such with the reason, prune on or off;
 * - Prune=confirm: deleted only once confirmed (flag confirm);
 * - IgnoreExtraneous: with prune off, not reported as left behind (an info instead); with prune
 *   on, pruned like any other, with a note (Argo CD's meaning: it only keeps the app Synced);
 * - PrunePropagationPolicy and PruneLast are written on the delete for apply.
 */
export function decidePrunes(leftovers: readonly Leftover[], ctx: { readonly prune: boolean; readonly app: SyncOptions | undefined; readonly ignore: readonly IgnoreDifferencesRule[] }): PruneOutcome {
  const changes: Change[] = [];
  const stay: KubeObject[] = [];
  const extraneous: KubeObject[] = [];
  for (const { live, reason } of leftovers) {
    const options = liveSyncOptions(live, ctx.app);
    const key = keyOfObject(live);
    if (hasSyncOption(options, 'Prune=false')) {
      changes.push(keptChange(live, key, `not pruned: it asks to be kept (${whereFrom(live, 'Prune=false')}); remove the option, or delete it yourself, to have it gone`, ctx.ignore));
      continue;
    }
    if (helmKeeps(live)) {
      changes.push(keptChange(live, key, `not pruned: it asks to be kept (${HELM_RESOURCE_POLICY_ANNOTATION}: keep, as Helm keeps it when a release goes); delete it yourself to have it gone`, ctx.ignore));
      continue;
    }
    if (!ctx.prune) {
      if (hasSyncOption(options, 'IgnoreExtraneous')) extraneous.push(live);
      else stay.push(live);
      continue;
    }
    const confirm = hasSyncOption(options, 'Prune=confirm');
    const notes = [
      reason,
      ...(confirm ? [`asks for a confirmation before it is deleted (${whereFrom(live, 'Prune=confirm')}): apply with --confirm-prune`] : []),
      ...(hasSyncOption(options, 'IgnoreExtraneous') ? ["it carries compare-options IgnoreExtraneous, which in Argo CD only keeps the app Synced and does not stop a prune (add Prune=false to keep it)"] : []),
    ];
    const propagation = Object.hasOwn(options, 'PrunePropagationPolicy') ? [formatSyncOption('PrunePropagationPolicy', options.PrunePropagationPolicy!)] : [];
    const syncOptions = [...(confirm ? ['Prune=confirm'] : []), ...(hasSyncOption(options, 'PruneLast=true') ? ['PruneLast=true'] : []), ...propagation];
    changes.push(changeFromObjects({ key, live: live as JsonObject, ignore: ctx.ignore, message: notes.join('; '), ...(confirm && { flags: ['confirm'] }), ...(syncOptions.length > 0 && { syncOptions }) }));
  }
  const diagnostics: Diagnostic[] =
    extraneous.length > 0
      ? [
          {
            severity: 'info',
            code: 'ignore-extraneous',
            message: `${extraneous.length} object${extraneous.length === 1 ? ' is' : 's are'} no longer in the revision and stay${extraneous.length === 1 ? 's' : ''} (prune is off) without counting as left behind: ${extraneous.length === 1 ? 'it carries' : 'they carry'} compare-options IgnoreExtraneous: ${extraneous.map((o) => formatKey(keyOfObject(o))).join(', ')}`,
          },
        ]
      : [];
  return { changes, stay, diagnostics };
}

/** Helm's resource policy "keep": Helm (and Argo CD) never delete such an object. */
function helmKeeps(live: KubeObject): boolean {
  const annotations = live.metadata.annotations as Record<string, unknown> | undefined;
  return annotations?.[HELM_RESOURCE_POLICY_ANNOTATION] === 'keep';
}

/**
 * A revert's delete (an object the reverted run created): Delete=false keeps it, listed as kept;
 * Delete=confirm needs a confirmation, as Prune=confirm does for a prune.
 */
export function revertDelete(live: KubeObject, ctx: { readonly message: string; readonly app: SyncOptions | undefined; readonly ignore: readonly IgnoreDifferencesRule[] }): Change {
  const options = liveSyncOptions(live, ctx.app);
  const key = keyOfObject(live);
  if (helmKeeps(live)) return keptChange(live, key, `${ctx.message}, but not deleted: it asks to be kept (${HELM_RESOURCE_POLICY_ANNOTATION}: keep)`, ctx.ignore);
  if (hasSyncOption(options, 'Delete=false')) return keptChange(live, key, `${ctx.message}, but not deleted: it asks to be kept (${whereFrom(live, 'Delete=false')})`, ctx.ignore);
  if (hasSyncOption(options, 'Delete=confirm')) {
    return changeFromObjects({ key, live: live as JsonObject, ignore: ctx.ignore, message: `${ctx.message}; asks for a confirmation before it is deleted (${whereFrom(live, 'Delete=confirm')}): apply with --confirm-prune`, flags: ['confirm'], syncOptions: ['Delete=confirm'] });
  }
  return changeFromObjects({ key, live: live as JsonObject, ignore: ctx.ignore, message: ctx.message });
}

function keptChange(live: KubeObject, key: ResourceKey, message: string, ignore: readonly IgnoreDifferencesRule[]): Change {
  return changeFromObjects({ key, live: live as JsonObject, predicted: live as JsonObject, ignore, message, flags: ['kept'] });
}

/** "argocd.argoproj.io/sync-options: Prune=false" when the object says it, else "the app's syncOptions: Prune=false". */
function whereFrom(live: unknown, option: string): string {
  const own = annotationOf(live, SYNC_OPTIONS_ANNOTATION);
  const mine = own !== undefined && own.split(',').some((o) => o.trim() === option);
  return mine ? `${SYNC_OPTIONS_ANNOTATION}: ${option}` : `the app's syncOptions: ${option}`;
}
