/**
 * The values of a Flux HelmRelease whose `valuesFrom` names Secrets of this repository: its layers
 * (core/source/apps.ts HelmValuesLayer) merged in order as Flux merges them, each Secret read at
 * render time — from its file (decrypted with sops when encrypted) or from the rendering of the
 * overlay that defines it (a secretGenerator, a SOPS-encrypted file) — and its key parsed as YAML.
 *
 * The values are secret: they stay in memory, go to `helm template` on stdin (render.ts), and no
 * message here quotes them (a YAML error names the line only).
 */
import { parse as parseYaml } from 'yaml';
import type { Repository, Revision } from '../git/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { isPlainObject, type DesiredObject } from '../model/desired.js';
import { parseManifests } from '../manifest/manifests.js';
import type { HelmValuesLayer, SecretValuesRef } from '../source/apps.js';
import { deepMerge, valuesAtPath } from '../source/gitops/flux-helm.js';
import { decryptSopsObjects, isSopsEncrypted, type SopsOptions } from './sops.js';

export interface SecretValuesContext {
  readonly repo: Repository;
  readonly revision: Revision;
  /** The app, for messages. */
  readonly app: string;
  /** The objects of a folder's rendering (decrypted): where a Secret an overlay defines is found. */
  readonly renderFolder: (path: string) => Promise<readonly DesiredObject[]>;
  readonly sops: SopsOptions;
}

/** The layers merged in order (later wins, maps merged key by key). */
export async function mergeValuesLayers(layers: readonly HelmValuesLayer[], ctx: SecretValuesContext): Promise<Record<string, unknown>> {
  // Several Secrets of one overlay (a secretGenerator of two): it is rendered once.
  const renderings = new Map<string, Promise<readonly DesiredObject[]>>();
  const renderFolder = (path: string): Promise<readonly DesiredObject[]> => {
    let objects = renderings.get(path);
    if (!objects) renderings.set(path, (objects = ctx.renderFolder(path)));
    return objects;
  };
  let merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if ('values' in layer) merged = deepMerge(merged, { ...layer.values });
    else {
      const values = await secretValues(layer.secret, { ...ctx, renderFolder });
      if (values) merged = deepMerge(merged, values);
    }
  }
  return merged;
}

/** One Secret's key as values (undefined: an optional Secret or key that is not there). */
async function secretValues(ref: SecretValuesRef, ctx: SecretValuesContext): Promise<Record<string, unknown> | undefined> {
  const name = `Secret ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const where = 'file' in ref.from ? ref.from.file : `the rendering of ${ref.from.render || '.'}`;
  const what = `app ${ctx.app}: ${ref.field}: ${name} (${where})`;
  const secret = await findSecret(ref, ctx);
  if (!secret) {
    if (ref.optional) return undefined;
    throw new SlipwayError('values-secret-not-found', `${what} is not there at this revision`, { ...('file' in ref.from && { location: { file: ref.from.file } }) });
  }
  const text = secretText(secret.manifest, ref.key);
  if (text === undefined) {
    if (ref.optional) return undefined;
    throw new SlipwayError('values-secret-not-found', `${what} has no key ${ref.key}`, { location: secret.source });
  }
  if (ref.targetPath) return valuesAtPath(ref.targetPath, text);
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    // The parser's message quotes the text: only the line is said.
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new SlipwayError('values-secret-invalid', `${what}: key ${ref.key} is not YAML${line !== undefined ? ` (line ${line} of the value)` : ''}`, { location: secret.source });
  }
  if (value === null || value === undefined) return undefined;
  if (!isPlainObject(value)) throw new SlipwayError('values-secret-invalid', `${what}: key ${ref.key} is not a map of values`, { location: secret.source });
  return value;
}

async function findSecret(ref: SecretValuesRef, ctx: SecretValuesContext): Promise<DesiredObject | undefined> {
  let objects: readonly DesiredObject[];
  if ('file' in ref.from) {
    const file = ref.from.file;
    const whole = await ctx.repo.snapshot(ctx.revision, '');
    const entry = whole.files.find((f) => f.path === file);
    if (!entry) return undefined;
    objects = parseManifests(await ctx.repo.readFile(whole, entry), { file }).objects;
  } else objects = await ctx.renderFolder(ref.from.render);
  const found = objects.find((o) => {
    const m = o.manifest;
    const meta: Record<string, unknown> = isPlainObject(m.metadata) ? m.metadata : {};
    return m.apiVersion === 'v1' && m.kind === 'Secret' && meta.name === ref.name && ((meta.namespace as string | undefined) ?? ref.namespace) === ref.namespace;
  });
  if (!found || !isSopsEncrypted(found.manifest)) return found;
  return (await decryptSopsObjects([found], ctx.sops))[0];
}

/** The key's text: stringData as written, data base64-decoded (stringData wins, as the API server merges them). */
function secretText(manifest: DesiredObject['manifest'], key: string): string | undefined {
  const stringData = isPlainObject(manifest.stringData) ? manifest.stringData : {};
  if (typeof stringData[key] === 'string') return stringData[key];
  const data = isPlainObject(manifest.data) ? manifest.data : {};
  return typeof data[key] === 'string' ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;
}
