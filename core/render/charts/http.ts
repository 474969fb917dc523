/**
 * One HTTP GET for charts, with a timeout and errors that name the repository, the chart and the
 * version tried (never a credential: the Authorization header is only ever sent, never printed).
 */
import { SlipwayError } from '../../model/diagnostics.js';
import { describeChart, redactRepoUrl } from './ref.js';

export interface FetchContext {
  readonly repoURL: string;
  readonly chart: string;
  /** The version or range tried, for messages. */
  readonly tried: string;
  readonly timeoutMs: number;
}

export type FetchLike = typeof fetch;

/** Connection failures (the repository cannot be reached), as opposed to answers. */
export class ChartUnreachable extends SlipwayError {}

export async function get(url: string, ctx: FetchContext, opts: { headers?: Record<string, string>; what: string; fetchImpl?: FetchLike }): Promise<Response> {
  const where = `${describeChart(ctx)} (version ${ctx.tried || 'newest'})`;
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, { headers: opts.headers ?? {}, signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'follow' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
    const reason = timeout ? `no answer within ${Math.round(ctx.timeoutMs / 1000)} s` : (err.cause?.code ?? err.message);
    throw new ChartUnreachable('chart-repo-unreachable', `${where}: the repository ${redactRepoUrl(ctx.repoURL)} cannot be reached to get ${opts.what} (${reason})`, {
      hint: 'check the network or the repository URL; charts planned before are kept in the chart cache and need no network',
      cause: e,
    });
  }
  if (res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    throw new SlipwayError('chart-auth-failed', `${where}: the repository ${redactRepoUrl(ctx.repoURL)} refused ${opts.what} (HTTP ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'})`, {
      hint: `give credentials for ${redactRepoUrl(ctx.repoURL)} in the chart credentials file (settings, or $SLIPWAY_CHART_CREDENTIALS)${/^https?:/.test(ctx.repoURL) ? '' : ' or with docker login / helm registry login'}`,
    });
  }
  if (res.status === 404) throw new SlipwayError('chart-not-found', `${where}: ${opts.what} is not in the repository ${redactRepoUrl(ctx.repoURL)} (HTTP 404)`, { hint: 'check repoURL and chart' });
  throw new SlipwayError('chart-fetch-failed', `${where}: the repository ${redactRepoUrl(ctx.repoURL)} answered HTTP ${res.status} for ${opts.what}`);
}
