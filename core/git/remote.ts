/**
 * Remote repositories over HTTPS: cloned once into `<cacheDir>/repos/<hash of URL>` (a bare
 * repository, no checkout — everything is read by object), fetched on later opens, then read
 * like any local repository. Local branches of the cache follow the remote's branches, so "main"
 * means the remote's main as of the last fetch.
 *
 * Credentials reach isomorphic-git only through onAuth: they are not written to disk, not kept
 * in the stored remote URL, not logged and never part of an error message.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { SlipwayError } from '../model/diagnostics.js';
import type { BackendChoice } from './backend.js';
import type { GitCache } from './cache.js';
import { openRepository, type GitRepository } from './repository.js';

/** A token (sent as the password of Basic auth, user "x-access-token", which GitHub, GitLab and Gitea accept) or a username and password. */
export type RemoteAuth = { readonly token: string } | { readonly username: string; readonly password: string };

export interface RemoteProgress {
  /** isomorphic-git's phase: "Counting objects", "Receiving objects", "Resolving deltas", … */
  readonly phase: string;
  readonly loaded: number;
  readonly total?: number;
  /** One line for people: "Receiving objects: 45% (9/20)". */
  readonly message: string;
}

function progressMessage(phase: string, loaded: number, total: number | undefined): string {
  return total ? `${phase}: ${Math.floor((loaded / total) * 100)}% (${loaded}/${total})` : `${phase}: ${loaded}`;
}

export interface OpenRemoteOptions {
  /** Slipway's cache folder; clones go to `<cacheDir>/repos/<hash of URL>`. */
  readonly cacheDir: string;
  readonly auth?: RemoteAuth;
  /** Called as the clone or fetch goes: a line for people ("Receiving objects: 45% (9/20)"), and the numbers. */
  readonly onProgress?: (message: string, progress: RemoteProgress) => void;
  readonly backend?: BackendChoice;
  readonly cache?: GitCache;
}

const SSH_MESSAGE = 'SSH URLs are not supported: use an HTTPS URL or a local clone';

/** True for `ssh://…`, `git+ssh://…` and scp-like `git@host:org/repo.git` / `host:org/repo`. */
export function isSshUrl(url: string): boolean {
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(url)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return false;
  // scp-like syntax: [user@]host:path, where host has no slash before the colon (Windows drive letters excluded).
  return /^(?:[^@/\s]+@)?[^:/\s]{2,}:(?!\/\/)/.test(url);
}

interface ParsedRemote {
  /** The URL without credentials or fragment: what is stored and shown. */
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
}

export function parseRemoteUrl(input: string, auth?: RemoteAuth): ParsedRemote {
  const trimmed = input.trim();
  if (isSshUrl(trimmed)) throw new SlipwayError('ssh-unsupported', SSH_MESSAGE);
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    throw new SlipwayError('unsupported-url', `Not a repository URL: ${JSON.stringify(redactUserInfo(trimmed))}`, { hint: 'use an HTTPS URL, or open a local clone by its folder' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new SlipwayError('unsupported-url', `${u.protocol.replace(/:$/, '')} URLs are not supported: use an HTTPS URL or a local clone`);
  }
  const fromUrl = u.username || u.password ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  u.hash = '';
  const url = u.toString().replace(/\/+$/, '');
  const creds = auth ? ('token' in auth ? { username: 'x-access-token', password: auth.token } : { username: auth.username, password: auth.password }) : fromUrl;
  return creds ? { url, auth: creds } : { url };
}

function redactUserInfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@');
}

/** `<cacheDir>/repos/<first 16 hex of sha256(URL without credentials)>` */
export function remoteCachePath(cacheDir: string, url: string): string {
  const clean = parseRemoteUrl(url).url;
  return join(cacheDir, 'repos', createHash('sha256').update(clean).digest('hex').slice(0, 16));
}

const locks = new Map<string, Promise<unknown>>();

/** Runs fn after any other operation on the same clone in this process has finished. */
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** Clones (first time) or fetches an HTTPS repository into the cache, then opens it. */
export async function openRemote(url: string, opts: OpenRemoteOptions): Promise<GitRepository> {
  const remote = parseRemoteUrl(url, opts.auth);
  const repoDir = join(opts.cacheDir, 'repos', createHash('sha256').update(remote.url).digest('hex').slice(0, 16));
  const secrets = remote.auth
    ? [remote.auth.password, remote.auth.username, Buffer.from(`${remote.auth.username}:${remote.auth.password}`).toString('base64')].filter((s) => s.length >= 3)
    : [];
  const common = {
    fs,
    http,
    url: remote.url,
    onAuth: () => (remote.auth ? { username: remote.auth.username, password: remote.auth.password } : { cancel: true }),
    onAuthFailure: () => ({ cancel: true }),
    ...(opts.onProgress
      ? {
          onProgress: (e: git.GitProgressEvent) => {
            const message = progressMessage(e.phase, e.loaded, e.total);
            opts.onProgress?.(message, { phase: e.phase, loaded: e.loaded, ...(e.total ? { total: e.total } : {}), message });
          },
        }
      : {}),
  };
  await serialized(repoDir, async () => {
    try {
      if (await exists(join(repoDir, 'HEAD'))) {
        const result = await git.fetch({ ...common, gitdir: repoDir, remote: 'origin', tags: true, prune: true, singleBranch: false });
        await followRemoteBranches(repoDir, result.defaultBranch);
      } else {
        await mkdir(join(opts.cacheDir, 'repos'), { recursive: true });
        // Clone beside the final place and rename, so a half-done clone is never mistaken for a cache.
        const tmp = `${repoDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
        try {
          await git.clone({ ...common, dir: tmp, gitdir: tmp, noCheckout: true });
          await git.setConfig({ fs, gitdir: tmp, path: 'core.bare', value: true });
          await followRemoteBranches(tmp, null);
          await rename(tmp, repoDir);
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      }
    } catch (err) {
      throw remoteError(err, remote.url, remote.auth !== undefined, secrets);
    }
  });
  return openRepository(repoDir, { ...(opts.backend ? { backend: opts.backend } : {}), ...(opts.cache ? { cache: opts.cache } : {}) });
}

/** Points every local branch at the remote's branch of the same name (and drops the others), and HEAD at the remote's default branch. */
async function followRemoteBranches(gitdir: string, defaultBranch: string | null): Promise<void> {
  const remoteBranches = (await git.listBranches({ fs, gitdir, remote: 'origin' })).filter((b) => b !== 'HEAD');
  for (const b of remoteBranches) {
    const oid = await git.resolveRef({ fs, gitdir, ref: `refs/remotes/origin/${b}` });
    await git.writeRef({ fs, gitdir, ref: `refs/heads/${b}`, value: oid, force: true });
  }
  const keep = new Set(remoteBranches);
  const head = defaultBranch?.replace(/^refs\/heads\//, '');
  if (head && keep.has(head)) await git.writeRef({ fs, gitdir, ref: 'HEAD', value: `refs/heads/${head}`, symbolic: true, force: true });
  const current = await git.currentBranch({ fs, gitdir }).catch(() => undefined);
  for (const b of await git.listBranches({ fs, gitdir })) {
    if (!keep.has(b) && b !== current) await git.deleteRef({ fs, gitdir, ref: `refs/heads/${b}` });
  }
}

function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** An error that names the remote but never carries credentials (no cause: HTTP errors hold request headers). */
function remoteError(err: unknown, url: string, hadAuth: boolean, secrets: readonly string[]): SlipwayError {
  if (err instanceof SlipwayError) return err;
  const code = errorCode(err);
  const status = code === 'HttpError' ? Number((err as { data?: { statusCode?: unknown } }).data?.statusCode) : NaN;
  if (code === 'UserCanceledError' || status === 401 || status === 403) {
    return hadAuth
      ? new SlipwayError('auth-failed', `Authentication to ${url} failed: the server rejected the credentials`, { hint: 'check the token, or the username and password' })
      : new SlipwayError('auth-failed', `${url} needs credentials`, { hint: 'give a token, or a username and password' });
  }
  if (status === 404) return new SlipwayError('remote-not-found', `No Git repository at ${url} (HTTP 404)`);
  const netCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH']);
  if (netCodes.has(code)) return new SlipwayError('remote-unreachable', `Cannot reach ${url} (${code})`);
  let detail = err instanceof Error ? err.message : String(err);
  for (const s of secrets) {
    detail = detail.split(s).join('***').split(encodeURIComponent(s)).join('***');
  }
  detail = redactUserInfo(detail).replace(/(authorization:?\s*)(basic|bearer)\s+\S+/gi, '$1$2 ***');
  return new SlipwayError('remote-failed', `Fetching ${url} failed: ${detail}`);
}
