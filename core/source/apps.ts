/**
 * App: what gets deployed together — a repository folder, how to render it (directory,
 * kustomize, helm), where it goes (context, namespace) and the options of its plan and apply.
 *
 * Apps come from three places, all pure functions over text or objects the caller has read:
 *   - `slipway.yaml` at the repository root (`./slipway-config.ts`, `parseSlipwayConfig`),
 *   - a folder picked without configuration (`defaultApp` here),
 *   - Argo CD Applications and Flux Kustomizations found in the repository
 *     (`./gitops.ts`, `importGitOpsApps`).
 *
 * Paths are repository-relative with "/" separators, never start with "./" or "/", never end
 * with "/", never leave the repository; "" is the repository root (`./paths.ts`).
 */
import { SlipwayError } from '../model/diagnostics.js';
import type { KindWaits } from '../model/kind-waits.js';
import type { SyncOptions } from '../model/sync-options.js';
import { lastSegment, normalizeRepoPath } from './paths.js';

export type SourceType = 'directory' | 'kustomize' | 'helm';

export const SOURCE_TYPES: readonly SourceType[] = ['directory', 'kustomize', 'helm'];

export interface HelmOptions {
  /** `helm template <releaseName>`; the renderer picks the app name when absent. */
  readonly releaseName?: string;
  /**
   * Values files in the order given (later wins, like repeated `--values`), **repository-relative**.
   * `slipway.yaml` and Argo CD write them relative to the app's folder; they are normalized to
   * repository-relative paths when the App is built, so the renderer never has to know.
   */
  readonly valuesFiles: readonly string[];
  /** Like `--set key=value`, sorted by key. Values are kept as written (`"1.10"` stays `1.10`). */
  readonly set: Readonly<Record<string, string>>;
  /** Inline values (a Flux HelmRelease's spec.values, its ConfigMap valuesFrom merged in), applied after the values files. */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Instead of `values` when a Flux HelmRelease's valuesFrom names a Secret of this repository:
   * its valuesFrom in order, then spec.values, merged as Flux merges them when the app is rendered.
   * A Secret is a reference only: its values are read (and decrypted) by the renderer and given
   * to Helm on stdin, never kept in the app, which is listed and recorded.
   */
  readonly valuesLayers?: readonly HelmValuesLayer[];
}

/** One layer of a Flux HelmRelease's values: values as written (spec.values, a ConfigMap's), or a Secret of the repository. */
export type HelmValuesLayer = { readonly values: Readonly<Record<string, unknown>> } | { readonly secret: SecretValuesRef };

/** A Secret of this repository whose values a Flux HelmRelease's valuesFrom names (core/render/secret-values.ts reads it). */
export interface SecretValuesRef {
  /** "spec.valuesFrom[2]", for messages. */
  readonly field: string;
  readonly name: string;
  readonly namespace?: string;
  /** valuesKey: the key of the Secret's data holding the values ("values.yaml" by default). */
  readonly key: string;
  /** The key's value goes to this path ("a.b.c") as a string, instead of being merged as YAML. */
  readonly targetPath?: string;
  readonly optional: boolean;
  /** Where it is defined: a file of the repository, or the rendering of a folder (the kustomize overlay that renders the HelmRelease: a secretGenerator, a SOPS-encrypted file). */
  readonly from: { readonly file: string } | { readonly render: string };
}

/** A Jsonnet external variable or top-level argument: a string, or Jsonnet code when `code` (Argo CD's `code: true`). */
export interface JsonnetVariable {
  readonly name: string;
  readonly value: string;
  readonly code: boolean;
}

/**
 * Which files of its folder a directory app reads (Argo CD's spec.source.directory): `recurse`
 * absent means subfolders too (a Slipway folder app); Argo CD's own default, false, is set by its
 * importer. `include` / `exclude` are Argo CD's globs over the path relative to the app's folder.
 */
export interface DirectoryOptions {
  readonly jsonnet?: JsonnetOptions;
  readonly recurse?: boolean;
  readonly include?: string;
  readonly exclude?: string;
}

/** How a directory app's `.jsonnet` files are evaluated (Argo CD's spec.source.directory.jsonnet). */
export interface JsonnetOptions {
  readonly extVars: readonly JsonnetVariable[];
  readonly tlas: readonly JsonnetVariable[];
  /** Library folders searched by imports, **repository-relative** (as in Argo CD). */
  readonly libs: readonly string[];
}

/** One rule of Argo CD's `ignoreDifferences`, same field names and meaning. */
export interface IgnoreDifferencesRule {
  /** API group, "" or absent for the core group. */
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** RFC 6901 pointers into the object, e.g. "/spec/replicas". */
  readonly jsonPointers?: readonly string[];
  /** jq path expressions, e.g. ".spec.template.spec.containers[] | select(.name == \"istio-proxy\")". */
  readonly jqPathExpressions?: readonly string[];
  /** Ignore fields owned by these field managers (server-side apply managedFields). */
  readonly managedFieldsManagers?: readonly string[];
}

export interface AppOptions {
  /** Delete objects this app applied before but no longer renders (through its ApplySet). */
  readonly prune: boolean;
  /** Create the destination namespace when it does not exist. */
  readonly createNamespace: boolean;
  readonly ignoreDifferences: readonly IgnoreDifferencesRule[];
  /** Apply asks for an explicit confirmation (e.g. production). */
  readonly protected: boolean;
  /** Argo CD sync options of the whole app (an Application's spec.syncPolicy.syncOptions, slipway.yaml's syncOptions); an object's annotation wins over them. */
  readonly syncOptions?: SyncOptions;
  /** Labels and annotations of the namespace createNamespace creates (Argo CD's spec.syncPolicy.managedNamespaceMetadata). */
  readonly managedNamespaceMetadata?: NamespaceMetadata;
  /** What apply waits for per kind (slipway.yaml's options.wait); an object's slipway.dev/wait annotation wins. */
  readonly wait?: KindWaits;
}

export interface NamespaceMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type AppOriginKind = 'slipway.yaml' | 'folder' | 'argocd' | 'flux';

export interface AppOrigin {
  readonly kind: AppOriginKind;
  /** Repository-relative file that defined the app (absent for a picked folder). */
  readonly file?: string;
  /** 1-based line of the app's definition in `file`. */
  readonly line?: number;
  /** The Argo CD ApplicationSet (metadata.name) that generated the app's Application. */
  readonly applicationSet?: string;
  /**
   * The object that defines the app, for a Flux HelmRelease: how the same release rendered by a
   * kustomize overlay (apps/staging patching apps/base) is told to be this one (core/source/children.ts).
   */
  readonly object?: { readonly kind: string; readonly namespace?: string; readonly name: string };
}

export interface App {
  /** DNS-label-like: lowercase letters, digits and "-", starts and ends alphanumeric, at most 63 characters. */
  readonly name: string;
  /** Repository-relative folder; "" is the repository root. */
  readonly path: string;
  readonly source: {
    /** 'auto': decided from the files at render time with `detectSourceType`. */
    readonly type: SourceType | 'auto';
    readonly helm?: HelmOptions;
    /** A chart from a Helm repository (https://) or OCI registry (oci://), as an Argo CD source names it; the app's path is unused. */
    readonly chart?: { readonly repoURL: string; readonly chart: string; readonly targetRevision: string };
    /** Directory apps: which files are read and how their `.jsonnet` files are evaluated. */
    readonly directory?: DirectoryOptions;
  };
  readonly destination: {
    /** kubeconfig context name (a hint: the user picks the Target); absent = the one chosen at plan time. */
    readonly context?: string;
    /** Default namespace for namespaced objects that name none. */
    readonly namespace?: string;
  };
  readonly options: AppOptions;
  /** Revision the GitOps controller follows (imported apps only), e.g. "main", "HEAD", "v1.2.0". */
  readonly targetRevision?: string;
  /** The repository URL the Argo CD source names (imported Applications only): its child apps in the same repository are planned. */
  readonly repoUrl?: string;
  /**
   * A child app: the app whose rendering holds the Application that defines it (app of apps,
   * core/source/children.ts). Absent for apps defined in the repository's files.
   */
  readonly parent?: string;
  readonly origin: AppOrigin;
}

export const DEFAULT_APP_OPTIONS: AppOptions = Object.freeze({
  prune: false,
  createNamespace: false,
  ignoreDifferences: Object.freeze([]) as readonly IgnoreDifferencesRule[],
  protected: false,
});

export const APP_NAME_MAX_LENGTH = 63;
/** Like a Kubernetes DNS label (RFC 1123): "web", "api-v2", "0-ops". */
export const APP_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const APP_NAME_RULE = 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

export function isValidAppName(name: string): boolean {
  return name.length <= APP_NAME_MAX_LENGTH && APP_NAME_PATTERN.test(name);
}

/**
 * Turns any label (a folder name, an Argo CD application name) into a valid app name:
 * lowercased, runs of other characters become one "-", trimmed to 63 characters.
 * Returns "" when nothing usable is left; callers pick a fallback.
 */
export function toAppName(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, APP_NAME_MAX_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/**
 * The app for a folder picked without configuration. Its name is the folder's last segment
 * ("apps/web" → "web"); for the repository root it is `opts.repoName` (the repository folder's
 * name, e.g. "shop-infra"), or "root" when that is absent. Names are made valid with
 * `toAppName` ("My_App" → "my-app"); a name with nothing usable left becomes "root"/"app".
 * The source type is 'auto' (the caller runs `detectSourceType` on the folder's files).
 * Throws SlipwayError "invalid-app-path" for an absolute path or one that leaves the repository.
 */
export function defaultApp(path: string, opts: { repoName?: string } = {}): App {
  const normalized = normalizeRepoPath(path);
  if (!normalized.ok) throw new SlipwayError('invalid-app-path', `app path ${JSON.stringify(path)}: ${normalized.reason}`);
  const isRoot = normalized.path === '';
  const label = isRoot ? (opts.repoName ?? '') : lastSegment(normalized.path);
  const name = toAppName(label) || (isRoot ? 'root' : 'app');
  return {
    name,
    path: normalized.path,
    source: { type: 'auto' },
    destination: {},
    options: DEFAULT_APP_OPTIONS,
    origin: { kind: 'folder' },
  };
}

/** What the user chose for this plan on top of the app's own settings (CLI flags, the UI's fields). */
export interface AppOverrides {
  /** The destination namespace (`--namespace`/`-n`), instead of the app's. */
  readonly namespace?: string;
  /** Prune on or off whatever the app says (`--prune`, the UI's toggle); absent: the app's option. */
  readonly prune?: boolean;
  /** Create the namespace when missing, or not (`--create-namespace`, the UI's toggle); absent: the app's option. */
  readonly createNamespace?: boolean;
}

/** The app with its namespace settled (override, else its own, else `fallback`: the context's) and the overrides applied. */
export function withOverrides(app: App, overrides: AppOverrides, fallbackNamespace: string): App {
  return {
    ...app,
    destination: { ...app.destination, namespace: overrides.namespace ?? app.destination.namespace ?? fallbackNamespace },
    options: { ...app.options, ...(overrides.prune !== undefined && { prune: overrides.prune }), ...(overrides.createNamespace !== undefined && { createNamespace: overrides.createNamespace }) },
  };
}

/** File names that make a folder a kustomization (the names kustomize itself accepts). */
export const KUSTOMIZATION_FILES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
export const HELM_CHART_FILE = 'Chart.yaml';

/**
 * How a folder renders, from the repository-relative paths of its files (e.g. a Snapshot's).
 * Only files directly in `appPath` count. A kustomization file wins over Chart.yaml when both
 * are present (Argo CD's discovery does the same); neither → directory.
 */
export function detectSourceType(filesUnderAppPath: readonly string[], appPath: string): SourceType {
  const normalized = normalizeRepoPath(appPath);
  const dir = normalized.ok ? normalized.path : appPath;
  const prefix = dir === '' ? '' : `${dir}/`;
  const namesInFolder = new Set<string>();
  for (const file of filesUnderAppPath) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    if (rest !== '' && !rest.includes('/')) namesInFolder.add(rest);
  }
  if (KUSTOMIZATION_FILES.some((f) => namesInFolder.has(f))) return 'kustomize';
  if (namesInFolder.has(HELM_CHART_FILE)) return 'helm';
  return 'directory';
}

/** Orders apps by name (then origin file and line, for equal names), the order every list of apps is returned in. */
export function compareApps(a: App, b: App): number {
  return (
    compareStrings(a.name, b.name) ||
    compareStrings(a.origin.file ?? '', b.origin.file ?? '') ||
    (a.origin.line ?? 0) - (b.origin.line ?? 0)
  );
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
