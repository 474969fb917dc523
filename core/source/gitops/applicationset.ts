/**
 * Argo CD ApplicationSets as the Applications they generate (Argo CD's applicationset controller,
 * generators list.go and git.go), for the generators whose parameters the repository alone
 * decides:
 *
 * | generator            | parameters (fasttemplate `{{name}}`)                               | goTemplate (`{{ .name }}`)          |
 * |----------------------|---------------------------------------------------------------------|-------------------------------------|
 * | list.elements        | each element's keys; `values.<k>` for its `values` map             | the element as it is                |
 * | git.directories      | path, path.basename, path.basenameNormalized, path[n]; values.<k>  | .path.path, .path.basename, .path.basenameNormalized, .path.segments |
 *
 * The git generator lists the folders of this repository at the revision being planned (not the
 * generator's own `revision`), keeps those that match a `path` pattern (Go's path.Match: `*` stays
 * within one folder) and drops those that match an `exclude: true` pattern. Every other generator
 * (matrix, merge, clusters, scmProvider, pullRequest, clusterDecisionResource, plugin, git files)
 * needs Argo CD's controller or other systems: a warning naming file:line, nothing generated.
 * goTemplate is evaluated when simple: field references (`.a.b`) and `index .path.segments N`;
 * anything else is a warning and the ApplicationSet is not expanded.
 */
import { z } from 'zod';
import { isRecord } from '../util.js';
import type { Reporter, RepoFilter } from './common.js';
import { issueSummary } from './common.js';

export const applicationSetSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    goTemplate: z.boolean().optional(),
    goTemplateOptions: z.array(z.string()).optional(),
    generators: z.array(z.record(z.string(), z.unknown())).min(1),
    template: z.looseObject({ metadata: z.record(z.string(), z.unknown()).optional(), spec: z.record(z.string(), z.unknown()).optional() }),
    templatePatch: z.string().optional(),
  }),
});
export type ApplicationSet = z.output<typeof applicationSetSchema>;

const listGeneratorSchema = z.looseObject({
  elements: z.array(z.record(z.string(), z.unknown())).optional(),
  elementsYaml: z.string().optional(),
  template: z.record(z.string(), z.unknown()).optional(),
});
const gitGeneratorSchema = z.looseObject({
  repoURL: z.string(),
  revision: z.string().optional(),
  directories: z.array(z.looseObject({ path: z.string(), exclude: z.boolean().optional() })).optional(),
  files: z.array(z.unknown()).optional(),
  pathParamPrefix: z.string().optional(),
  values: z.record(z.string(), z.string()).optional(),
  template: z.record(z.string(), z.unknown()).optional(),
});

/** Generators Slipway does not expand, and why (what they need). */
const NOT_EXPANDED: Readonly<Record<string, string>> = {
  clusters: 'it generates one Application per cluster registered in Argo CD',
  clusterDecisionResource: 'it reads a custom resource on the cluster',
  scmProvider: 'it asks an SCM provider (GitHub, GitLab, …) for repositories',
  pullRequest: 'it asks an SCM provider for open pull requests',
  matrix: 'it combines other generators',
  merge: 'it merges other generators',
  plugin: 'it calls an ApplicationSet plugin service',
};

export interface ExpandContext {
  readonly report: Reporter;
  readonly repos: RepoFilter;
  /** Repository-relative paths of the files at the revision (the git directories generator lists their folders). */
  readonly files?: readonly string[];
}

/** One Application an ApplicationSet generates: its manifest (the template with the parameters filled in). */
export interface GeneratedApplication {
  readonly manifest: Record<string, unknown>;
  /** "generators[0].list.elements[1]" */
  readonly from: string;
}

type Params = Record<string, unknown>;

/** The Applications an ApplicationSet generates, in generator and element order; problems are reported. */
export function expandApplicationSet(appSet: ApplicationSet, ctx: ExpandContext): GeneratedApplication[] {
  const { report } = ctx;
  const goTemplate = appSet.spec.goTemplate === true;
  if (appSet.spec.templatePatch !== undefined) report.add('warning', 'applicationset-template-patch', 'spec.templatePatch is not applied by Slipway: the generated Applications are the template alone and may differ from what Argo CD generates');
  const generated: GeneratedApplication[] = [];
  for (const [i, generator] of appSet.spec.generators.entries()) {
    const field = `spec.generators[${i}]`;
    const kinds = Object.keys(generator).filter((k) => k !== 'selector' && k !== 'values');
    if (generator.selector !== undefined) report.add('warning', 'applicationset-selector', `${field}.selector is not applied by Slipway: every generated Application is kept`);
    for (const kind of kinds) {
      const sets = paramsOf(kind, generator[kind], { ...ctx, field: `${field}.${kind}`, goTemplate });
      if (!sets) continue;
      const override = isRecord(generator[kind]) && isRecord(generator[kind].template) ? generator[kind].template : undefined;
      const template = override ? deepMerge(appSet.spec.template, override) : appSet.spec.template;
      for (const { params, from } of sets) {
        const rendered = renderTemplate(template, params, { goTemplate, missingKeyError: (appSet.spec.goTemplateOptions ?? []).includes('missingkey=error') });
        if (!rendered.ok) {
          if (rendered.unsupported) {
            report.add('warning', 'applicationset-template', rendered.reason);
            return [];
          }
          report.add('warning', 'applicationset-template', `${from}: ${rendered.reason}; the Application it generates is not imported`);
          continue;
        }
        const metadata = isRecord(rendered.value.metadata) ? rendered.value.metadata : {};
        if (typeof metadata.name !== 'string' || metadata.name === '') {
          report.add('warning', 'applicationset-no-name', `${from}: the template gives the generated Application no metadata.name; not imported`);
          continue;
        }
        generated.push({
          manifest: {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            metadata: { ...metadata, ...(metadata.namespace === undefined && appSet.metadata.namespace !== undefined && { namespace: appSet.metadata.namespace }) },
            spec: isRecord(rendered.value.spec) ? rendered.value.spec : {},
          },
          from,
        });
      }
    }
  }
  return generated;
}

function paramsOf(kind: string, value: unknown, ctx: ExpandContext & { field: string; goTemplate: boolean }): { params: Params; from: string }[] | undefined {
  const { report, field } = ctx;
  if (kind === 'list') {
    const parsed = listGeneratorSchema.safeParse(value);
    if (!parsed.success) return void report.add('warning', 'applicationset-invalid', `${field} is not expanded: ${issueSummary(parsed.error)}`);
    if (parsed.data.elementsYaml !== undefined) report.add('warning', 'applicationset-elements-yaml', `${field}.elementsYaml is not expanded by Slipway (only elements)`);
    const sets: { params: Params; from: string }[] = [];
    (parsed.data.elements ?? []).forEach((element, j) => {
      const from = `${field}.elements[${j}]`;
      const params = ctx.goTemplate ? element : flatListElement(element);
      if (typeof params === 'string') report.add('warning', 'applicationset-invalid', `${from}: ${params}; not expanded (Argo CD refuses it too)`);
      else sets.push({ params, from });
    });
    return sets;
  }
  if (kind === 'git') {
    const parsed = gitGeneratorSchema.safeParse(value);
    if (!parsed.success) return void report.add('warning', 'applicationset-invalid', `${field} is not expanded: ${issueSummary(parsed.error)}`);
    const git = parsed.data;
    if (git.files !== undefined) report.add('warning', 'applicationset-generator', `${field}.files (the git files generator) is not expanded by Slipway; only git directories are`);
    if (git.directories === undefined) return git.files === undefined ? void report.add('warning', 'applicationset-invalid', `${field} has neither directories nor files; not expanded`) : undefined;
    if (!ctx.repos.matches(git.repoURL)) return void report.add('info', 'applicationset-foreign-repo', `${field}.repoURL ${ctx.repos.describeOther(git.repoURL)}; its Applications are not imported`);
    if (!ctx.files) return void report.add('warning', 'applicationset-generator', `${field}: the repository's folders are not known here; not expanded`);
    if (git.revision !== undefined && git.revision !== 'HEAD') report.add('info', 'applicationset-git-revision', `${field}.revision ${JSON.stringify(git.revision)}: Slipway lists the folders of the revision being planned`);
    return matchDirectories(folderList(ctx.files), git.directories).map((path, j) => ({ params: gitDirectoryParams(path, { goTemplate: ctx.goTemplate, prefix: git.pathParamPrefix ?? '', values: git.values ?? {} }), from: `${field} folder ${path} (#${j})` }));
  }
  const why = NOT_EXPANDED[kind];
  report.add('warning', 'applicationset-generator', `${field}: the ${kind} generator is not expanded by Slipway${why ? ` (${why})` : ''}; the Applications it generates are not previewed`);
  return undefined;
}

/** fasttemplate parameters of a list element: string values as they are, `values.<k>` for its values map; anything else is refused (as Argo CD does). */
function flatListElement(element: Record<string, unknown>): Params | string {
  const params: Params = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      if (!isRecord(value)) return 'values is not a map';
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') return `values.${k} is not a string (goTemplate: true takes other values)`;
        params[`values.${k}`] = v;
      }
    } else if (typeof value === 'string') params[key] = value;
    else return `${key} is not a string (goTemplate: true takes other values)`;
  }
  return params;
}

/** Every folder that holds a file, at any depth, except hidden ones (".github") and the root. */
export function folderList(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (parts[i - 1]!.startsWith('.')) break;
      folders.add(parts.slice(0, i).join('/'));
    }
  }
  return [...folders].sort();
}

/** Argo CD's filterApps: a folder is kept when a pattern matches it and no exclude pattern does. */
export function matchDirectories(folders: readonly string[], directories: readonly { path: string; exclude?: boolean | undefined }[]): string[] {
  const include = directories.filter((d) => !d.exclude).map((d) => globRegExp(d.path));
  const exclude = directories.filter((d) => d.exclude).map((d) => globRegExp(d.path));
  return folders.filter((f) => include.some((r) => r?.test(f)) && !exclude.some((r) => r?.test(f)));
}

/** Go's path.Match as a regular expression: `*` and `?` never match "/", `[a-z]`/`[^a]` classes, `\` escapes. Undefined for a bad pattern. */
export function globRegExp(pattern: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) return undefined;
      out += escapeRegExp(next);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = pattern.slice(i + 1, end);
      out += `[${body.startsWith('^') ? `^/${body.slice(1)}` : body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Argo CD's utils.SanitizeName. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

function gitDirectoryParams(path: string, opts: { goTemplate: boolean; prefix: string; values: Readonly<Record<string, string>> }): Params {
  const basename = path.slice(path.lastIndexOf('/') + 1);
  const params: Params = {};
  if (opts.goTemplate) {
    const pathParam = { path, basename, basenameNormalized: sanitizeName(basename), segments: path.split('/') };
    if (opts.prefix) params[opts.prefix] = { path: pathParam };
    else params.path = pathParam;
    if (Object.keys(opts.values).length > 0) params.values = { ...opts.values };
    return params;
  }
  const name = opts.prefix ? `${opts.prefix}.path` : 'path';
  params[name] = path;
  params[`${name}.basename`] = basename;
  params[`${name}.basenameNormalized`] = sanitizeName(basename);
  path.split('/').forEach((segment, k) => {
    if (segment !== '') params[`${name}[${k}]`] = segment;
  });
  // Argo CD renders the generator's values with the other parameters first.
  for (const [k, v] of Object.entries(opts.values)) params[`values.${k}`] = renderFast(v, params);
  return params;
}

type Rendered = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string; unsupported?: true };

/** The template (keys and string values) with the parameters filled in, as Argo CD renders it. */
export function renderTemplate(template: Record<string, unknown>, params: Params, opts: { goTemplate: boolean; missingKeyError?: boolean }): Rendered {
  try {
    const render = (s: string): string => (opts.goTemplate ? renderGo(s, params, opts.missingKeyError === true) : renderFast(s, params));
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return render(value);
      if (Array.isArray(value)) return value.map(walk);
      if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [render(k), walk(v)]));
      return value;
    };
    return { ok: true, value: walk(template) as Record<string, unknown> };
  } catch (err) {
    if (err instanceof TemplateError) return { ok: false, reason: err.message, ...(err.unsupported && { unsupported: true as const }) };
    throw err;
  }
}

class TemplateError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

/** fasttemplate with Argo CD's tag function: `{{ name }}` (trimmed) becomes the parameter; an unknown one stays as written. */
function renderFast(text: string, params: Params): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, tag: string) => {
    const value = params[tag.trim()];
    return typeof value === 'string' ? value : whole;
  });
}

/** The simple part of Go's text/template: `{{ .a.b }}`, `{{ index .a.b 1 }}`, with `{{-`/`-}}` trimming. */
function renderGo(text: string, params: Params, missingKeyError: boolean): string {
  return text.replace(/(\s*)\{\{(-?)\s*([^{}]*?)\s*(-?)\}\}(\s*)/g, (_whole, before: string, trimLeft: string, expr: string, trimRight: string, after: string) => {
    const value = evaluateGo(expr, params, missingKeyError);
    return `${trimLeft ? '' : before}${value}${trimRight ? '' : after}`;
  });
}

function evaluateGo(expr: string, params: Params, missingKeyError: boolean): string {
  const field = /^\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)?$/.exec(expr);
  const index = /^index\s+\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s+(\d+)$/.exec(expr);
  let value: unknown;
  if (field) value = lookup(params, field[1] ?? '');
  else if (index) {
    const list = lookup(params, index[1]!);
    value = Array.isArray(list) ? list[Number(index[2])] : undefined;
    if (!Array.isArray(list) || Number(index[2]) >= list.length) throw new TemplateError(`goTemplate {{ ${expr} }}: index out of range`);
  } else throw new TemplateError(`goTemplate {{ ${expr} }} is more than Slipway evaluates (field references and index only); the ApplicationSet is not expanded`, true);
  if (value === undefined) {
    if (missingKeyError) throw new TemplateError(`goTemplate {{ ${expr} }}: no such parameter (missingkey=error)`);
    return '<no value>';
  }
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function lookup(params: Params, path: string): unknown {
  if (path === '') return params;
  let value: unknown = params;
  for (const part of path.split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** `override` over `base`: maps merged key by key, anything else replaced. */
function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = isRecord(v) && isRecord(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}
