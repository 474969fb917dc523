/**
 * `slipway.yaml`: the optional file at the repository root that lists a repository's apps.
 *
 * ```yaml
 * apiVersion: slipway.dev/v1alpha1
 * kind: Config
 * apps:
 *   - name: web                      # required; lowercase letters, digits, "-" (a DNS label), unique
 *     path: apps/web                 # required; folder relative to the repository root ("." = root)
 *     source:                        # optional
 *       type: helm                   # auto (default) | directory | kustomize | helm;
 *                                    #   a `helm` block without `type` means helm
 *       helm:                        # only for type helm or auto
 *         releaseName: web           # default: the app name (chosen by the renderer)
 *         valuesFiles:               # relative to the app's folder; may use ".." inside the repo
 *           - values.yaml
 *           - ../shared/values-prod.yaml
 *         set:                       # like --set; numbers and booleans are kept as written
 *           image.tag: "1.4.2"
 *           replicas: 3
 *       directory:                   # only for type directory or auto (Argo CD's spec.source.directory)
 *         recurse: true              # read subfolders too (default true)
 *         include: '*.yaml'          # globs over paths in the folder: * crosses "/", {a,b} alternates
 *         exclude: '{test/*,*.json}' #   exclude wins over include
 *         jsonnet:                   # .jsonnet files are evaluated as Argo CD's directory.jsonnet
 *           extVars: [{ name: env, value: prod }]
 *           tlas: [{ name: replicas, value: "3", code: true }]
 *           libs: [vendor]           # relative to the repository root, as in Argo CD
 *     destination:                   # optional
 *       context: prod-eu             # kubeconfig context (a hint; the user picks the target)
 *       namespace: web               # default namespace for objects that name none
 *     options:                       # optional; all default to false / []
 *       prune: true                  # delete objects the app no longer renders
 *       createNamespace: true        # create destination.namespace when missing
 *       protected: true              # apply asks for explicit confirmation
 *       ignoreDifferences:           # Argo CD syntax
 *         - group: apps
 *           kind: Deployment
 *           jsonPointers: [/spec/replicas]
 *       syncOptions:                 # Argo CD's, as in an Application's spec.syncPolicy.syncOptions
 *         - Prune=confirm            #   (core/model/sync-options.ts: each honoured, or a warning)
 *       managedNamespaceMetadata:    # labels and annotations of the namespace createNamespace creates
 *         labels: { team: web }
 *       wait:                        # what apply waits for per kind (./wait-config.ts); the
 *         Service: applied           #   slipway.dev/wait annotation of an object wins
 * ```
 *
 * The file is YAML 1.2 (`yes`, `on` are strings, not booleans) holding one document. Unknown
 * fields are errors (a typo never passes silently). Every diagnostic names the file, line and
 * column of the offending node. The JSON Schema (`slipwayConfigJsonSchema`) checks the shape for
 * editors; path, values-file and duplicate-name checks happen only here. The revision is not part of the file: it is what the
 * user picks.
 */
import { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { parseSyncOptions } from '../model/sync-options.js';
import type { App, DirectoryOptions, HelmOptions, IgnoreDifferencesRule } from './apps.js';
import { APP_NAME_MAX_LENGTH, APP_NAME_PATTERN, APP_NAME_RULE, compareApps, DEFAULT_APP_OPTIONS } from './apps.js';
import { normalizeRepoPath, resolveRepoPath } from './paths.js';
import { jsonnetConfigSchema, toJsonnetOptions } from './jsonnet-config.js';
import { kindWaitsSchema, toKindWaits } from './wait-config.js';
import type { PathSegment, YamlSource } from './yaml-locations.js';
import { isRecord, sortDiagnostics } from './util.js';
import { formatPath, locate, lookupNode, parseYamlSource, scalarSource } from './yaml-locations.js';

export const SLIPWAY_CONFIG_FILE = 'slipway.yaml';
export const SLIPWAY_API_VERSION = 'slipway.dev/v1alpha1';
export const SLIPWAY_CONFIG_KIND = 'Config';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HELM_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const nonEmpty = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

export const ignoreDifferencesRuleSchema = z
  .strictObject({
    group: z.string().optional().describe('API group; "" or absent for the core group'),
    kind: nonEmpty('a kind').describe('Kind, e.g. Deployment'),
    name: z.string().optional(),
    namespace: z.string().optional(),
    jsonPointers: z
      .array(z.string().regex(/^(\/.*)?$/, { error: 'a JSON pointer starts with "/", e.g. /spec/replicas' }))
      .optional()
      .describe('RFC 6901 pointers, e.g. /spec/replicas'),
    jqPathExpressions: z.array(nonEmpty('a jq path expression')).optional(),
    managedFieldsManagers: z.array(nonEmpty('a field manager name')).optional(),
  })
  .superRefine((rule, ctx) => {
    if (!rule.jsonPointers?.length && !rule.jqPathExpressions?.length && !rule.managedFieldsManagers?.length) {
      ctx.addIssue({ code: 'custom', message: 'a rule ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers' });
    }
  })
  .describe("One rule of Argo CD's ignoreDifferences");

const helmSchema = z
  .strictObject({
    releaseName: z
      .string()
      .max(53, { error: 'a Helm release name has at most 53 characters' })
      .regex(HELM_RELEASE_NAME, { error: 'a Helm release name uses lowercase letters, digits, "-" and "."' })
      .optional()
      .describe('Release name; default: the app name'),
    valuesFiles: z
      .array(nonEmpty('a values file path'))
      .default([])
      .describe('Values files relative to the app folder, applied in order (later wins)'),
    set: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }))
      .default({})
      .describe('Like helm --set key=value; numbers and booleans are kept as written'),
  })
  .describe('Helm options');

const sourceSchema = z
  .strictObject({
    type: z
      .enum(['auto', 'directory', 'kustomize', 'helm'])
      .optional()
      .describe('How the folder renders; auto (default, or helm when a helm block is given): kustomization file → kustomize, Chart.yaml → helm, else plain manifests'),
    helm: helmSchema.optional(),
    directory: z
      .strictObject({
        recurse: z.boolean().optional().describe('Read subfolders too (default true; an Argo CD Application defaults to false)'),
        include: z.string().min(1).optional().describe("Only files whose path in the app's folder matches this glob (Argo CD's: * crosses /, {a,b} alternates)"),
        exclude: z.string().min(1).optional().describe('Leave out files whose path matches this glob; wins over include'),
        jsonnet: jsonnetConfigSchema.optional(),
      })
      .optional()
      .describe('Directory options: which files are read, how .jsonnet files are evaluated'),
  })
  .superRefine((source, ctx) => {
    if (source.helm && (source.type === 'directory' || source.type === 'kustomize')) {
      ctx.addIssue({ code: 'custom', path: ['helm'], message: `helm options need source.type helm or auto, not ${source.type}` });
    }
    if (source.directory && (source.type === 'helm' || source.type === 'kustomize' || source.helm)) {
      ctx.addIssue({ code: 'custom', path: ['directory'], message: `directory options need source.type directory or auto, not ${source.type ?? 'helm'}` });
    }
    source.directory?.jsonnet?.libs.forEach((lib, i) => {
      const normalized = normalizeRepoPath(lib);
      if (!normalized.ok) ctx.addIssue({ code: 'custom', path: ['directory', 'jsonnet', 'libs', i], message: `lib ${JSON.stringify(lib)} ${normalized.reason}` });
    });
  })
  .describe('How the folder is rendered');

const destinationSchema = z
  .strictObject({
    context: nonEmpty('a kubeconfig context name').optional().describe('kubeconfig context to deploy to (a hint shown when picking the target)'),
    namespace: z
      .string()
      .max(63, { error: 'a namespace has at most 63 characters' })
      .regex(DNS_LABEL, { error: 'a namespace uses lowercase letters, digits and "-", starting and ending with a letter or digit' })
      .optional()
      .describe('Default namespace for namespaced objects that name none'),
  })
  .describe('Where the app goes');

const optionsSchema = z
  .strictObject({
    prune: z.boolean().default(false).describe('Delete objects this app applied before and no longer renders'),
    createNamespace: z.boolean().default(false).describe('Create destination.namespace when it does not exist'),
    protected: z.boolean().default(false).describe('Apply asks for an explicit confirmation'),
    ignoreDifferences: z.array(ignoreDifferencesRuleSchema).default([]).describe("Fields to leave out of the diff (Argo CD's ignoreDifferences syntax)"),
    syncOptions: z.array(z.string()).default([]).describe("Argo CD sync options of the whole app, e.g. Prune=confirm (an object's argocd.argoproj.io/sync-options annotation wins)"),
    managedNamespaceMetadata: z
      .strictObject({ labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() })
      .optional()
      .describe('Labels and annotations of the namespace createNamespace creates'),
    wait: kindWaitsSchema.optional(),
  })
  .describe('How the app is planned and applied');

const appSchema = z
  .strictObject({
    name: z
      .string()
      .max(APP_NAME_MAX_LENGTH, { error: `an app name has at most ${APP_NAME_MAX_LENGTH} characters` })
      .regex(APP_NAME_PATTERN, { error: `an app name uses ${APP_NAME_RULE}` })
      .describe('Unique app name (a DNS label)'),
    path: z.string().describe('Folder relative to the repository root; "." is the root'),
    source: sourceSchema.optional(),
    destination: destinationSchema.optional(),
    options: optionsSchema.optional(),
  })
  .superRefine((app, ctx) => {
    const path = normalizeRepoPath(app.path);
    if (!path.ok) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `app path ${JSON.stringify(app.path)} ${path.reason}` });
      return;
    }
    app.source?.helm?.valuesFiles.forEach((file, i) => {
      const resolved = resolveRepoPath(path.path, file);
      if (!resolved.ok) ctx.addIssue({ code: 'custom', path: ['source', 'helm', 'valuesFiles', i], message: `values file ${JSON.stringify(file)} ${resolved.reason}` });
    });
  })
  .describe('One app: a folder of this repository deployed together');

export const slipwayConfigSchema = z
  .strictObject({
    apiVersion: z.literal(SLIPWAY_API_VERSION).describe('Always slipway.dev/v1alpha1'),
    kind: z.literal(SLIPWAY_CONFIG_KIND),
    apps: z.array(appSchema).describe('The apps of this repository'),
  })
  .meta({ title: 'Slipway configuration (slipway.yaml)' });

type ParsedApp = z.output<typeof appSchema>;

/** JSON Schema (draft 2020-12) of slipway.yaml, for editors (e.g. yaml-language-server's `$schema` comment). */
export function slipwayConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(slipwayConfigSchema, { io: 'input', target: 'draft-2020-12' });
}

/**
 * Parses the text of `slipway.yaml`. Returns only apps without errors, sorted by name; when the
 * file itself is broken (YAML syntax, apiVersion, kind, `apps` not a list) it returns no apps.
 * Check `hasErrors(diagnostics)` before using the result.
 */
export function parseSlipwayConfig(text: string, opts: { file: string }): { apps: App[]; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYamlSource(text, opts);
  if (diagnostics.some((d) => d.severity === 'error')) return { apps: [], diagnostics: sortDiagnostics(diagnostics) };
  if (source.doc.contents === null) {
    diagnostics.push(configError(source, [], 'config-empty', `${opts.file} is empty: expected apiVersion: ${SLIPWAY_API_VERSION}, kind: ${SLIPWAY_CONFIG_KIND} and apps`));
    return { apps: [], diagnostics: sortDiagnostics(diagnostics) };
  }

  const value: unknown = source.doc.toJS();
  const result = slipwayConfigSchema.safeParse(value);
  const issues = result.success ? [] : result.error.issues;
  diagnostics.push(...issues.flatMap((issue) => issueDiagnostics(source, value, issue)));

  const badApps = new Set<number>();
  let fileBroken = false;
  for (const issue of issues) {
    if (issue.path[0] === 'apps' && typeof issue.path[1] === 'number') badApps.add(issue.path[1]);
    else fileBroken = true;
  }

  const items = isRecord(value) && Array.isArray(value.apps) ? (value.apps as unknown[]) : [];
  const duplicates = findDuplicateNames(source, items);
  diagnostics.push(...duplicates.diagnostics);

  const apps: App[] = [];
  if (!fileBroken) {
    items.forEach((item, index) => {
      if (badApps.has(index) || duplicates.dropped.has(index)) return;
      const parsed = appSchema.safeParse(item);
      if (parsed.success) apps.push(toApp(source, parsed.data, index, diagnostics));
    });
  }
  return { apps: apps.sort(compareApps), diagnostics: sortDiagnostics(diagnostics) };
}

function toApp(source: YamlSource, parsed: ParsedApp, index: number, diagnostics: Diagnostic[]): App {
  const normalized = normalizeRepoPath(parsed.path);
  const path = normalized.ok ? normalized.path : parsed.path;
  const type = parsed.source?.type ?? (parsed.source?.helm ? 'helm' : 'auto');
  const helmParsed = parsed.source?.helm ?? (type === 'helm' ? { valuesFiles: [], set: {} } : undefined);
  const helm = helmParsed && toHelmOptions(source, helmParsed, { appPath: path, helmPath: ['apps', index, 'source', 'helm'] });
  const parsedDirectory = parsed.source?.directory;
  const jsonnet = parsedDirectory?.jsonnet && toJsonnetOptions(parsedDirectory.jsonnet).options;
  const directory: DirectoryOptions | undefined = parsedDirectory && {
    ...(parsedDirectory.recurse !== undefined && { recurse: parsedDirectory.recurse }),
    ...(parsedDirectory.include !== undefined && { include: parsedDirectory.include }),
    ...(parsedDirectory.exclude !== undefined && { exclude: parsedDirectory.exclude }),
    ...(jsonnet && { jsonnet }),
  };
  const options = parsed.options;
  const destination = parsed.destination;
  // Each option on its own line: a warning names it (core/model/sync-options.ts).
  const syncOptions: Record<string, string> = {};
  options?.syncOptions.forEach((item, i) => {
    const one = parseSyncOptions([item], { where: 'app', field: `apps[${index}].options.syncOptions[${i}]`, location: locate(source, ['apps', index, 'options', 'syncOptions', i]) });
    diagnostics.push(...one.diagnostics);
    Object.assign(syncOptions, one.options);
  });
  const { CreateNamespace: createNamespace, ...otherSyncOptions } = syncOptions;
  const metadata = options?.managedNamespaceMetadata;
  const wait = toKindWaits(options?.wait);
  return {
    name: parsed.name,
    path,
    source: { type, ...(helm && { helm }), ...(directory && Object.keys(directory).length > 0 && { directory }) },
    destination: {
      ...(destination?.context !== undefined && { context: destination.context }),
      ...(destination?.namespace !== undefined && { namespace: destination.namespace }),
    },
    options: options
      ? {
          prune: options.prune,
          createNamespace: options.createNamespace || createNamespace === 'true',
          ignoreDifferences: options.ignoreDifferences.map(toIgnoreDifferencesRule),
          protected: options.protected,
          ...(Object.keys(otherSyncOptions).length > 0 && { syncOptions: otherSyncOptions }),
          ...(metadata && (metadata.labels || metadata.annotations) && { managedNamespaceMetadata: { ...(metadata.labels && { labels: metadata.labels }), ...(metadata.annotations && { annotations: metadata.annotations }) } }),
          ...(wait && { wait }),
        }
      : DEFAULT_APP_OPTIONS,
    origin: { kind: 'slipway.yaml', file: source.file, line: locate(source, ['apps', index]).line ?? 1 },
  };
}

function toHelmOptions(
  source: YamlSource,
  helm: { releaseName?: string | undefined; valuesFiles: string[]; set: Record<string, string | number | boolean> },
  opts: { appPath: string; helmPath: readonly PathSegment[] },
): HelmOptions {
  const set: Record<string, string> = {};
  for (const key of Object.keys(helm.set).sort()) {
    const v = helm.set[key];
    if (v === undefined) continue;
    set[key] = typeof v === 'string' ? v : (scalarSource(source, [...opts.helmPath, 'set', key]) ?? String(v));
  }
  const valuesFiles = helm.valuesFiles.map((f) => {
    const r = resolveRepoPath(opts.appPath, f);
    return r.ok ? r.path : f;
  });
  return { ...(helm.releaseName !== undefined && { releaseName: helm.releaseName }), valuesFiles, set };
}

/** Copies the fields that are present, in a fixed order (stable JSON). */
export function toIgnoreDifferencesRule(rule: z.output<typeof ignoreDifferencesRuleSchema>): IgnoreDifferencesRule {
  return {
    ...(rule.group !== undefined && { group: rule.group }),
    kind: rule.kind,
    ...(rule.name !== undefined && { name: rule.name }),
    ...(rule.namespace !== undefined && { namespace: rule.namespace }),
    ...(rule.jsonPointers !== undefined && { jsonPointers: rule.jsonPointers }),
    ...(rule.jqPathExpressions !== undefined && { jqPathExpressions: rule.jqPathExpressions }),
    ...(rule.managedFieldsManagers !== undefined && { managedFieldsManagers: rule.managedFieldsManagers }),
  };
}

/** A later app reusing a name is an error naming both places; it is dropped, the first one kept. */
function findDuplicateNames(source: YamlSource, items: readonly unknown[]): { diagnostics: Diagnostic[]; dropped: Set<number> } {
  const first = new Map<string, number>();
  const diagnostics: Diagnostic[] = [];
  const dropped = new Set<number>();
  items.forEach((item, index) => {
    if (!isRecord(item) || typeof item.name !== 'string') return;
    const earlier = first.get(item.name);
    if (earlier === undefined) {
      first.set(item.name, index);
      return;
    }
    dropped.add(index);
    const here = locate(source, ['apps', index, 'name']);
    const there = locate(source, ['apps', earlier, 'name']);
    diagnostics.push({
      severity: 'error',
      code: 'duplicate-app',
      message: `apps[${index}].name: app name ${JSON.stringify(item.name)} is used twice, at ${where(there)} and ${where(here)}; app names must be unique`,
      location: here,
    });
  });
  return { diagnostics, dropped };
}

type ZodIssue = z.core.$ZodIssue;

function issueDiagnostics(source: YamlSource, root: unknown, issue: ZodIssue): Diagnostic[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(slipwayConfigSchema, path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed);
      const where = path.length ? ` in ${formatPath(path)}` : '';
      return configError(
        source,
        [...path, key],
        'config-unknown-field',
        `unknown field ${JSON.stringify(key)}${where}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; expected one of: ${allowed.join(', ')}`,
        { at: 'key' },
      );
    });
  }
  if (issue.code === 'invalid_key') {
    // A key of a mapping whose keys are checked (options.wait): the key's own words, at the key.
    const why = issue.issues.map((i) => i.message).join('; ');
    return [configError(source, path, 'config-invalid', `${formatPath(path)}: ${why}`, { at: 'key' })];
  }
  if (!lookupNode(source, path).complete) {
    const parent = path.slice(0, -1);
    const field = String(path[path.length - 1]);
    const where = parent.length ? `${formatPath(parent)}: ` : '';
    return [configError(source, parent, 'config-missing-field', `${where}missing required field ${JSON.stringify(field)}`)];
  }
  const label = path.length ? formatPath(path) : 'the file';
  const value = valueAt(root, path);
  let message: string;
  if (issue.code === 'invalid_type') {
    message = `${label}: expected ${describeExpected(issue.expected)}, got ${describeValue(value)}`;
  } else if (issue.code === 'invalid_value') {
    const options = issue.values.map((v) => JSON.stringify(v));
    const hint = typeof value === 'string' && options.length > 1 ? closest(value, issue.values.map(String)) : undefined;
    message = `${label}: expected ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}, got ${describeValue(value)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
  } else {
    message = `${label}: ${issue.message}`;
  }
  return [configError(source, path, 'config-invalid', message)];
}

function configError(source: YamlSource, path: readonly PathSegment[], code: string, message: string, opts: { at?: 'value' | 'key' } = {}): Diagnostic {
  return { severity: 'error', code, message, location: locate(source, path, opts) };
}

/** The field names allowed by the object schema at `path` (used to suggest the intended one). */
function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType | undefined>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return [];
    current = current && unwrap(current);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

/** The candidate within a small edit distance of `word` (a likely typo), if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment] as unknown;
    else if (isRecord(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line ?? 0}:${loc.column ?? 0}`;
}
