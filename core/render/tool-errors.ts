/**
 * What a failed `helm template`, `kustomize build` or `jsonnet` said, as a headline and the file and line to
 * fix (DESIGN.md rule 10), instead of the tool's wrapped block. The rules are a table, first match
 * wins; the tool's output is read after its paths were made repository-relative. Pure: finding the
 * line of a kustomization entry and the snippet is done by the caller, with the files at hand.
 */
import { posix } from 'node:path';
import type { SourceLocation, SourceSnippet } from '../model/diagnostics.js';

export type RenderTool = 'helm' | 'kustomize' | 'jsonnet';

export interface ToolErrorContext {
  /** The app's folder, repository-relative ("" is the root). */
  readonly appPath: string;
}

export interface ExplainedToolError {
  /** One line: what is wrong. */
  readonly headline: string;
  /** Repository-relative. For `entry`, the kustomization that lists it. */
  readonly location?: SourceLocation;
  /** Text of the kustomization at `location` to point at (an entry it lists, a field): its line is the location's line. */
  readonly entry?: string;
}

/** For kustomize: the innermost kustomization being built and the entry of it that failed, out of the nested "accumulating resources" chain. */
interface Accumulation {
  /** Repository-relative folder of the kustomization that lists `entry`. */
  readonly dir: string;
  readonly entry?: string;
}

interface ToolErrorRule {
  readonly tool: RenderTool;
  /** What the rule recognises (names the table tests). */
  readonly name: string;
  readonly pattern: RegExp;
  readonly explain: (m: RegExpExecArray, ctx: ToolErrorContext & { readonly at: Accumulation }) => ExplainedToolError;
}

/** helm names templates "<chart name>/templates/x.yaml"; the chart is the app's folder, whatever its Chart.yaml calls it. */
export function chartFile(helmPath: string, appPath: string): string {
  const rest = helmPath.split('/').slice(1).join('/');
  return posix.join(appPath, rest || helmPath);
}

const at = (file: string, line?: string, column?: string): SourceLocation => ({ file, ...(line && { line: Number(line) }), ...(column && { column: Number(column) }) });
const kustomizationOf = (dir: string): string => posix.join(dir, 'kustomization.yaml');
/** "{{batch/v1 Job} {{ mig- } …}}" (kustomize prints Go structs) → "batch/v1 Job". */
const goObject = (text: string): string => /^\{\{(\S+) (\w+)\}/.exec(text)?.slice(1).join(' ') ?? 'object';
/** Indented continuation lines of helm 4's messages, as one line. */
const oneLine = (text: string): string => text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');

export const TOOL_ERROR_RULES: readonly ToolErrorRule[] = [
  // helm 4: "Error: chart/templates/x.yaml:6:15\n  executing "…" at <.Values.a.b>:\n    nil pointer …"
  {
    tool: 'helm',
    name: 'template execution error (helm 4)',
    pattern: /^Error: (\S+?):(\d+):(\d+)\n\s+executing "[^"]*" at <(.*)>:\n((?:.+\n?)+)/m,
    explain: (m, c) => ({ headline: `${oneLine(m[5]!)} (at <${m[4]}>)`, location: at(chartFile(m[1]!, c.appPath), m[2], m[3]) }),
  },
  // helm 3: "Error: template: chart/templates/x.yaml:12:3: executing "…" at <.Values.a>: nil pointer …"
  {
    tool: 'helm',
    name: 'template execution error (helm 3)',
    pattern: /template: (\S+?):(\d+):(\d+): executing "[^"]*" at <(.*?)>: (.+)/,
    explain: (m, c) => ({ headline: `${m[5]} (at <${m[4]}>)`, location: at(chartFile(m[1]!, c.appPath), m[2], m[3]) }),
  },
  {
    tool: 'helm',
    name: 'template parse error',
    pattern: /parse error at \((\S+?):(\d+)\): (.+)/,
    explain: (m, c) => ({ headline: `template syntax: ${m[3]}`, location: at(chartFile(m[1]!, c.appPath), m[2]) }),
  },
  // helm 3 parse errors: "Error: template: chart/templates/x.yaml:7: function "nope" not defined"
  {
    tool: 'helm',
    name: 'template parse error (helm 3)',
    pattern: /template: (\S+?):(\d+): (.+)/,
    explain: (m, c) => ({ headline: `template syntax: ${m[3]}`, location: at(chartFile(m[1]!, c.appPath), m[2]) }),
  },
  // `fail` and `required`: the chart's own message.
  {
    tool: 'helm',
    name: 'fail or required',
    pattern: /execution error at \((\S+?):(\d+):(\d+)\): (.+)/,
    explain: (m, c) => ({ headline: m[4]!, location: at(chartFile(m[1]!, c.appPath), m[2], m[3]) }),
  },
  // The line helm names is of the rendered text, not of the template: no line, and the headline says so.
  {
    tool: 'helm',
    name: 'rendered YAML invalid',
    pattern: /YAML parse error on (\S+?): (?:error converting YAML to JSON: )?(.+)/,
    explain: (m, c) => ({ headline: `the template renders invalid YAML: ${m[2]} (a line of the rendered output)`, location: at(chartFile(m[1]!, c.appPath)) }),
  },
  {
    tool: 'helm',
    name: 'no Chart.yaml',
    pattern: /unable to detect chart at|Chart\.yaml file is missing/,
    explain: (_m, c) => ({ headline: "the app's folder has no Chart.yaml", location: at(posix.join(c.appPath, 'Chart.yaml')) }),
  },
  {
    tool: 'helm',
    name: 'dependency not vendored',
    pattern: /found in Chart\.yaml, but missing in charts\/ directory: (.+)/,
    explain: (m, c) => ({ headline: `dependencies not in charts/: ${m[1]} (run helm dependency build, and commit charts/)`, location: at(posix.join(c.appPath, 'Chart.yaml')), entry: m[1]!.split(',')[0]!.trim() }),
  },
  {
    tool: 'kustomize',
    name: 'missing metadata.name',
    pattern: /missing metadata\.name in object (\{\{.*?\}\})/,
    explain: (m, c) => ({
      headline: `missing metadata.name in a ${goObject(m[1]!)}${c.at.entry ? ` of ${c.at.entry}` : ''}`,
      location: c.at.entry ? at(posix.join(c.at.dir, c.at.entry)) : at(kustomizationOf(c.at.dir)),
    }),
  },
  // Before 'listed file missing': a patch's missing file fails the same way, outside the resources.
  {
    tool: 'kustomize',
    name: 'patch file missing',
    pattern: /failed to get the patch file from path\(([^)]+)\)/,
    explain: (m, c) => ({ headline: `patch file ${m[1]} does not exist`, location: at(kustomizationOf(c.at.dir)), entry: m[1]! }),
  },
  {
    tool: 'kustomize',
    name: 'listed file missing',
    pattern: /evalsymlink failure on '[^']*' : lstat [^:]*: no such file or directory/,
    explain: (_m, c) => ({ headline: `${c.at.entry ?? 'a file it lists'} does not exist (listed in ${kustomizationOf(c.at.dir)})`, location: at(kustomizationOf(c.at.dir)), ...(c.at.entry && { entry: c.at.entry }) }),
  },
  {
    tool: 'kustomize',
    name: 'resource YAML invalid',
    pattern: /MalformedYAMLError: yaml: line (\d+): (.+?) in File: (\S+)/,
    explain: (m, c) => ({ headline: `invalid YAML: ${m[2]}`, location: at(posix.join(c.at.dir, m[3]!), m[1]) }),
  },
  {
    tool: 'kustomize',
    name: 'cycle',
    pattern: /cycle detected: candidate root '([^']+)' contains visited root '([^']+)'/,
    explain: (m, c) => ({ headline: `kustomizations include each other: ${m[2]} is reached again from ${c.at.dir}`, location: at(kustomizationOf(c.at.dir)), ...(c.at.entry && { entry: c.at.entry }) }),
  },
  {
    tool: 'kustomize',
    name: 'duplicate resource',
    pattern: /may not add resource with an already registered id: ([^'\s]+)/,
    explain: (m, c) => ({ headline: `${m[1]} is declared twice${c.at.entry ? ` (again in ${c.at.entry})` : ''}`, location: at(kustomizationOf(c.at.dir)), ...(c.at.entry && { entry: c.at.entry }) }),
  },
  {
    tool: 'kustomize',
    name: 'patch target missing',
    pattern: /no resource matches strategic merge patch "([^"]+)"/,
    explain: (m, c) => ({ headline: `a patch targets ${m[1]}, which no resource of the kustomization is`, location: at(kustomizationOf(c.at.dir)) }),
  },
  {
    tool: 'kustomize',
    name: 'invalid kustomization (unknown field)',
    pattern: /invalid Kustomization: json: unknown field "([^"]+)"/,
    explain: (m, c) => ({ headline: `the kustomization has an unknown field ${m[1]}`, location: at(kustomizationOf(c.at.dir)), entry: `${m[1]}:` }),
  },
  {
    tool: 'kustomize',
    name: 'invalid kustomization (YAML)',
    pattern: /invalid Kustomization: yaml: line (\d+): (.+)/,
    explain: (m, c) => ({ headline: `the kustomization is not valid YAML: ${m[2]}`, location: at(kustomizationOf(c.at.dir), m[1]) }),
  },
  // go-jsonnet: "RUNTIME ERROR: <message>" and a stack trace, innermost frame first ("\tfile.jsonnet:3:6-9\tobject <anonymous>").
  {
    tool: 'jsonnet',
    name: 'runtime error at a file',
    pattern: /^RUNTIME ERROR: (.*)\n(?:\t<[^>]*>.*\n)*\t([^\t<][^\t]*?):\(?(\d+):(\d+)/m,
    explain: (m) => ({ headline: m[1]!, location: at(m[2]!, m[3], m[4]) }),
  },
  // A top-level argument or external variable the file needs and was not given: only a stack of "<cmdline>" or "Top-level function call".
  {
    tool: 'jsonnet',
    name: 'argument or variable not given',
    pattern: /^RUNTIME ERROR: (Missing argument: (\S+)|Undefined external variable: (\S+))/m,
    explain: (m) => ({ headline: `${m[1]} (give it in the app's jsonnet ${m[2] !== undefined ? 'tlas' : 'extVars'}, as Argo CD's spec.source.directory.jsonnet does)` }),
  },
  // Static errors (parse, unknown variable): "file.jsonnet:4:6-18 Unknown variable: x" (older releases prefix "STATIC ERROR: ").
  {
    tool: 'jsonnet',
    name: 'static error',
    pattern: /^(?:STATIC ERROR: )?([^\s<][^\s:]*?):\(?(\d+):(\d+)\)?(?:-[\d:()]+)?:? (.+)$/m,
    explain: (m) => ({ headline: m[4]!, location: at(m[1]!, m[2], m[3]) }),
  },
];

/** The innermost kustomization of the "accumulating resources from '…'" chain and the entry of it that failed. */
function accumulation(output: string, appPath: string): Accumulation {
  let dir = appPath;
  let entry: string | undefined;
  // In order: each recursion names the folder it goes into, each "from" the entry of the current folder.
  for (const m of output.matchAll(/(?:recursed accumulation of path '([^']+)')|(?:(?:accumulating|merging) resources from '([^']+)')/g)) {
    if (m[1] !== undefined) {
      dir = m[1];
      entry = undefined;
    } else entry = m[2];
  }
  return { dir, ...(entry !== undefined && { entry }) };
}

/** The line a tool's output leads with, when no rule knows it: its first "Error: " line, without kustomize's wrapping. */
function fallbackHeadline(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith('Error: ')) ?? lines[0] ?? 'no output';
  const text = line
    .replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err="(.*)"$/, '$1')
    .replace(/^Error: /, '')
    .replace(/^(accumulating resources: )?accumulation err='/, '');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** The headline and location of a failed render, by the first rule of TOOL_ERROR_RULES that matches; else the tool's first error line. */
export function explainToolError(tool: RenderTool, output: string, ctx: ToolErrorContext): ExplainedToolError {
  const acc = accumulation(output, ctx.appPath);
  for (const rule of TOOL_ERROR_RULES) {
    if (rule.tool !== tool) continue;
    const m = rule.pattern.exec(output);
    if (m) return rule.explain(m, { ...ctx, at: acc });
  }
  return { headline: fallbackHeadline(output) };
}

/** The 1-based line of a kustomization that names `entry` ("- ../base", "path: p.yaml", "resourcs:"), or undefined. */
export function entryLine(text: string, entry: string): number | undefined {
  const quoted = `['"]?${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?`;
  const named = new RegExp(`(^|[\\s:\\-\\[,])${quoted}(\\s*(#.*)?$|[\\s,\\]])`);
  const index = text.split('\n').findIndex((line) => named.test(line));
  return index < 0 ? undefined : index + 1;
}

/** The lines around `line` (1-based), `around` on each side, each cut at 300 characters. */
export function snippetAround(text: string, line: number, around = 2): SourceSnippet | undefined {
  const lines = text.replace(/\r?\n$/, '').split('\n');
  if (line < 1 || line > lines.length) return undefined;
  const start = Math.max(1, line - around);
  const end = Math.min(lines.length, line + around);
  return { startLine: start, lines: lines.slice(start - 1, end).map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l)) };
}
