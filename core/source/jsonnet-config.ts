/**
 * Jsonnet options of a directory app, in slipway.yaml (`source.directory.jsonnet`, strict) and in
 * an Argo CD Application (`spec.source.directory.jsonnet`, read as Argo CD writes it): extVars and
 * tlas, each a string or Jsonnet code (`code: true`), and libs, library folders relative to the
 * repository's root as in Argo CD.
 */
import { z } from 'zod';
import type { JsonnetOptions, JsonnetVariable } from './apps.js';
import { normalizeRepoPath } from './paths.js';

const variableSchema = z
  .strictObject({
    name: z.string().min(1, { error: 'a Jsonnet variable needs a name' }),
    value: z.string().describe('A string, or Jsonnet code when code is true; $ARGOCD_APP_NAME and the like are substituted as in Argo CD'),
    code: z.boolean().default(false).describe('Evaluate value as Jsonnet code (--ext-code, --tla-code)'),
  })
  .describe('A Jsonnet external variable or top-level argument');

export const jsonnetConfigSchema = z
  .strictObject({
    extVars: z.array(variableSchema).default([]).describe('External variables (std.extVar)'),
    tlas: z.array(variableSchema).default([]).describe('Top-level arguments of a file that is a function'),
    libs: z.array(z.string().min(1)).default([]).describe('Library folders searched by imports, relative to the repository root (as in Argo CD)'),
  })
  .describe("How the folder's .jsonnet files are evaluated (Argo CD's directory.jsonnet)");

/** Argo CD's own shape: fields may be missing or extra (the CRD's defaults). */
export const argoJsonnetSchema = z.looseObject({
  extVars: z.array(z.looseObject({ name: z.string().min(1), value: z.string().default(''), code: z.boolean().default(false) })).nullish(),
  tlas: z.array(z.looseObject({ name: z.string().min(1), value: z.string().default(''), code: z.boolean().default(false) })).nullish(),
  libs: z.array(z.string()).nullish(),
});

/** The options with libs made repository-relative; a lib that leaves the repository is a problem naming it. */
export function toJsonnetOptions(parsed: { extVars?: readonly JsonnetVariable[] | null; tlas?: readonly JsonnetVariable[] | null; libs?: readonly string[] | null }): { options: JsonnetOptions; problems: string[] } {
  const libs: string[] = [];
  const problems: string[] = [];
  for (const lib of parsed.libs ?? []) {
    const normalized = normalizeRepoPath(lib);
    if (normalized.ok) libs.push(normalized.path);
    else problems.push(`lib ${JSON.stringify(lib)} ${normalized.reason}`);
  }
  const variables = (list: readonly JsonnetVariable[] | null | undefined): JsonnetVariable[] => (list ?? []).map((v) => ({ name: v.name, value: v.value, code: v.code }));
  return { options: { extVars: variables(parsed.extVars), tlas: variables(parsed.tlas), libs }, problems };
}
