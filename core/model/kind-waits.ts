/**
 * What an apply waits for, per kind: an app's `wait` option (slipway.yaml `options.wait`), keyed
 * by a kind as formatKey writes it — `Service`, `Deployment.apps` — with the values of the
 * `slipway.dev/wait` annotation (./wait.ts). `Kind` is that kind in every API group; `Kind.group`
 * only in that group, and wins over `Kind`.
 *
 * The order (resolveWaitMode): the object's annotation, then its kind's entry, then `healthy` (its
 * kind's built-in health rule). Hooks are not the option's business: they always run to the end.
 */
import { isPlainObject, type DesiredObject } from './desired.js';
import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { ResourceKey } from './resource.js';
import { DEFAULT_WAIT_MODE, readWaitMode, WAIT_ANNOTATION, type WaitMode } from './wait.js';

/** By `Kind` or `Kind.group`; keys are checked with parseKindKey where the option is read. */
export type KindWaits = Readonly<Record<string, WaitMode>>;

const KIND = '[A-Z][A-Za-z0-9]*';
const LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** An API version ("v1", "v2beta1") or "core" is not a group: the core group has no name. */
const NOT_A_GROUP = '(?!core$)(?!v[0-9]+(?:(?:alpha|beta)[0-9]+)?$)';

/** `Kind` or `Kind.group` (the group a lowercase DNS name); also the JSON Schema's pattern of the option's keys. */
export const KIND_KEY_PATTERN = new RegExp(`^${KIND}(?:\\.${NOT_A_GROUP}${LABEL}(?:\\.${LABEL})*)?$`);

/** "Deployment.apps" → { kind, group }, or why the text is no kind, with the form meant when it can tell. */
export function parseKindKey(text: string): { readonly kind: string; readonly group?: string } | { readonly problem: string } {
  if (KIND_KEY_PATTERN.test(text)) {
    const dot = text.indexOf('.');
    return dot < 0 ? { kind: text } : { kind: text.slice(0, dot), group: text.slice(dot + 1) };
  }
  return { problem: kindKeyProblem(text) };
}

const VERSION = /^v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const FORMS = 'a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps)';

function kindKeyProblem(text: string): string {
  const meant = (form: string): string => (KIND_KEY_PATTERN.test(form) ? `; did you mean ${JSON.stringify(form)}?` : '');
  if (text.trim() === '') return `an empty kind: ${FORMS}`;
  if (text.includes('/')) {
    // apiVersion/Kind ("apps/v1/Deployment", "v1/Service", "apps/Deployment"): the version goes, the group follows the kind.
    const parts = text.split('/');
    const kind = parts.at(-1) ?? '';
    const group = parts.slice(0, -1).find((p) => !VERSION.test(p));
    return `${FORMS}, not apiVersion/Kind${meant(group ? `${kind}.${group}` : kind)}`;
  }
  const dot = text.indexOf('.');
  const kind = dot < 0 ? text : text.slice(0, dot);
  const group = dot < 0 ? undefined : text.slice(dot + 1);
  if (!new RegExp(`^${KIND}$`).test(kind)) return `${JSON.stringify(kind)} is not a kind: ${FORMS}, starting with a capital letter`;
  if (group === 'core' || (group !== undefined && VERSION.test(group))) return `${JSON.stringify(group)} is not an API group: the core group has no name${meant(kind)}`;
  if (group !== undefined && group !== group.toLowerCase()) return `API groups are lowercase${meant(`${kind}.${group.toLowerCase()}`)}`;
  return `${JSON.stringify(group)} is not an API group (a DNS name, as apps or cert-manager.io): ${FORMS}`;
}

/** The entry of `waits` for the object's kind: `Kind.group` first, then `Kind`. */
export function kindWaitOf(waits: KindWaits, key: Pick<ResourceKey, 'group' | 'kind'>): { readonly mode: WaitMode; readonly rule: string } | undefined {
  for (const rule of key.group ? [`${key.kind}.${key.group}`, key.kind] : [key.kind]) {
    const mode = Object.hasOwn(waits, rule) ? waits[rule] : undefined;
    if (mode) return { mode, rule };
  }
  return undefined;
}

/** Where an object's wait mode came from: its annotation, its kind's entry of the app's option, or the built-in rule. */
export type WaitSource = 'annotation' | 'kind' | 'default';

export interface ResolvedWait {
  readonly mode: WaitMode;
  readonly from: WaitSource;
  /** The option's key that decided it ("Service"), when `from` is kind. */
  readonly rule?: string;
  /** The annotation's value is no wait mode: the kind's entry or the default decided instead. */
  readonly diagnostic?: Diagnostic;
}

/** An object's wait mode: its `slipway.dev/wait` annotation, else the app's wait for its kind, else healthy. */
export function resolveWaitMode(annotations: Readonly<Record<string, unknown>> | undefined, key: ResourceKey, waits: KindWaits | undefined): ResolvedWait {
  const byKind = waits ? kindWaitOf(waits, key) : undefined;
  const fallback: ResolvedWait = byKind ? { mode: byKind.mode, from: 'kind', rule: byKind.rule } : { mode: DEFAULT_WAIT_MODE, from: 'default' };
  const own = readWaitMode(annotations, key, fallback.mode);
  if (own.diagnostic) return { ...fallback, diagnostic: own.diagnostic };
  return annotations && Object.hasOwn(annotations, WAIT_ANNOTATION) ? { mode: own.mode, from: 'annotation' } : fallback;
}

/** "slipway.dev/wait: applied", "the app's wait for Service: applied": what decided, for a result's message. */
export function describeWait(wait: ResolvedWait): string {
  return wait.from === 'kind' ? `the app's wait for ${wait.rule ?? ''}: ${wait.mode}` : `${WAIT_ANNOTATION}: ${wait.mode}`;
}

/** The option's keys that no object of the app is a kind of (a typo, or a kind the app does not have), sorted. */
export function unusedKindWaits(waits: KindWaits, keys: readonly Pick<ResourceKey, 'group' | 'kind'>[]): string[] {
  const used = new Set(keys.flatMap((k) => (k.group ? [`${k.kind}.${k.group}`, k.kind] : [k.kind])));
  return Object.keys(waits)
    .filter((rule) => !used.has(rule))
    .sort();
}

/**
 * The plan's warnings about waits: each rendered object whose `slipway.dev/wait` is no wait mode
 * (at its file and line), and each key of the app's option that no object of the app is a kind of
 * (at `location`, the app's definition), listing the kinds it has.
 */
export function checkWaits(objects: readonly Pick<DesiredObject, 'key' | 'manifest' | 'source'>[], opts: { readonly waits?: KindWaits; readonly location?: SourceLocation }): Diagnostic[] {
  const annotations = objects.flatMap((o) => {
    const meta = o.manifest.metadata;
    const own = isPlainObject(meta) && isPlainObject(meta.annotations) ? meta.annotations : undefined;
    const { diagnostic } = resolveWaitMode(own, o.key, opts.waits);
    return diagnostic ? [{ ...diagnostic, location: o.source }] : [];
  });
  const unused = opts.waits ? unusedKindWaits(opts.waits, objects.map((o) => o.key)) : [];
  if (unused.length === 0) return annotations;
  const kinds = [...new Set(objects.map((o) => (o.key.group ? `${o.key.kind}.${o.key.group}` : o.key.kind)))].sort();
  const named = unused.map((rule) => JSON.stringify(rule)).join(', ');
  return [
    ...annotations,
    {
      severity: 'warning',
      code: 'wait-kind-unused',
      message: `options.wait: ${named} ${unused.length === 1 ? 'is the kind of no object of the app, so the entry does' : 'are the kinds of no object of the app, so these entries do'} nothing (its kinds: ${kinds.join(', ') || 'none'}; hooks always run to the end)`,
      ...(opts.location && { location: opts.location }),
    },
  ];
}
