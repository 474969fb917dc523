import { describe, expect, it } from 'vitest';
import { chartFile, entryLine, explainToolError, snippetAround, TOOL_ERROR_RULES, type ExplainedToolError, type RenderTool } from './tool-errors.js';

// What helm 4.1 / helm 3 and kustomize 5.7 print (paths already repository-relative, as render.ts hands them over).
const CASES: ReadonlyArray<[string, RenderTool, string, string, ExplainedToolError]> = [
  [
    'template execution error (helm 4)',
    'helm',
    'charts/broken',
    'Error: broken/templates/configmap.yaml:7:20\n  executing "broken/templates/configmap.yaml" at <.Values.nope.deeper>:\n    nil pointer evaluating interface {}.deeper\n\nUse --debug flag to render out invalid YAML\n',
    { headline: 'nil pointer evaluating interface {}.deeper (at <.Values.nope.deeper>)', location: { file: 'charts/broken/templates/configmap.yaml', line: 7, column: 20 } },
  ],
  [
    'template execution error (helm 4)',
    'helm',
    'chart',
    'Error: mychart/templates/cm.yaml:1:3\n  executing "mychart/templates/cm.yaml" at <include "nope" .>:\n    error calling include:\ntemplate: no template "nope" associated with template "gotpl"\n\nUse --debug flag to render out invalid YAML',
    { headline: 'error calling include: template: no template "nope" associated with template "gotpl" (at <include "nope" .>)', location: { file: 'chart/templates/cm.yaml', line: 1, column: 3 } },
  ],
  [
    'template execution error (helm 3)',
    'helm',
    'apps/web',
    'Error: template: web/templates/x.yaml:12:3: executing "web/templates/x.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag',
    { headline: 'nil pointer evaluating interface {}.tag (at <.Values.image.tag>)', location: { file: 'apps/web/templates/x.yaml', line: 12, column: 3 } },
  ],
  [
    'template parse error',
    'helm',
    'chart',
    'Error: parse error at (mychart/templates/cm.yaml:6): unexpected "}" in operand\n\nUse --debug flag to render out invalid YAML',
    { headline: 'template syntax: unexpected "}" in operand', location: { file: 'chart/templates/cm.yaml', line: 6 } },
  ],
  [
    'template parse error (helm 3)',
    'helm',
    '',
    'Error: template: web/templates/x.yaml:7: function "nope" not defined',
    { headline: 'template syntax: function "nope" not defined', location: { file: 'templates/x.yaml', line: 7 } },
  ],
  [
    'fail or required',
    'helm',
    'chart',
    'Error: execution error at (mychart/templates/cm.yaml:1:3): foo is required\n\nUse --debug flag to render out invalid YAML',
    { headline: 'foo is required', location: { file: 'chart/templates/cm.yaml', line: 1, column: 3 } },
  ],
  [
    'rendered YAML invalid',
    'helm',
    'chart',
    'Error: YAML parse error on mychart/templates/cm.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context\n',
    { headline: 'the template renders invalid YAML: yaml: line 7: mapping values are not allowed in this context (a line of the rendered output)', location: { file: 'chart/templates/cm.yaml' } },
  ],
  ['no Chart.yaml', 'helm', 'charts/x', 'Error: unable to detect chart at charts/x/Chart.yaml: open charts/x/Chart.yaml: no such file or directory', { headline: "the app's folder has no Chart.yaml", location: { file: 'charts/x/Chart.yaml' } }],
  [
    'dependency not vendored',
    'helm',
    'charts/shop',
    'Error: found in Chart.yaml, but missing in charts/ directory: redis, postgresql',
    { headline: 'dependencies not in charts/: redis, postgresql (run helm dependency build, and commit charts/)', location: { file: 'charts/shop/Chart.yaml' }, entry: 'redis' },
  ],
  [
    'missing metadata.name',
    'kustomize',
    'apps/hooks',
    "Error: accumulating resources: accumulation err='accumulating resources from 'job.yaml': missing metadata.name in object {{batch/v1 Job} {{ } map[] map[]}}': must build at directory: 'apps/hooks/job.yaml': file is not directory",
    { headline: 'missing metadata.name in a batch/v1 Job of job.yaml', location: { file: 'apps/hooks/job.yaml' } },
  ],
  [
    'listed file missing',
    'kustomize',
    'apps/shop/base',
    "Error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on 'apps/shop/base/missing.yaml' : lstat apps/shop/base/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on 'apps/shop/base/missing.yaml' : lstat apps/shop/base/missing.yaml: no such file or directory",
    { headline: 'missing.yaml does not exist (listed in apps/shop/base/kustomization.yaml)', location: { file: 'apps/shop/base/kustomization.yaml' }, entry: 'missing.yaml' },
  ],
  [
    'listed file missing',
    'kustomize',
    'apps/shop/prod',
    "Error: accumulating resources: accumulation err='accumulating resources from '../base': 'apps/shop/base' must resolve to a file': recursed accumulation of path 'apps/shop/base': accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on 'apps/shop/base/missing.yaml' : lstat apps/shop/base/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on 'apps/shop/base/missing.yaml' : lstat apps/shop/base/missing.yaml: no such file or directory",
    { headline: 'missing.yaml does not exist (listed in apps/shop/base/kustomization.yaml)', location: { file: 'apps/shop/base/kustomization.yaml' }, entry: 'missing.yaml' },
  ],
  [
    'resource YAML invalid',
    'kustomize',
    'k1',
    "Error: accumulating resources: accumulating resources from 'a.yaml': MalformedYAMLError: yaml: line 5: did not find expected node content in File: a.yaml",
    { headline: 'invalid YAML: did not find expected node content', location: { file: 'k1/a.yaml', line: 5 } },
  ],
  [
    'cycle',
    'kustomize',
    'overlays/a',
    "Error: accumulating resources: accumulation err='accumulating resources from '../b': 'overlays/b' must resolve to a file': recursed accumulation of path 'overlays/b': accumulating resources: accumulation err='accumulating resources from '../a': 'overlays/a' must resolve to a file': cycle detected: candidate root 'overlays/a' contains visited root 'overlays/a'",
    { headline: 'kustomizations include each other: overlays/a is reached again from overlays/b', location: { file: 'overlays/b/kustomization.yaml' }, entry: '../a' },
  ],
  [
    'duplicate resource',
    'kustomize',
    'k1',
    "Error: accumulating resources: accumulation err='merging resources from 'b.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/a.[noNs]': must build at directory: 'k1/b.yaml': file is not directory",
    { headline: 'ConfigMap.v1.[noGrp]/a.[noNs] is declared twice (again in b.yaml)', location: { file: 'k1/kustomization.yaml' }, entry: 'b.yaml' },
  ],
  [
    'patch file missing',
    'kustomize',
    'k1',
    "Error: trouble configuring builtin PatchTransformer with config: `\npath: p.yaml\n`: failed to get the patch file from path(p.yaml): evalsymlink failure on 'k1/p.yaml' : lstat k1/p.yaml: no such file or directory",
    { headline: 'patch file p.yaml does not exist', location: { file: 'k1/kustomization.yaml' }, entry: 'p.yaml' },
  ],
  [
    'patch target missing',
    'kustomize',
    'k1',
    'Error: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/zz.[noNs]": no matches for Id ConfigMap.v1.[noGrp]/zz.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/zz.[noNs]',
    { headline: 'a patch targets ConfigMap.v1.[noGrp]/zz.[noNs], which no resource of the kustomization is', location: { file: 'k1/kustomization.yaml' } },
  ],
  ['invalid kustomization (unknown field)', 'kustomize', 'k1', 'Error: invalid Kustomization: json: unknown field "resourcs"', { headline: 'the kustomization has an unknown field resourcs', location: { file: 'k1/kustomization.yaml' }, entry: 'resourcs:' }],
  ['invalid kustomization (YAML)', 'kustomize', '', 'Error: invalid Kustomization: yaml: line 2: did not find expected key', { headline: 'the kustomization is not valid YAML: did not find expected key', location: { file: 'kustomization.yaml', line: 2 } }],
  // go-jsonnet 0.22.0, run from the repository's root (render/jsonnet.ts).
  [
    'runtime error at a file',
    'jsonnet',
    'apps/gb',
    'RUNTIME ERROR: Field does not exist: y\n\tapps/gb/params.libsonnet:3:6-9\tobject <anonymous>\n\tapps/gb/main.jsonnet:2:1-20\t$\n\tField "a"\t\n\tDuring manifestation\t\n',
    { headline: 'Field does not exist: y', location: { file: 'apps/gb/params.libsonnet', line: 3, column: 6 } },
  ],
  [
    'runtime error at a file',
    'jsonnet',
    'apps/gb',
    'RUNTIME ERROR: boom here\n\t<extvar:x>:1:1-10\t$\n\tapps/gb/err.jsonnet:(2:6)-(4:1)\tobject <anonymous>\n\tDuring manifestation\t\n',
    { headline: 'boom here', location: { file: 'apps/gb/err.jsonnet', line: 2, column: 6 } },
  ],
  [
    'argument or variable not given',
    'jsonnet',
    'apps/gb',
    'RUNTIME ERROR: Missing argument: ns\n\tTop-level function call\t\n',
    { headline: "Missing argument: ns (give it in the app's jsonnet tlas, as Argo CD's spec.source.directory.jsonnet does)" },
  ],
  [
    'argument or variable not given',
    'jsonnet',
    '',
    'RUNTIME ERROR: Undefined external variable: env\n\t<cmdline>:1:1-16\t$\n\tDuring evaluation\t\n',
    { headline: "Undefined external variable: env (give it in the app's jsonnet extVars, as Argo CD's spec.source.directory.jsonnet does)" },
  ],
  [
    'static error',
    'jsonnet',
    'apps/gb',
    'apps/gb/main.jsonnet:4:6-18 Unknown variable: undefinedVar\n\n  b: undefinedVar,\n\n\n',
    { headline: 'Unknown variable: undefinedVar', location: { file: 'apps/gb/main.jsonnet', line: 4, column: 6 } },
  ],
  [
    'static error',
    'jsonnet',
    'apps/gb',
    'STATIC ERROR: apps/gb/main.jsonnet:3:3-4: Expected a comma before next field\n',
    { headline: 'Expected a comma before next field', location: { file: 'apps/gb/main.jsonnet', line: 3, column: 3 } },
  ],
];

describe('explainToolError', () => {
  it.each(CASES)('%s: %s at %s', (_rule, tool, appPath, output, expected) => {
    expect(explainToolError(tool, output, { appPath })).toEqual(expected);
  });

  it('has a case for every rule', () => {
    expect(new Set(TOOL_ERROR_RULES.map((r) => r.name))).toEqual(new Set(CASES.map((c) => c[0])));
  });

  it.each<[string, RenderTool, string, string]>([
    ['the first Error: line', 'helm', 'walk.go:74: found symbolic link\nError: something new went wrong\nmore', 'something new went wrong'],
    ["kustomize's wrapping taken off", 'kustomize', "Error: accumulating resources: accumulation err='something new", 'something new'],
    ["kubectl kustomize's log prefix taken off", 'kustomize', 'E1205 07:50:05.070854   30655 run.go:72] "command failed" err="something new"', 'something new'],
    ['no error line: the first line', 'helm', '\npanic: oops\n', 'panic: oops'],
    ['nothing printed', 'kustomize', '', 'no output'],
  ])('unknown output: %s', (_name, tool, output, headline) => {
    expect(explainToolError(tool, output, { appPath: 'x' })).toEqual({ headline });
  });

  it('cuts a long unknown headline', () => {
    expect(explainToolError('helm', `Error: ${'x'.repeat(400)}`, { appPath: '' }).headline).toHaveLength(300);
  });
});

describe('chartFile', () => {
  it.each([
    ['mychart/templates/cm.yaml', 'charts/broken', 'charts/broken/templates/cm.yaml'],
    ['mychart/charts/sub/templates/x.yaml', 'apps/web', 'apps/web/charts/sub/templates/x.yaml'],
    ['mychart/templates/cm.yaml', '', 'templates/cm.yaml'],
  ])('%s in %s is %s', (helmPath, appPath, file) => {
    expect(chartFile(helmPath, appPath)).toBe(file);
  });
});

describe('entryLine', () => {
  const kustomization = 'resources:\n  - deploy.yaml\n  - missing.yaml # new\n  - "../base"\npatches:\n  - path: p.yaml\nresourcs: []\n';
  it.each<[string, number | undefined]>([
    ['missing.yaml', 3],
    ['deploy.yaml', 2],
    ['../base', 4],
    ['p.yaml', 6],
    ['resourcs:', 7],
    ['base', undefined],
    ['nothing.yaml', undefined],
  ])('%s is on line %s', (entry, line) => {
    expect(entryLine(kustomization, entry)).toBe(line);
  });
});

describe('snippetAround', () => {
  const text = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
  it.each([
    [1, { startLine: 1, lines: ['a', 'b', 'c'] }],
    [4, { startLine: 2, lines: ['b', 'c', 'd', 'e', 'f'] }],
    [6, { startLine: 4, lines: ['d', 'e', 'f'] }],
    [7, undefined],
    [0, undefined],
  ])('line %s', (line, snippet) => {
    expect(snippetAround(text, line)).toEqual(snippet);
  });

  it("leaves out the empty line after the file's last newline", () => {
    expect(snippetAround('a\nb\n', 2)).toEqual({ startLine: 1, lines: ['a', 'b'] });
  });
});
