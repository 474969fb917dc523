/**
 * Credentials for chart repositories and registries, like Argo CD's repository credentials: a
 * YAML file (named in settings or by SLIPWAY_CHART_CREDENTIALS) whose entries match repository
 * URLs by prefix, their secrets given inline or as the names of environment variables; for OCI
 * registries also Docker's config.json. They are used for requests only: never logged, never in
 * plans, caches or history.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SlipwayError } from '../../model/diagnostics.js';

export const CHART_CREDENTIALS_ENV = 'SLIPWAY_CHART_CREDENTIALS';

export type ChartCredential = { readonly kind: 'basic'; readonly username: string; readonly password: string } | { readonly kind: 'bearer'; readonly token: string };

export interface CredentialEntry {
  /** Prefix of the repository URL ("https://charts.example.com", "oci://ghcr.io/org"). */
  readonly url: string;
  readonly credential: ChartCredential;
}

const entrySchema = z.strictObject({
  url: z.string().min(1),
  username: z.string().optional(),
  password: z.string().optional(),
  passwordEnv: z.string().optional(),
  bearerToken: z.string().optional(),
  bearerTokenEnv: z.string().optional(),
});
const fileSchema = z.strictObject({ repositories: z.array(entrySchema).default([]) });

/** Compares URLs without scheme for OCI (Argo CD writes OCI repoURLs with and without oci://) and without a trailing "/". */
function comparable(url: string): string {
  return url.replace(/^oci:\/\//i, '').replace(/\/+$/, '').toLowerCase();
}

/** The entry with the longest URL prefix of repoURL (on a path boundary), if any. */
export function matchCredential(entries: readonly CredentialEntry[], repoURL: string): ChartCredential | undefined {
  const target = comparable(repoURL);
  let best: CredentialEntry | undefined;
  for (const e of entries) {
    const prefix = comparable(e.url);
    const fits = target === prefix || target.startsWith(`${prefix}/`);
    if (fits && (!best || prefix.length > comparable(best.url).length)) best = e;
  }
  return best?.credential;
}

/** Entries of a credentials file's text; `env` resolves passwordEnv and bearerTokenEnv. Errors name the file, never a value. */
export function parseCredentialsFile(text: string, opts: { file: string; env: NodeJS.ProcessEnv }): CredentialEntry[] {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (e) {
    throw new SlipwayError('chart-credentials-invalid', `the chart credentials file ${opts.file} is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SlipwayError('chart-credentials-invalid', `the chart credentials file ${opts.file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`, { hint: 'entries are {url, username, password | passwordEnv} or {url, bearerToken | bearerTokenEnv}' });
  }
  const fromEnv = (name: string, what: string, url: string): string => {
    const v = opts.env[name];
    if (v === undefined) throw new SlipwayError('chart-credentials-invalid', `the chart credentials file ${opts.file} takes the ${what} for ${url} from $${name}, which is not set`);
    return v;
  };
  return parsed.data.repositories.map((e): CredentialEntry => {
    const token = e.bearerToken ?? (e.bearerTokenEnv !== undefined ? fromEnv(e.bearerTokenEnv, 'token', e.url) : undefined);
    if (token !== undefined) return { url: e.url, credential: { kind: 'bearer', token } };
    const password = e.password ?? (e.passwordEnv !== undefined ? fromEnv(e.passwordEnv, 'password', e.url) : undefined);
    if (e.username === undefined || password === undefined) throw new SlipwayError('chart-credentials-invalid', `the chart credentials file ${opts.file}: the entry for ${e.url} needs username and password (or passwordEnv), or bearerToken (or bearerTokenEnv)`);
    return { url: e.url, credential: { kind: 'basic', username: e.username, password } };
  });
}

const dockerConfigSchema = z.looseObject({ auths: z.record(z.string(), z.looseObject({ auth: z.string().optional(), username: z.string().optional(), password: z.string().optional(), identitytoken: z.string().optional() })).optional() });

/** Registry logins in Docker's config.json (what `docker login` and `helm registry login` write), as entries for oci://host. */
export function parseDockerConfig(text: string): CredentialEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const parsed = dockerConfigSchema.safeParse(data);
  if (!parsed.success) return [];
  const out: CredentialEntry[] = [];
  for (const [host, a] of Object.entries(parsed.data.auths ?? {})) {
    const registry = host.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (a.auth) {
      const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) out.push({ url: `oci://${registry}`, credential: { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } });
    } else if (a.username && a.password) {
      out.push({ url: `oci://${registry}`, credential: { kind: 'basic', username: a.username, password: a.password } });
    }
  }
  return out;
}

/** All credentials this machine has: the credentials file first (it wins on equal prefixes), then Docker's logins. */
export function loadChartCredentials(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): CredentialEntry[] {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env[CHART_CREDENTIALS_ENV];
  const entries: CredentialEntry[] = [];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new SlipwayError('chart-credentials-invalid', `the chart credentials file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    entries.push(...parseCredentialsFile(text, { file, env }));
  }
  const dockerDir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  try {
    entries.push(...parseDockerConfig(readFileSync(join(dockerDir, 'config.json'), 'utf8')));
  } catch {
    // No Docker config: anonymous pulls only.
  }
  return entries;
}

export function authorizationHeader(c: ChartCredential): string {
  return c.kind === 'bearer' ? `Bearer ${c.token}` : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
