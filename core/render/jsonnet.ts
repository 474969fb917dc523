/**
 * A directory app's `.jsonnet` files, evaluated by go-jsonnet's `jsonnet` (the implementation Argo
 * CD links) on a materialized copy of what they read (closure.ts). Each file's output is an
 * object, a list of objects or a List; every object keeps the `.jsonnet` file as its source.
 */
import type { Repository, Revision } from '../git/types.js';
import type { DesiredObject } from '../model/desired.js';
import { SlipwayError, type Diagnostic } from '../model/diagnostics.js';
import { parseManifests } from '../manifest/manifests.js';
import type { JsonnetOptions } from '../source/apps.js';
import { closureSnapshot } from './closure.js';
import { materialize } from './materialize.js';
import { buildEnvironment, jsonnetArgs } from './jsonnet-args.js';
import { findTool, missingTool, runTool, type ToolPaths } from './tools.js';
import { explainedFailure } from './tool-failure.js';

export interface JsonnetApp {
  readonly name: string;
  readonly path: string;
  readonly source: { readonly directory?: { readonly jsonnet?: JsonnetOptions } };
  readonly destination: { readonly namespace?: string };
}

export interface JsonnetRenderOptions {
  readonly cacheDir: string;
  readonly timeoutMs?: number;
  readonly lookup: { settings?: ToolPaths; env?: NodeJS.ProcessEnv };
}

/** Outputs by materialized tree, options and file: re-planning an unchanged revision does not run jsonnet again. */
const outputs = new Map<string, string>();
const OUTPUTS_MAX = 512;

export function clearJsonnetCache(): void {
  outputs.clear();
}

export async function renderJsonnetFiles(repo: Repository, revision: Revision, app: JsonnetApp, files: readonly string[], opts: JsonnetRenderOptions): Promise<{ objects: DesiredObject[]; diagnostics: Diagnostic[] }> {
  const tool = await findTool('jsonnet', opts.lookup);
  if (!tool) throw missingTool(`app ${app.name} has Jsonnet files (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}) and needs jsonnet to render them`, 'install go-jsonnet\'s jsonnet (go install github.com/google/go-jsonnet/cmd/jsonnet@latest, or your package manager\'s go-jsonnet), or set its path in settings');
  const jsonnet = app.source.directory?.jsonnet;
  const code = [...(jsonnet?.extVars ?? []), ...(jsonnet?.tlas ?? [])].filter((v) => v.code).map((v) => v.value);
  const whole = await repo.snapshot(revision, '');
  const needed = await closureSnapshot(repo, whole, { type: 'jsonnet', appPath: app.path, jsonnet: { files, libs: jsonnet?.libs ?? [], code } });
  const { dir, diagnostics } = await materialize(repo, needed.snapshot, { cacheDir: opts.cacheDir });
  const env = buildEnvironment({ name: app.name, path: app.path, ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }), ...(revision.kind === 'commit' ? { revision: revision.oid } : revision.head !== undefined && { revision: revision.head }) });
  const objects: DesiredObject[] = [];
  for (const file of files) {
    const args = jsonnetArgs(file, { appPath: app.path, ...(jsonnet && { jsonnet }), env });
    const key = `${needed.snapshot.treeOid}\0${args.join('\0')}`;
    let output = outputs.get(key);
    if (output === undefined) {
      output = await runTool(tool, args, { cwd: dir, timeoutMs: opts.timeoutMs, what: `jsonnet ${file} for app ${app.name}` }).catch(explainedFailure('jsonnet', dir, app.path));
      if (outputs.size >= OUTPUTS_MAX) outputs.delete(outputs.keys().next().value!);
      outputs.set(key, output);
    }
    const read = readJsonnetOutput(output, file);
    objects.push(...read.objects);
    diagnostics.push(...read.diagnostics);
  }
  return { objects, diagnostics };
}

/** jsonnet's JSON: an object or a List (parsed as a manifest), or a list of them, each at its index; lines of the output mean nothing in the file. */
export function readJsonnetOutput(output: string, file: string): { objects: DesiredObject[]; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch (e) {
    throw new SlipwayError('render-failed', `jsonnet ${file} printed something that is not JSON: ${(e as Error).message}`, { location: { file } });
  }
  const documents = Array.isArray(value) ? (value as unknown[]) : [value];
  const objects: DesiredObject[] = [];
  const diagnostics: Diagnostic[] = [];
  documents.forEach((doc, documentIndex) => {
    const parsed = parseManifests(JSON.stringify(doc ?? null), { file });
    objects.push(...parsed.objects.map((o) => ({ ...o, source: { file, documentIndex } })));
    diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, location: { file, documentIndex } })));
  });
  return { objects, diagnostics };
}
