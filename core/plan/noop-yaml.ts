/**
 * The YAML of objects that re-plan unchanged, kept in the disk cache. An object that neither Git nor
 * the cluster changed since its apply is planned as a noop whose sides are the live object,
 * normalized: a pure function of that object (its uid and resourceVersion name it exactly) and of
 * the app's ignoreDifferences. Writing that YAML was the largest part of a re-plan's CPU (and its
 * garbage), so a later process reads it instead of normalizing and writing it again.
 * Never a Secret or a SealedSecret: their sides are masked, but nothing of theirs is kept.
 */
import { diskCache } from '../disk-cache/process.js';
import { contentHash } from '../model/canonical.js';
import type { KubeObject } from '../kube/types.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { SLIPWAY_VERSION } from '../version.js';
import { isSealedSecret } from './sealed-secrets.js';
import { isSecret } from '../model/secrets.js';
import type { Change } from './types.js';

/** Bump when normalization or the YAML writer changes what an unchanged object's sides look like. */
const FORMAT = 1;
export const NOOP_YAML_NAMESPACE = `noop-yaml/${FORMAT}/${SLIPWAY_VERSION}`;

export interface NoopYaml {
  /** The cached YAML of this live object's normalized sides, if a process wrote it before. */
  get(live: KubeObject): string | undefined;
  /** Keeps a noop change's YAML for later processes (written by save). */
  remember(live: KubeObject, change: Change): void;
  /** Writes what was remembered, in one transaction. */
  save(): void;
}

const NONE: NoopYaml = { get: () => undefined, remember: () => undefined, save: () => undefined };

/** The cache for the live objects a plan may find unchanged; reads their entries at once. Without a disk cache: one that holds nothing. */
export function noopYamlFor(live: Iterable<KubeObject>, ignore: readonly IgnoreDifferencesRule[] | undefined): NoopYaml {
  const disk = diskCache();
  if (!disk) return NONE;
  const rules = contentHash(ignore ?? []);
  const keyOf = (o: KubeObject): string | undefined => {
    const { uid, resourceVersion } = o.metadata;
    if (!uid || !resourceVersion || isSecret(o) || isSealedSecret(o)) return undefined;
    return `${uid}@${resourceVersion}|${rules}`;
  };
  const keys = [...live].flatMap((o) => keyOf(o) ?? []);
  const found = disk.getMany(NOOP_YAML_NAMESPACE, keys);
  const fresh = new Map<string, string>();
  return {
    get: (o) => {
      const key = keyOf(o);
      return key === undefined ? undefined : found.get(key);
    },
    remember: (o, change) => {
      const key = keyOf(o);
      if (key !== undefined && change.action === 'noop' && change.before !== undefined && change.before === change.after) fresh.set(key, change.before);
    },
    save: () => disk.putMany(NOOP_YAML_NAMESPACE, fresh),
  };
}
