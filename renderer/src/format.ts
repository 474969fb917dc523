/** Small pure helpers that turn contract values into words for the UI. */
import type { Action, Change, ChangeFlag, PlanSummary, ResourceKey } from '../../core/api/contract.js';

export const ACTION_SYMBOL: Readonly<Record<Action, string>> = {
  create: '+',
  update: '~',
  delete: '−',
  replace: '±',
  noop: '=',
  error: '!',
};

export const ACTION_LABEL: Readonly<Record<Action, string>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  replace: 'replace',
  noop: 'unchanged',
  error: 'error',
};

/** Actions in the order a reviewer reads them. */
export const ACTIONS: readonly Action[] = ['create', 'update', 'replace', 'delete', 'error', 'noop'];

export const FLAG_TEXT: Readonly<Record<ChangeFlag, { label: string; explain: string }>> = {
  'after-crd': { label: 'after CRD', explain: 'A custom resource whose CRD this plan creates: the server could not dry-run it yet.' },
  'after-namespace': { label: 'after namespace', explain: 'Its namespace is created by this plan, so the server could not dry-run it yet.' },
  approximate: { label: 'approximate', explain: 'No permission to dry-run: compared without the server, so defaults it adds are unknown.' },
  dangerous: { label: 'dangerous', explain: 'Destroys data or availability (a replace, or deleting a Namespace, PVC or CRD).' },
  'other-applyset': { label: 'other app', explain: 'The live object belongs to another ApplySet.' },
  'other-manager': { label: 'conflict', explain: 'Fields this plan sets are managed by another field manager: apply would conflict.' },
  adopt: { label: 'adopt', explain: 'The object exists but is not yet part of this app; apply takes it over.' },
  confirm: { label: 'confirm', explain: 'The object asks for a confirmation before it is deleted (Argo CD sync option Prune=confirm or Delete=confirm): apply needs it confirmed.' },
  kept: { label: 'kept', explain: 'No longer in the revision, but not deleted: the object asks to be kept (Argo CD sync option Prune=false or Delete=false).' },
};

/** Terraform's words: a replace adds one and destroys one. */
export function summaryLine(s: PlanSummary): string {
  return `${s.create + s.replace} to add · ${s.update} to change · ${s.delete + s.replace} to destroy`;
}

export function changeCount(s: PlanSummary): number {
  return s.create + s.update + s.delete + s.replace;
}

/** "Deployment shop/web", "ClusterRole admin". */
export function keyLabel(key: ResourceKey): string {
  return key.namespace ? `${key.kind} ${key.namespace}/${key.name}` : `${key.kind} ${key.name}`;
}

/** A stable id for one change in one plan. */
export function changeId(c: Change): string {
  const k = c.key;
  return `${k.group}/${k.version}/${k.kind}/${k.namespace ?? ''}/${k.name}`;
}

export function apiVersion(key: ResourceKey): string {
  return key.group ? `${key.group}/${key.version}` : key.version;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 hours ago", "yesterday", "just now". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function absoluteTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}

export function locationLabel(loc: { file: string; line?: number; column?: number } | undefined): string | undefined {
  if (!loc) return undefined;
  return `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}`;
}
