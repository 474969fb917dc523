/**
 * Resolves a chart source to one version and archive digest, and makes sure the archive is in the
 * chart cache: from the cache when it is there (no network call), else from the Helm repository's
 * index.yaml or the OCI registry. A pinned chart (what a plan recorded) must come back with the
 * same digest, so apply renders the very chart the plan saw.
 */
import { parse } from 'yaml';
import type { Diagnostic } from '../../model/diagnostics.js';
import { SlipwayError } from '../../model/diagnostics.js';
import { authorizationHeader, matchCredential, type ChartCredential, type CredentialEntry } from './credentials.js';
import { ChartUnreachable, get, type FetchContext, type FetchLike } from './http.js';
import { chartArchiveUrl, describeChart, exactVersion, ociLocation, pickVersion, redactRepoUrl, repoKind, tagToVersion, versionToTag, type ChartSource, type ResolvedChart } from './ref.js';
import { sha256Digest, type ChartStore } from './store.js';

export interface ResolveOptions {
  readonly store: ChartStore;
  readonly credentials: readonly CredentialEntry[];
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
  /** The version and digest a plan recorded: resolved to exactly these. */
  readonly pinned?: Pick<ResolvedChart, 'version' | 'digest'>;
  readonly fetchImpl?: FetchLike;
}

export interface ChartInCache {
  readonly resolved: ResolvedChart;
  /** Path of the archive in the chart cache. */
  readonly archive: string;
  readonly diagnostics: Diagnostic[];
}

/** What a repository says about one version: where its archive is and the digest it should have. */
interface Located {
  readonly version: string;
  readonly digest?: string;
  readonly download: (ctx: FetchContext) => Promise<Uint8Array>;
}

export async function resolveChart(src: ChartSource, opts: ResolveOptions): Promise<ChartInCache> {
  const repoURL = redactRepoUrl(src.repoURL);
  const wanted = opts.pinned?.version ?? src.targetRevision;
  const done = (resolved: ResolvedChart, diagnostics: Diagnostic[] = []): ChartInCache => ({ resolved, archive: opts.store.archivePath(resolved.digest), diagnostics });
  if (opts.pinned && opts.store.has(opts.pinned.digest)) return done({ repoURL, chart: src.chart, ...opts.pinned });
  const exact = exactVersion(wanted);
  if (!opts.pinned && exact !== undefined) {
    const known = await opts.store.lastResolution(repoURL, src.chart, exact);
    if (known) return done(known);
  }
  const ctx: FetchContext = { repoURL, chart: src.chart, tried: wanted, timeoutMs: opts.timeoutMs ?? 30_000 };
  const credential = matchCredential(opts.credentials, src.repoURL);
  let located: Located;
  try {
    located = repoKind(src.repoURL) === 'helm' ? await locateInHelmRepo(src, ctx, credential, opts.fetchImpl) : await locateInRegistry(src, ctx, credential, opts.fetchImpl);
  } catch (e) {
    if (!(e instanceof ChartUnreachable) || exact !== undefined || opts.pinned) throw e;
    // A range offline: the version it resolved to last time, said so.
    const known = await opts.store.lastResolution(repoURL, src.chart, wanted);
    if (!known) throw e;
    return done(known, [{ severity: 'warning', code: 'chart-offline', message: `${describeChart(src)}: the repository cannot be reached, so the range ${JSON.stringify(wanted)} is taken as ${known.version}, what it resolved to last time` }]);
  }
  const vctx = { ...ctx, tried: located.version };
  if (opts.pinned && located.digest !== undefined && located.digest !== opts.pinned.digest) throw digestMismatch(src, located.version, opts.pinned.digest, located.digest, 'the repository now lists');
  let digest = located.digest;
  if (digest === undefined || !opts.store.has(digest)) {
    const bytes = await located.download(vctx);
    const actual = sha256Digest(bytes);
    const expected = opts.pinned?.digest ?? located.digest;
    if (expected !== undefined && actual !== expected) throw digestMismatch(src, located.version, expected, actual, 'the archive downloaded has');
    await opts.store.put(actual, bytes);
    digest = actual;
  }
  const resolved: ResolvedChart = { repoURL, chart: src.chart, version: located.version, digest };
  await opts.store.remember(wanted, resolved);
  if (wanted !== located.version) await opts.store.remember(located.version, resolved);
  return done(resolved);
}

function digestMismatch(src: ChartSource, version: string, expected: string, actual: string, what: string): SlipwayError {
  return new SlipwayError('chart-digest-mismatch', `${describeChart(src, version)}: expected digest ${expected}, but ${what} ${actual}`, {
    hint: 'the chart was changed in the repository under the same version; plan again to review the new one',
  });
}

function versionNotFound(src: ChartSource, wanted: string, versions: readonly string[]): SlipwayError {
  const listed = versions.slice(0, 10).join(', ');
  return new SlipwayError('chart-version-not-found', `${describeChart(src)}: no version matches ${JSON.stringify(wanted || '*')}${versions.length > 0 ? ` (it has ${listed}${versions.length > 10 ? ', …' : ''})` : ' (it lists none)'}`, {
    hint: 'check targetRevision',
  });
}

const indexSchemaError = (src: ChartSource, why: string): SlipwayError =>
  new SlipwayError('chart-index-invalid', `${describeChart(src)}: ${redactRepoUrl(src.repoURL)}/index.yaml ${why}`, { hint: 'is repoURL a Helm chart repository (a folder with index.yaml)?' });

async function locateInHelmRepo(src: ChartSource, ctx: FetchContext, credential: ChartCredential | undefined, fetchImpl?: FetchLike): Promise<Located> {
  const base = src.repoURL.replace(/\/+$/, '');
  const headers = credential ? { authorization: authorizationHeader(credential) } : undefined;
  const res = await get(`${base}/index.yaml`, ctx, { what: 'index.yaml', ...(headers && { headers }), ...(fetchImpl && { fetchImpl }) });
  const text = await res.text();
  let index: unknown;
  try {
    index = parse(text);
  } catch (e) {
    throw indexSchemaError(src, `is not YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof index !== 'object' || index === null || typeof (index as { entries?: unknown }).entries !== 'object') throw indexSchemaError(src, 'has no entries: it is not a chart repository index');
  const entries = (index as { entries: Record<string, unknown> }).entries[src.chart];
  if (!Array.isArray(entries)) throw new SlipwayError('chart-not-found', `${describeChart(src)}: the repository has no chart named ${src.chart}`, { hint: 'check chart (the name in index.yaml)' });
  const byVersion = new Map<string, { digest?: string; urls?: string[] }>();
  for (const e of entries as { version?: unknown; digest?: unknown; urls?: unknown }[]) {
    if (typeof e?.version === 'string') byVersion.set(e.version, { ...(typeof e.digest === 'string' && { digest: e.digest }), ...(Array.isArray(e.urls) && { urls: e.urls.filter((u): u is string => typeof u === 'string') }) });
  }
  const versions = [...byVersion.keys()];
  const version = pickVersion(versions, ctx.tried);
  if (version === undefined) throw versionNotFound(src, ctx.tried, versions);
  const entry = byVersion.get(version)!;
  const url = entry.urls?.[0];
  if (!url) throw indexSchemaError(src, `lists no URL for version ${version}`);
  const archiveUrl = chartArchiveUrl(base, url);
  // Credentials go only to the repository's own host (Argo CD's passCredentials is off by default).
  const sameHost = new URL(archiveUrl).host === new URL(base).host;
  return {
    version,
    ...(entry.digest && { digest: `sha256:${entry.digest.replace(/^sha256:/, '')}` }),
    download: async (vctx) => new Uint8Array(await (await get(archiveUrl, vctx, { what: `the archive ${url.split('/').pop() ?? url}`, ...(sameHost && headers && { headers }), ...(fetchImpl && { fetchImpl }) })).arrayBuffer()),
  };
}

const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST_TYPES = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/** OCI distribution: anonymous first; a 401 names how to log in (Basic, or a Bearer token from a realm). */
class RegistryClient {
  private auth: string | undefined;
  constructor(
    private readonly base: string,
    private readonly credential: ChartCredential | undefined,
    private readonly fetchImpl: FetchLike | undefined,
  ) {
    if (credential?.kind === 'bearer') this.auth = authorizationHeader(credential);
  }

  async get(path: string, ctx: FetchContext, what: string, accept?: string): Promise<Response> {
    const url = `${this.base}${path}`;
    const headers = (): Record<string, string> => ({ ...(accept && { accept }), ...(this.auth && { authorization: this.auth }) });
    const f = this.fetchImpl ?? fetch;
    // A first, unauthenticated call learns the challenge (reusing get() for its error handling).
    const probing: FetchLike = async (input, init) => {
      const res = await f(input, init);
      if (res.status !== 401 || this.auth !== undefined || !this.credential) return res;
      const challenge = res.headers.get('www-authenticate') ?? '';
      await res.body?.cancel().catch(() => undefined);
      this.auth = await this.authorize(challenge, ctx);
      return f(input, { ...init, headers: headers() });
    };
    return get(url, ctx, { what, headers: headers(), fetchImpl: probing });
  }

  private async authorize(challenge: string, ctx: FetchContext): Promise<string> {
    const credential = this.credential!;
    if (!/^bearer\s/i.test(challenge)) return authorizationHeader(credential);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    if (!params.realm) return authorizationHeader(credential);
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
    const res = await get(tokenUrl.toString(), ctx, { what: 'a registry token', headers: { authorization: authorizationHeader(credential) }, ...(this.fetchImpl && { fetchImpl: this.fetchImpl }) });
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new SlipwayError('chart-auth-failed', `${describeChart(ctx)}: the registry's token service gave no token`);
    return `Bearer ${token}`;
  }
}

async function locateInRegistry(src: ChartSource, ctx: FetchContext, credential: ChartCredential | undefined, fetchImpl?: FetchLike): Promise<Located> {
  const loc = ociLocation(src.repoURL, src.chart);
  const client = new RegistryClient(`${loc.scheme}://${loc.registry}/v2/${loc.name}`, credential, fetchImpl);
  let version = exactVersion(ctx.tried);
  if (version === undefined) {
    const tags = ((await (await client.get('/tags/list', ctx, 'the list of tags')).json()) as { tags?: string[] | null }).tags ?? [];
    const versions = tags.map(tagToVersion);
    version = pickVersion(versions, ctx.tried);
    if (version === undefined) throw versionNotFound(src, ctx.tried, versions);
  }
  const vctx = { ...ctx, tried: version };
  let manifest: { layers?: { mediaType?: string; digest?: string }[] };
  try {
    manifest = (await (await client.get(`/manifests/${versionToTag(version)}`, vctx, `the manifest of version ${version}`, MANIFEST_TYPES)).json()) as typeof manifest;
  } catch (e) {
    // A registry answers 404 for a tag it does not have: that is a missing version.
    if (e instanceof SlipwayError && e.code === 'chart-not-found') throw new SlipwayError('chart-version-not-found', `${describeChart(src, version)}: the registry has no such version (tag ${versionToTag(version)})`, { hint: 'check targetRevision and chart', cause: e });
    throw e;
  }
  const layer = manifest.layers?.find((l) => l.mediaType === HELM_LAYER);
  if (!layer?.digest) throw new SlipwayError('chart-not-a-chart', `${describeChart(src, version)}: the registry's artifact has no Helm chart layer (${HELM_LAYER})`, { hint: 'is it an image rather than a chart pushed with helm push?' });
  const digest = layer.digest;
  return { version, digest, download: async (c) => new Uint8Array(await (await client.get(`/blobs/${digest}`, c, `the chart layer ${digest}`)).arrayBuffer()) };
}
