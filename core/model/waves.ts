/**
 * Sync waves (Argo CD user-guide/sync-waves.md): an integer per object, read from annotations;
 * lower waves are applied (and healthy) before higher ones. Pure.
 */
import type { Diagnostic } from './diagnostics.js';
import { HELM_HOOK_WEIGHT_ANNOTATION } from './hooks.js';
import { formatKey, type ResourceKey } from './resource.js';

/** Slipway's own wave annotation. Integer, may be negative, default 0. Wins over Argo CD's. */
export const WAVE_ANNOTATION = 'slipway.dev/wave';
/** Argo CD's, read for compatibility with repositories that already use it. */
export const ARGO_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Looked up in this order: the first one present decides (even when its value is bad). Helm's hook weight last, as gitops-engine `syncwaves.Wave`. */
export const WAVE_ANNOTATIONS: readonly string[] = [WAVE_ANNOTATION, ARGO_WAVE_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION];

const INTEGER = /^[+-]?\d+$/;

/**
 * The wave of an object from its annotations: Slipway's annotation if present, else Argo CD's,
 * else 0. A value that is not an integer gives wave 0 and an error diagnostic naming the object.
 */
export function readWave(annotations: Readonly<Record<string, string>>, key: ResourceKey): { wave: number; diagnostic?: Diagnostic } {
  const name = WAVE_ANNOTATIONS.find((a) => Object.hasOwn(annotations, a));
  if (name === undefined) return { wave: 0 };
  const raw = annotations[name] ?? '';
  const text = raw.trim();
  const wave = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(wave)) return { wave: wave === 0 ? 0 : wave };
  return {
    wave: 0,
    diagnostic: {
      severity: 'error',
      code: 'wave-invalid',
      message: `annotation ${name}: ${JSON.stringify(raw)} is not an integer wave (e.g. "-1", "0", "5"); ${formatKey(key)} would run in wave 0`,
      resource: key,
    },
  };
}
