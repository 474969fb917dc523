/**
 * Which ConfigMaps and Secrets a Pod spec uses, and how (kubernetes/kubernetes#22368: how decides
 * whether running Pods ever see a change):
 * - env: one variable from a key (env[].valueFrom.configMapKeyRef / secretKeyRef);
 * - envFrom: every key as a variable (envFrom[].configMapRef / secretRef);
 * - volume: files of a configMap, secret or projected volume, mounted whole;
 * - subPath: one file of such a volume mounted with subPath or subPathExpr;
 * - imagePullSecret: credentials to pull images.
 * Environment variables are read when a container starts; mounted volumes are updated by the
 * kubelet; subPath mounts never are.
 */
import { at, objects, str, type Obj } from './fields.js';

export type ConfigKind = 'ConfigMap' | 'Secret';
export type UseHow = 'env' | 'envFrom' | 'volume' | 'subPath' | 'imagePullSecret';

export interface ConfigUse {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly how: UseHow;
  /** The container that reads it (absent for imagePullSecret and volumes no container mounts). */
  readonly container?: string;
  /** In the reader's words: "env LOG_LEVEL", "volume config at /etc/app", "subPath app.conf at /etc/app/app.conf". */
  readonly detail: string;
  /** The reference says optional: true (a missing object does not stop the Pod). */
  readonly optional: boolean;
}

/** Where a volume source names its ConfigMaps and Secrets: [kind, where the name is] per source type. */
const VOLUME_SOURCES: readonly { readonly source: string; readonly kind: ConfigKind; readonly name: string }[] = [
  { source: 'configMap', kind: 'ConfigMap', name: 'name' },
  { source: 'secret', kind: 'Secret', name: 'secretName' },
];
const PROJECTED_SOURCES: readonly { readonly source: string; readonly kind: ConfigKind }[] = [
  { source: 'configMap', kind: 'ConfigMap' },
  { source: 'secret', kind: 'Secret' },
];
const ENV_REFS: readonly { readonly ref: string; readonly kind: ConfigKind }[] = [
  { ref: 'configMapKeyRef', kind: 'ConfigMap' },
  { ref: 'secretKeyRef', kind: 'Secret' },
];
const ENV_FROM_REFS: readonly { readonly ref: string; readonly kind: ConfigKind }[] = [
  { ref: 'configMapRef', kind: 'ConfigMap' },
  { ref: 'secretRef', kind: 'Secret' },
];

/** Every use of a ConfigMap or Secret in a Pod spec, in spec order (volumes by their mounts). */
export function configUses(spec: Obj | undefined): ConfigUse[] {
  if (!spec) return [];
  const uses: ConfigUse[] = [];
  const containers = [...objects(spec, 'initContainers'), ...objects(spec, 'containers'), ...objects(spec, 'ephemeralContainers')];
  for (const c of containers) {
    const container = str(c, 'name');
    for (const e of objects(c, 'env')) {
      for (const { ref, kind } of ENV_REFS) {
        const name = str(e, 'valueFrom', ref, 'name');
        if (name) uses.push({ kind, name, how: 'env', ...(container && { container }), detail: `env ${str(e, 'name') ?? '?'}`, optional: at(e, 'valueFrom', ref, 'optional') === true });
      }
    }
    for (const e of objects(c, 'envFrom')) {
      for (const { ref, kind } of ENV_FROM_REFS) {
        const name = str(e, ref, 'name');
        const prefix = str(e, 'prefix');
        if (name) uses.push({ kind, name, how: 'envFrom', ...(container && { container }), detail: prefix ? `envFrom (prefix ${prefix})` : 'envFrom', optional: at(e, ref, 'optional') === true });
      }
    }
  }
  for (const v of objects(spec, 'volumes')) {
    const volume = str(v, 'name');
    const named: { kind: ConfigKind; name: string; optional: boolean }[] = [];
    for (const s of VOLUME_SOURCES) {
      const name = str(v, s.source, s.name);
      if (name) named.push({ kind: s.kind, name, optional: at(v, s.source, 'optional') === true });
    }
    for (const p of objects(v, 'projected', 'sources')) {
      for (const s of PROJECTED_SOURCES) {
        const name = str(p, s.source, 'name');
        if (name) named.push({ kind: s.kind, name, optional: at(p, s.source, 'optional') === true });
      }
    }
    if (named.length === 0 || !volume) continue;
    for (const c of containers) {
      const container = str(c, 'name');
      for (const m of objects(c, 'volumeMounts').filter((m) => str(m, 'name') === volume)) {
        const mountPath = str(m, 'mountPath') ?? '?';
        const subPath = str(m, 'subPath') ?? str(m, 'subPathExpr');
        for (const n of named) {
          uses.push(
            subPath
              ? { ...n, how: 'subPath', ...(container && { container }), detail: `subPath ${subPath} at ${mountPath}` }
              : { ...n, how: 'volume', ...(container && { container }), detail: `volume ${volume} at ${mountPath}` },
          );
        }
      }
    }
  }
  for (const s of objects(spec, 'imagePullSecrets')) {
    const name = str(s, 'name');
    if (name) uses.push({ kind: 'Secret', name, how: 'imagePullSecret', detail: 'imagePullSecrets', optional: false });
  }
  return uses;
}
