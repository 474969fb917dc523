/**
 * The engine side of the contract: one set of handlers that both transports (Electron IPC and
 * the HTTP server) call, through `dispatch` (./dispatch.ts), which validates requests and results.
 * Transports never implement commands themselves.
 *
 * Handlers keep the repositories the user opened, by id, for the life of the engine.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { openRepository } from '../git/repository.js';
import { WORKING_COPY, type LogEntry, type RefInfo, type Repository } from '../git/types.js';
import { listContexts, loadKubeconfig } from '../kube/kubeconfig.js';
import { SlipwayError, type Diagnostic } from '../model/diagnostics.js';
import { userCacheDir } from '../paths.js';
import { planApp } from '../plan/service.js';
import type { ToolPaths } from '../render/tools.js';
import type { App } from '../source/apps.js';
import { loadApps } from '../source/load.js';
import { SLIPWAY_VERSION } from '../version.js';
import type { AppSummary, CommandId, CommandResult, CommitSummary, EngineInfo, RefSummary, ValidRequest } from './contract.js';

export type Transport = EngineInfo['transport'];

/** One function per command; requests arrive validated. */
export type CommandHandlers = { readonly [C in CommandId]: (request: ValidRequest<C>) => Promise<CommandResult<C>> };

export interface EngineHandlers extends CommandHandlers {
  /** Closes every open repository (stops git helper processes). */
  close(): Promise<void>;
}

export interface HandlerOptions {
  readonly transport: Transport;
  /** Environment for KUBECONFIG and HOME; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where materialized kustomize/helm trees are kept; defaults to the user cache. */
  readonly treesDir?: string;
  readonly tools?: ToolPaths;
}

const DEFAULT_LOG_PAGE = 50;
/** A search reads at most this many commits per request, then hands back a cursor. */
const SEARCH_SCAN_LIMIT = 5_000;
const SEARCH_PAGE = 200;

interface OpenRepo {
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly repo: Repository;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~') return env.HOME ?? homedir();
  if (path.startsWith('~/')) return join(env.HOME ?? homedir(), path.slice(2));
  return path;
}

function toRefSummary(r: RefInfo): RefSummary {
  return { kind: r.kind, name: r.name, fullName: r.fullName, oid: r.oid, ...(r.current && { current: true }) };
}

function toCommitSummary(e: LogEntry, refsByOid: ReadonlyMap<string, string[]>): CommitSummary {
  return { oid: e.oid, shortOid: e.shortOid, subject: e.subject, author: { name: e.author.name, email: e.author.email }, date: e.author.time, refs: refsByOid.get(e.oid) ?? [] };
}

function toAppSummary(app: App): AppSummary {
  return {
    name: app.name,
    path: app.path,
    sourceType: app.source.type,
    ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }),
    ...(app.destination.context !== undefined && { context: app.destination.context }),
    origin: { kind: app.origin.kind, ...(app.origin.file !== undefined && { file: app.origin.file }), ...(app.origin.line !== undefined && { line: app.origin.line }) },
    prune: app.options.prune,
    protected: app.options.protected,
  };
}

/** Diagnostics as plain data (no extra fields that a strict schema would refuse). */
function plainDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.location && { location: d.location }),
    ...(d.resource && { resource: d.resource }),
  }));
}

export function createHandlers(opts: HandlerOptions): EngineHandlers {
  const env = opts.env ?? process.env;
  const treesDir = opts.treesDir ?? join(userCacheDir(), 'trees');
  const repos = new Map<string, OpenRepo>();
  /** Opens in flight, by folder, so two quick requests share one repository. */
  const opening = new Map<string, Promise<OpenRepo>>();

  const repoById = (id: string): OpenRepo => {
    const open = repos.get(id);
    if (!open) throw new SlipwayError('unknown-repository', `no open repository has id ${id}`, { hint: 'open the repository again' });
    return open;
  };

  const kubeconfigFor = (path: string | undefined): ReturnType<typeof loadKubeconfig> => loadKubeconfig(path ? { path: expandHome(path, env) } : { env });

  async function open(path: string): Promise<OpenRepo> {
    const abs = resolve(expandHome(path, env));
    const pending = opening.get(abs);
    if (pending) return pending;
    const work = (async () => {
      const repo = await openRepository(abs);
      const id = `repo-${createHash('sha256').update(repo.dir).digest('hex').slice(0, 16)}`;
      const existing = repos.get(id);
      if (existing) {
        await repo.close();
        return existing;
      }
      const entry: OpenRepo = { id, dir: repo.dir, name: basename(repo.dir), repo };
      repos.set(id, entry);
      return entry;
    })();
    opening.set(abs, work);
    try {
      return await work;
    } finally {
      opening.delete(abs);
    }
  }

  return {
    engineInfo: async () => ({ version: SLIPWAY_VERSION, platform: process.platform, transport: opts.transport }),

    openRepository: async ({ path }) => {
      const { id, dir, name } = await open(path);
      return { id, dir, name };
    },

    listRevisions: async ({ repoId, query, limit = DEFAULT_LOG_PAGE, after }) => {
      const { repo } = repoById(repoId);
      const refs = await repo.listRefs();
      const q = query?.trim().toLowerCase() ?? '';
      const refsByOid = new Map<string, string[]>();
      for (const r of refs) refsByOid.set(r.oid, [...(refsByOid.get(r.oid) ?? []), r.name]);
      const refMatches = (r: RefInfo): boolean => q === '' || r.name.toLowerCase().includes(q);

      let commits: CommitSummary[] = [];
      let next: string | undefined;
      if (q === '') {
        const page = await repo.log({ limit, ...(after && { after }) });
        commits = page.entries.map((e) => toCommitSummary(e, refsByOid));
        next = page.next;
      } else {
        const matches = (e: LogEntry): boolean =>
          e.subject.toLowerCase().includes(q) || e.author.name.toLowerCase().includes(q) || e.author.email.toLowerCase().includes(q) || e.oid.startsWith(q) || (refsByOid.get(e.oid) ?? []).some((n) => n.toLowerCase().includes(q));
        let cursor = after;
        let scanned = 0;
        scan: for (;;) {
          const page = await repo.log({ limit: SEARCH_PAGE, ...(cursor && { after: cursor }) });
          for (const [i, e] of page.entries.entries()) {
            scanned++;
            if (matches(e)) commits.push(toCommitSummary(e, refsByOid));
            const more = i < page.entries.length - 1 || page.next !== undefined;
            if ((commits.length >= limit || scanned >= SEARCH_SCAN_LIMIT) && more) {
              next = e.oid;
              break scan;
            }
          }
          if (!page.next) break;
          cursor = page.next;
        }
      }

      let workingCopy: CommandResult<'listRevisions'>['workingCopy'] = null;
      try {
        const wc = await repo.resolve(WORKING_COPY);
        workingCopy = { rev: WORKING_COPY, ...(wc.kind === 'working-copy' && wc.head !== undefined && { head: wc.head }) };
      } catch (err) {
        if (!(err instanceof SlipwayError && err.code === 'no-working-copy')) throw err;
      }

      const of = (kind: RefInfo['kind']): RefSummary[] => refs.filter((r) => r.kind === kind && refMatches(r)).map(toRefSummary);
      return { branches: of('branch'), remoteBranches: of('remote-branch'), tags: of('tag'), workingCopy, commits, ...(next && { next }) };
    },

    listApps: async ({ repoId, rev }) => {
      const { repo } = repoById(repoId);
      const catalog = await loadApps(repo, await repo.resolve(rev));
      return { apps: catalog.apps.map(toAppSummary), configured: catalog.configured, diagnostics: plainDiagnostics(catalog.diagnostics) };
    },

    listContexts: async ({ kubeconfig }) => {
      const cfg = kubeconfigFor(kubeconfig);
      return {
        contexts: listContexts(cfg),
        ...(cfg.currentContext !== undefined && { currentContext: cfg.currentContext }),
        files: [...cfg.files],
        diagnostics: plainDiagnostics(cfg.diagnostics),
      };
    },

    plan: async ({ repoId, rev, app, path, context, kubeconfig }) => {
      const { repo, dir } = repoById(repoId);
      return planApp({
        repo,
        repoLabel: dir,
        rev,
        selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
        kubeconfig: kubeconfigFor(kubeconfig),
        context,
        cacheDir: treesDir,
        ...(opts.tools && { tools: opts.tools }),
      });
    },

    close: async () => {
      const open = [...repos.values()];
      repos.clear();
      await Promise.all(open.map((r) => r.repo.close()));
    },
  };
}
