import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../model/diagnostics.js';
import { parseSlipwayConfig, slipwayConfigJsonSchema } from './slipway-config.js';

const testdata = new URL('./testdata/config/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, testdata), 'utf8');
const format = (d: Parameters<typeof formatDiagnostic>[0]) => `${formatDiagnostic(d)} [${d.code}]`;

describe('parseSlipwayConfig: valid files', () => {
  const valid = readdirSync(new URL('valid/', testdata)).filter((f) => f.endsWith('.yaml'));

  it('has fixtures', () => {
    expect(valid).toEqual(['full.yaml', 'minimal.yaml', 'no-apps.yaml', 'several.yaml']);
  });

  it.each(valid)('%s → golden apps, no diagnostics', async (name) => {
    const result = parseSlipwayConfig(read(`valid/${name}`), { file: 'slipway.yaml' });
    expect(result.diagnostics.map(format)).toEqual([]);
    await expect(`${JSON.stringify(result.apps, null, 2)}\n`).toMatchFileSnapshot(`testdata/config/valid/${name.replace(/\.yaml$/, '.golden.json')}`);
  });

  it('returns apps sorted by name whatever their order in the file', () => {
    const { apps } = parseSlipwayConfig(read('valid/several.yaml'), { file: 'slipway.yaml' });
    expect(apps.map((a) => a.name)).toEqual(['0-ops', 'api', 'chart', 'worker']);
  });

  it('names the file it was given in origins and locations', () => {
    const { apps } = parseSlipwayConfig(read('valid/minimal.yaml'), { file: 'deploy/slipway.yaml' });
    expect(apps[0]?.origin).toEqual({ kind: 'slipway.yaml', file: 'deploy/slipway.yaml', line: 4 });
    const bad = parseSlipwayConfig(read('invalid/wrong-kind.yaml'), { file: 'deploy/slipway.yaml' });
    expect(bad.diagnostics[0]?.location).toEqual({ file: 'deploy/slipway.yaml', line: 2, column: 7 });
  });
});

/**
 * One bad input per file: the apps still returned, and every diagnostic exactly, with its file,
 * line and column. Apps with errors are dropped; a broken file header drops them all.
 */
const invalidCases: [file: string, apps: string[], diagnostics: string[]][] = [
  ['absolute-path.yaml', [], [
    'slipway.yaml:5:11: error: apps[0].path: app path "/srv/apps/web" must be relative to the repository root, not absolute [config-invalid]',
  ]],
  ['apps-not-a-list.yaml', [], [
    'slipway.yaml:3:1: error: apps: expected a list, got a mapping [config-invalid]',
  ]],
  ['backslash-path.yaml', [], [
    'slipway.yaml:5:11: error: apps[0].path: app path "apps\\\\web" contains "\\": use "/" as the path separator [config-invalid]',
  ]],
  ['bad-boolean.yaml', [], [
    'slipway.yaml:7:14: error: apps[0].options.prune: expected true or false, got "yes" [config-invalid]',
  ]],
  ['bad-ignore-differences.yaml', [], [
    'slipway.yaml:9:26: error: apps[0].options.ignoreDifferences[0].jsonPointers[0]: a JSON pointer starts with "/", e.g. /spec/replicas [config-invalid]',
    'slipway.yaml:10:11: error: apps[0].options.ignoreDifferences[1]: a rule ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers [config-invalid]',
  ]],
  ['bad-namespace.yaml', [], [
    'slipway.yaml:7:18: error: apps[0].destination.namespace: a namespace uses lowercase letters, digits and "-", starting and ending with a letter or digit [config-invalid]',
  ]],
  ['bad-release-name.yaml', [], [
    'slipway.yaml:8:22: error: apps[0].source.helm.releaseName: a Helm release name uses lowercase letters, digits, "-" and "." [config-invalid]',
  ]],
  ['bad-set-value.yaml', [], [
    'slipway.yaml:10:11: error: apps[0].source.helm.set.tolerations: expected a string, number or boolean [config-invalid]',
  ]],
  ['bad-source-type.yaml', [], [
    'slipway.yaml:6:21: error: apps[0].source.type: expected one of "auto", "directory", "kustomize", "helm", got "helmm" (did you mean "helm"?) [config-invalid]',
  ]],
  ['bad-wait.yaml', ['fine'], [
    'slipway.yaml:8:9: error: apps[0].options.wait["apps/Deployment"]: a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), not apiVersion/Kind; did you mean "Deployment.apps"? [config-invalid]',
    'slipway.yaml:9:9: error: apps[0].options.wait.service: "service" is not a kind: a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), starting with a capital letter [config-invalid]',
    'slipway.yaml:10:9: error: apps[0].options.wait["Service.v1"]: "v1" is not an API group: the core group has no name; did you mean "Service"? [config-invalid]',
    'slipway.yaml:11:36: error: apps[0].options.wait["Ingress.networking.k8s.io"]: expected one of "healthy", "strict", "applied", got "Applied" (did you mean "applied"?) [config-invalid]',
    'slipway.yaml:12:20: error: apps[0].options.wait["Job.batch"]: expected one of "healthy", "strict", "applied", got "forever" [config-invalid]',
  ]],
  ['duplicate-names.yaml', ['api', 'web'], [
    'slipway.yaml:8:11: error: apps[2].name: app name "web" is used twice, at slipway.yaml:4:11 and slipway.yaml:8:11; app names must be unique [duplicate-app]',
  ]],
  ['empty-apps.yaml', [], [
    'slipway.yaml:3:1: error: apps: expected a list, got null (an empty value) [config-invalid]',
  ]],
  ['empty-name.yaml', [], [
    'slipway.yaml:4:5: error: apps[0].name: expected a string, got null (an empty value) [config-invalid]',
  ]],
  ['empty.yaml', [], [
    'slipway.yaml:1:1: error: slipway.yaml is empty: expected apiVersion: slipway.dev/v1alpha1, kind: Config and apps [config-empty]',
  ]],
  ['escaping-path.yaml', [], [
    'slipway.yaml:5:11: error: apps[0].path: app path "apps/../../other-repo" leaves the repository (too many "..") [config-invalid]',
  ]],
  ['helm-with-kustomize.yaml', [], [
    'slipway.yaml:8:7: error: apps[0].source.helm: helm options need source.type helm or auto, not kustomize [config-invalid]',
  ]],
  ['ignore-differences-typo.yaml', [], [
    'slipway.yaml:8:11: error: apps[0].options.ignoreDifferences[0]: a rule ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers [config-invalid]',
    'slipway.yaml:9:11: error: unknown field "jsonPointer" in apps[0].options.ignoreDifferences[0] (did you mean "jsonPointers"?); expected one of: group, kind, name, namespace, jsonPointers, jqPathExpressions, managedFieldsManagers [config-unknown-field]',
  ]],
  ['invalid-name.yaml', [], [
    'slipway.yaml:4:11: error: apps[0].name: an app name uses lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters [config-invalid]',
  ]],
  ['missing-apps.yaml', [], [
    'slipway.yaml:1:1: error: missing required field "apps" [config-missing-field]',
  ]],
  ['missing-name.yaml', [], [
    'slipway.yaml:4:5: error: apps[0]: missing required field "name" [config-missing-field]',
  ]],
  ['missing-path.yaml', [], [
    'slipway.yaml:4:5: error: apps[0]: missing required field "path" [config-missing-field]',
  ]],
  ['name-too-long.yaml', [], [
    'slipway.yaml:4:11: error: apps[0].name: an app name has at most 63 characters [config-invalid]',
  ]],
  ['not-a-mapping.yaml', [], [
    'slipway.yaml:1:1: error: the file: expected a mapping, got a list [config-invalid]',
  ]],
  ['one-bad-app-among-good.yaml', ['fine'], [
    'slipway.yaml:5:11: error: apps[0].path: app path "/abs" must be relative to the repository root, not absolute [config-invalid]',
  ]],
  ['target-revision-not-allowed.yaml', [], [
    'slipway.yaml:6:5: error: unknown field "targetRevision" in apps[0]; expected one of: name, path, source, destination, options [config-unknown-field]',
  ]],
  ['unknown-destination-field.yaml', [], [
    'slipway.yaml:8:7: error: unknown field "namepsace" in apps[0].destination (did you mean "namespace"?); expected one of: context, namespace [config-unknown-field]',
  ]],
  ['unknown-option-fields.yaml', [], [
    'slipway.yaml:7:7: error: unknown field "prun" in apps[0].options (did you mean "prune"?); expected one of: prune, createNamespace, protected, ignoreDifferences, syncOptions, managedNamespaceMetadata, wait [config-unknown-field]',
    'slipway.yaml:8:7: error: unknown field "dryRun" in apps[0].options; expected one of: prune, createNamespace, protected, ignoreDifferences, syncOptions, managedNamespaceMetadata, wait [config-unknown-field]',
  ]],
  ['unknown-top-level-field.yaml', [], [
    'slipway.yaml:1:1: error: missing required field "apps" [config-missing-field]',
    'slipway.yaml:3:1: error: unknown field "app" (did you mean "apps"?); expected one of: apiVersion, kind, apps [config-unknown-field]',
  ]],
  ['values-file-escapes.yaml', [], [
    'slipway.yaml:10:13: error: apps[0].source.helm.valuesFiles[1]: values file "../../../secrets.yaml" leaves the repository (too many "..") [config-invalid]',
  ]],
  ['wrong-api-version.yaml', [], [
    'slipway.yaml:1:13: error: apiVersion: expected "slipway.dev/v1alpha1", got "slipway.dev/v1" [config-invalid]',
  ]],
  ['wrong-kind.yaml', [], [
    'slipway.yaml:2:7: error: kind: expected "Config", got "Configuration" [config-invalid]',
  ]],
  ['yaml-duplicate-key.yaml', [], [
    'slipway.yaml:6:5: error: invalid YAML: Map keys must be unique [yaml-syntax]',
  ]],
  ['yaml-syntax.yaml', [], [
    'slipway.yaml:6:1: error: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]',
  ]],
  ['yaml-two-documents.yaml', [], [
    'slipway.yaml:6:1: error: invalid YAML: slipway.yaml must hold one YAML document, found another one after "---" [yaml-syntax]',
  ]],
];

describe('parseSlipwayConfig: invalid files', () => {
  it('has a case for every fixture', () => {
    const files = readdirSync(new URL('invalid/', testdata)).filter((f) => f.endsWith('.yaml'));
    expect(invalidCases.map(([file]) => file)).toEqual(files.sort());
  });

  it.each(invalidCases)('%s', (file, apps, diagnostics) => {
    const result = parseSlipwayConfig(read(`invalid/${file}`), { file: 'slipway.yaml' });
    expect(result.diagnostics.map(format)).toEqual(diagnostics);
    expect(result.apps.map((a) => a.name)).toEqual(apps);
    expect(result.diagnostics.every((d) => d.location?.line !== undefined && d.location.column !== undefined)).toBe(true);
  });
});

describe('slipwayConfigJsonSchema', () => {
  const schema = slipwayConfigJsonSchema();

  it('matches the golden schema editors use', async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot('testdata/slipway.schema.json');
  });

  it('rejects unknown fields and knows the required ones', () => {
    const app = (schema as { properties: { apps: { items: { additionalProperties: unknown; required: unknown } } } }).properties.apps.items;
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', additionalProperties: false, required: ['apiVersion', 'kind', 'apps'] });
    expect(app).toMatchObject({ additionalProperties: false, required: ['name', 'path'] });
  });
});
