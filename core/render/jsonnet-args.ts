/**
 * The command line of `jsonnet` for one file of a directory app, as Argo CD's repo server builds
 * its Jsonnet VM: the app's folder and the libs (repository-relative, right-most wins) as library
 * paths, extVars and tlas as strings or code, each value with Argo CD's build environment
 * substituted ($ARGOCD_APP_NAME, ${ARGOCD_APP_NAMESPACE}, …; unknown names become "", $$ is "$").
 * Run from the root of the materialized copy, so every path jsonnet prints is repository-relative.
 */
import type { JsonnetOptions, JsonnetVariable } from '../source/apps.js';

export type BuildEnvironment = Readonly<Record<string, string>>;

/** Argo CD's build environment, as far as a local render knows it. */
export function buildEnvironment(app: { readonly name: string; readonly path: string; readonly namespace?: string; readonly revision?: string }): BuildEnvironment {
  return {
    ARGOCD_APP_NAME: app.name,
    ARGOCD_APP_NAMESPACE: app.namespace ?? '',
    ARGOCD_APP_SOURCE_PATH: app.path,
    ...(app.revision !== undefined && { ARGOCD_APP_REVISION: app.revision, ARGOCD_APP_REVISION_SHORT: app.revision.slice(0, 7) }),
  };
}

/** Like Go's os.Expand with Argo CD's mapping: $NAME and ${NAME}; $$ stays "$". */
export function envsubst(value: string, env: BuildEnvironment): string {
  return value.replace(/\$(\$|\{([^}]*)\}|[A-Za-z0-9_]+)/g, (_m, all: string, braced: string | undefined) => (all === '$' ? '$' : (env[braced ?? all] ?? '')));
}

const flag = (kind: 'ext' | 'tla', v: JsonnetVariable, env: BuildEnvironment): string[] => [`--${kind}-${v.code ? 'code' : 'str'}`, `${v.name}=${envsubst(v.value, env)}`];

export function jsonnetArgs(file: string, opts: { readonly appPath: string; readonly jsonnet?: JsonnetOptions; readonly env: BuildEnvironment }): string[] {
  const j = opts.jsonnet;
  return [
    '-J',
    opts.appPath || '.',
    ...(j?.libs ?? []).flatMap((lib) => ['-J', lib || '.']),
    ...(j?.extVars ?? []).flatMap((v) => flag('ext', v, opts.env)),
    ...(j?.tlas ?? []).flatMap((v) => flag('tla', v, opts.env)),
    '--',
    file,
  ];
}
