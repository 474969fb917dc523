/**
 * Argo CD's sync options (user-guide/sync-options.md) and compare options (compare-options.md),
 * as Slipway reads them: one table of every option value Argo CD knows — where it may be given,
 * and what Slipway does with it — and a pure parser that names file:line for every option it
 * cannot honour, does not know, or finds in the wrong place. Nothing is parsed silently: an
 * option is either honoured, what Slipway always does anyway, or a warning saying why not.
 *
 * Argo CD compares options exactly ("Prune=false", after trimming spaces): a misspelled or
 * differently cased option does nothing there, so it does nothing here either, with a warning.
 */
import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { ResourceKey } from './resource.js';

/** On an object: a comma list, e.g. "Prune=false,ServerSideApply=true". */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** On an object: a comma list, e.g. "IgnoreExtraneous". */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';

/** Where Argo CD reads an option: an object's annotation, an Application's spec.syncPolicy.syncOptions, or both. */
export type SyncOptionScope = 'object' | 'app' | 'both';

/**
 * What Slipway does with one option value:
 * - honoured: it changes the plan or the apply as it changes an Argo CD sync;
 * - always: what Slipway does anyway, so there is nothing to change (no message);
 * - not-honoured: recognised, not done; a warning names the place and says why.
 */
export type SyncOptionSupport = 'honoured' | 'always' | 'not-honoured';

export interface SyncOptionRow {
  /** Which annotation (on objects) the option belongs to; Applications list sync options only. */
  readonly annotation: 'sync-options' | 'compare-options';
  readonly name: string;
  /** The value after "=", exactly as Argo CD compares it; "" for a bare word (IgnoreExtraneous). */
  readonly value: string;
  readonly scope: SyncOptionScope;
  readonly support: SyncOptionSupport;
  /** What Slipway does, or why it does not: the README's table and the warnings say this. */
  readonly slipway: string;
}

const row = (annotation: SyncOptionRow['annotation'], option: string, scope: SyncOptionScope, support: SyncOptionSupport, slipway: string): SyncOptionRow => {
  const at = option.indexOf('=');
  return { annotation, name: at < 0 ? option : option.slice(0, at), value: at < 0 ? '' : option.slice(at + 1), scope, support, slipway };
};

/** Every option value Argo CD knows (gitops-engine pkg/sync/common/types.go and Argo CD's docs), and what Slipway does with it. */
export const SYNC_OPTION_TABLE: readonly SyncOptionRow[] = [
  row('sync-options', 'CreateNamespace=true', 'app', 'honoured', "creates the app's namespace when it is missing (with spec.syncPolicy.managedNamespaceMetadata's labels and annotations), never owns or prunes it"),
  row('sync-options', 'CreateNamespace=false', 'app', 'always', 'the default: the namespace must exist'),
  row('sync-options', 'Prune=false', 'both', 'honoured', 'never deleted by prune: the plan lists the object as kept, and why'),
  row('sync-options', 'Prune=confirm', 'both', 'honoured', "its prune is marked 'confirm' in the plan; apply refuses it unless confirmed (--confirm-prune, or the apply dialog's checkbox)"),
  row('sync-options', 'Delete=false', 'both', 'honoured', 'Slipway never deletes an app with its objects; the one delete that is not a prune, a revert of the run that created it, keeps it (listed as kept)'),
  row('sync-options', 'Delete=confirm', 'both', 'honoured', "a revert's delete of it is marked 'confirm' and needs the same confirmation as Prune=confirm (prune itself follows Prune=)"),
  row('sync-options', 'PruneLast=true', 'both', 'always', 'Slipway prunes after every wave has been applied and is healthy'),
  row('sync-options', 'PrunePropagationPolicy=foreground', 'app', 'honoured', 'prunes with this propagation policy (Slipway\'s default is background)'),
  row('sync-options', 'PrunePropagationPolicy=background', 'app', 'honoured', 'prunes with this propagation policy (Slipway\'s default is background)'),
  row('sync-options', 'PrunePropagationPolicy=orphan', 'app', 'honoured', 'prunes with this propagation policy: dependents are left behind'),
  row('sync-options', 'Validate=false', 'both', 'honoured', "dry-run and apply send it with field validation off (fieldValidation=Ignore, as kubectl --validate=false), and fields the kind's schema does not declare are left out instead of refused (server-side apply refuses them whatever the validation); the plan names them"),
  row('sync-options', 'Validate=true', 'both', 'always', 'the default: unknown fields are errors'),
  row('sync-options', 'SkipDryRunOnMissingResource=true', 'both', 'honoured', 'a kind the cluster does not serve, whose CRD the plan does not create, is planned as a create of the manifest as written (with a note) instead of an error; apply fails if the kind is still not served then'),
  row('sync-options', 'Replace=true', 'both', 'honoured', 'an existing object is sent whole with an update (PUT, as kubectl replace): fields Git does not set are removed, even those others set; it keeps its uid; a missing one is created'),
  row('sync-options', 'Replace=false', 'both', 'always', 'the default: server-side apply'),
  row('sync-options', 'Force=true', 'object', 'honoured', 'with Replace=true: deleted (grace period 0, background) and created again on every apply, as kubectl replace --force and Argo CD on every sync (never for CRDs and Namespaces, which are updated); alone: a change Kubernetes refuses in place is a delete and create, as Slipway always plans it, deleted with grace period 0'),
  row('sync-options', 'ServerSideApply=true', 'both', 'always', 'Slipway always applies server-side'),
  row('sync-options', 'ServerSideApply=false', 'both', 'not-honoured', 'Slipway always applies server-side: its plans are server-side dry-runs, and apply sends exactly what was dry-run'),
  row('sync-options', 'ApplyOutOfSyncOnly=true', 'app', 'always', 'Slipway only ever sends the objects the plan changes'),
  row('sync-options', 'ApplyOutOfSyncOnly=false', 'app', 'not-honoured', 'Slipway never sends unchanged objects: a plan lists only what differs, and apply sends exactly that'),
  row('sync-options', 'RespectIgnoreDifferences=true', 'both', 'not-honoured', "apply sends the fields ignoreDifferences leaves out of the diff as Git has them (the diff hides them, server-side apply still sets them); to leave a field to the cluster, remove it from the manifest"),
  row('sync-options', 'RespectIgnoreDifferences=false', 'both', 'always', 'the default: Git\'s values are applied'),
  row('sync-options', 'FailOnSharedResource=true', 'app', 'not-honoured', 'Slipway does not fail on objects another app owns: the plan flags them (owned by another ApplySet) and apply moves them into this app\'s'),
  row('sync-options', 'FailOnSharedResource=false', 'app', 'always', 'the default'),
  row('sync-options', 'ClientSideApplyMigration=true', 'app', 'not-honoured', "Slipway does not move fields from kubectl's client-side apply manager: such fields show as managed by another manager, and --force-conflicts takes them over"),
  row('sync-options', 'ClientSideApplyMigration=false', 'app', 'always', 'Slipway never migrates client-side apply fields'),
  row('compare-options', 'IgnoreExtraneous', 'object', 'honoured', 'as in Argo CD, it only concerns being in sync: with prune off the object is not reported as left behind; with prune on it is pruned like any other (add Prune=false to keep it)'),
  row('compare-options', 'ServerSideDiff=true', 'both', 'always', 'Slipway always diffs against a server-side dry-run'),
  row('compare-options', 'ServerSideDiff=false', 'both', 'not-honoured', 'Slipway always diffs against a server-side dry-run'),
  row('compare-options', 'IncludeMutationWebhook=true', 'both', 'always', "the server-side dry-run runs the cluster's mutating webhooks"),
  row('compare-options', 'IncludeMutationWebhook=false', 'both', 'not-honoured', "the server-side dry-run always runs the cluster's mutating webhooks"),
];

/** "Prune=false", "IgnoreExtraneous". */
export function formatSyncOption(name: string, value: string): string {
  return value === '' ? name : `${name}=${value}`;
}

/** Options given, by name (the value as written); only options of the table, in the place they belong. */
export type SyncOptions = Readonly<Record<string, string>>;

export interface ParsedSyncOptions {
  readonly options: SyncOptions;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseSyncOptionsContext {
  /** Which list: an object's annotation, or an Application's (or slipway.yaml's) syncOptions. */
  readonly where: 'object' | 'app';
  /** Object annotations only: which of the two. Default sync-options. */
  readonly annotation?: SyncOptionRow['annotation'];
  /** Names the list in messages: "annotation argocd.argoproj.io/sync-options", "spec.syncPolicy.syncOptions". */
  readonly field: string;
  readonly location?: SourceLocation;
  readonly resource?: ResourceKey;
}

/**
 * Parses one list of options: an annotation's comma list or an Application's list of strings.
 * Items are trimmed; empty items are skipped. Options of the table, in their place, are
 * returned; anything else is a warning naming the place (and the likely option, for a typo), and
 * every recognised option Slipway does not honour is a warning saying why.
 */
export function parseSyncOptions(input: string | readonly string[], ctx: ParseSyncOptionsContext): ParsedSyncOptions {
  const annotation = ctx.where === 'app' ? 'sync-options' : (ctx.annotation ?? 'sync-options');
  const options: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  const warn = (code: string, message: string): void => {
    diagnostics.push({ severity: 'warning', code, message: `${ctx.field}: ${message}`, ...(ctx.location && { location: ctx.location }), ...(ctx.resource && { resource: ctx.resource }) });
  };
  // An annotation is a comma list; a list (an Application's) holds one option per item, as Argo CD reads it.
  const items = (typeof input === 'string' ? input.split(',') : input).map((i) => i.trim()).filter((i) => i !== '');
  for (const item of items.filter((i) => i.includes(','))) warn('sync-option-unknown', `${JSON.stringify(item)} holds several options in one item; Argo CD reads one option per item, so it does nothing (give each its own item)`);
  const rows = SYNC_OPTION_TABLE.filter((r) => r.annotation === annotation);
  for (const item of items.filter((i) => !i.includes(','))) {
    const at = item.indexOf('=');
    const name = (at < 0 ? item : item.slice(0, at)).trim();
    const value = at < 0 ? '' : item.slice(at + 1).trim();
    const text = formatSyncOption(name, value);
    const match = rows.find((r) => r.name === name && r.value === value);
    if (!match) {
      const sameName = rows.filter((r) => r.name === name);
      const hint = closestOption(text, rows);
      if (sameName.length > 0 && !hint) {
        warn('sync-option-unknown', `${JSON.stringify(text)} is not a value Argo CD knows for ${name} (expected ${sameName.map((r) => JSON.stringify(formatSyncOption(r.name, r.value))).join(' or ')}), so it does nothing`);
      } else if (hint) {
        warn('sync-option-unknown', `unknown option ${JSON.stringify(text)} (did you mean ${JSON.stringify(hint)}?): Argo CD compares options exactly, so it does nothing`);
      } else {
        const elsewhere = SYNC_OPTION_TABLE.find((r) => r.annotation !== annotation && r.name === name);
        const where = elsewhere ? `; it belongs in the annotation argocd.argoproj.io/${elsewhere.annotation}` : '';
        warn('sync-option-unknown', `unknown option ${JSON.stringify(text)}, which Argo CD does not know${where}, so it does nothing`);
      }
      continue;
    }
    if (match.scope !== 'both' && match.scope !== ctx.where) {
      warn(
        'sync-option-misplaced',
        match.scope === 'app'
          ? `${text} is an Application option (spec.syncPolicy.syncOptions); on an object Argo CD ignores it, and so does Slipway`
          : `${text} is set per object (the annotation ${SYNC_OPTIONS_ANNOTATION}); in an Application's syncOptions Argo CD ignores it, and so does Slipway`,
      );
      continue;
    }
    if (Object.hasOwn(options, name) && options[name] !== value) {
      warn('sync-option-conflict', `${formatSyncOption(name, options[name]!)} and ${text} are both given; the last one, ${text}, counts`);
    }
    options[name] = value;
    if (match.support === 'not-honoured') warn('sync-option-not-honoured', `${text} is not honoured by Slipway: ${match.slipway}`);
  }
  return { options, diagnostics };
}

/** An object's options over its app's: an option set on the object wins over the app's (as Argo CD says of Prune and Delete). */
export function effectiveSyncOptions(app: SyncOptions | undefined, object: SyncOptions | undefined): SyncOptions {
  return { ...app, ...object };
}

/** Whether `options` hold exactly this option. */
export function hasSyncOption(options: SyncOptions | undefined, option: string): boolean {
  const at = option.indexOf('=');
  const name = at < 0 ? option : option.slice(0, at);
  const value = at < 0 ? '' : option.slice(at + 1);
  return options !== undefined && Object.hasOwn(options, name) && options[name] === value;
}

/** The option of the table closest to `text` (a typo, other casing), if any is close. */
function closestOption(text: string, rows: readonly SyncOptionRow[]): string | undefined {
  let best: { option: string; distance: number } | undefined;
  for (const r of rows) {
    const option = formatSyncOption(r.name, r.value);
    const distance = editDistance(text.toLowerCase(), option.toLowerCase());
    const close = distance === 0 || distance <= Math.max(1, Math.floor(option.length / 5));
    if (close && (!best || distance < best.distance)) best = { option, distance };
  }
  return best?.option;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min((previous[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = next;
  }
  return previous[b.length] ?? 0;
}
