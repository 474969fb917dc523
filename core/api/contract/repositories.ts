/**
 * A local repository and what is in it: opening one (and finding its folder), the recent ones,
 * its revisions, the apps of a revision, the lines of one of its files.
 */
import { z } from 'zod';
import { recentRepositorySchema } from '../../engine/settings.js';
import { diagnosticSchema } from './diagnostics.js';
import { filePath, repoId, revision } from './fields.js';

export const openRepositoryRequestSchema = z.strictObject({
  /** Any folder inside a local repository (a leading "~/" is the user's home). */
  path: filePath.trim().min(1, { error: 'a repository path is required' }),
});
export const openedRepositorySchema = z.object({
  /** Names the open repository in later commands. Stable for one folder while the engine runs. */
  id: z.string(),
  /** The repository's top-level folder. */
  dir: z.string(),
  /** The folder's name, for display. */
  name: z.string(),
});
export type OpenedRepository = z.infer<typeof openedRepositorySchema>;

/** The sub-folders of a folder on the engine's machine (browser mode's folder picker), Git repositories marked. Hidden folders are left out. */
export const listFoldersRequestSchema = z.strictObject({
  /** An absolute folder, or "~/…"; absent: the user's home folder. */
  path: filePath.trim().min(1).optional(),
});
export const folderListSchema = z.object({
  /** The folder listed, absolute. */
  path: z.string(),
  /** Its parent; absent at the top of the file system. */
  parent: z.string().optional(),
  /** The user's home folder (a way back). */
  home: z.string(),
  /** The folder listed is a Git repository's top folder. */
  repository: z.boolean(),
  folders: z.array(z.object({ name: z.string(), path: z.string(), repository: z.boolean() })),
  /** More sub-folders than listed. */
  truncated: z.boolean().optional(),
});
export type FolderList = z.infer<typeof folderListSchema>;

/** The desktop app's native folder dialog; `path` is null when the user cancelled it. Refused where engineInfo's folderDialog is not "native". */
export const chooseFolderRequestSchema = z.strictObject({ start: filePath.min(1).optional() });
export const chosenFolderSchema = z.object({ path: z.string().nullable() });

export type { RecentRepository } from '../../engine/settings.js';
/** A repository was opened (`dir`, as openRepository answered), or an app (or folder) of it chosen: it goes first in the recent ones. */
export const rememberRepositoryRequestSchema = z.strictObject({ dir: filePath.min(1), app: z.string().min(1).max(253).optional(), path: filePath.optional() }).refine((r) => r.app === undefined || r.path === undefined, { path: ['app'], error: 'give at most one of app or path' });
export const recentRepositoriesSchema = z.object({ repositories: z.array(recentRepositorySchema) });

/** Names for the commits a view shows (History's runs, a plan's commit): tags, subject, a label. */
export const describeRevisionsRequestSchema = z.strictObject({
  repoId,
  commits: z.array(z.string().regex(/^[0-9a-f]{40}$/, { error: 'a commit id (40 hex digits)' })).min(1).max(200),
});
const describedRevisionSchema = z.object({
  commit: z.string(),
  shortOid: z.string(),
  subject: z.string(),
  /** Tags at the commit, newest version first. */
  tags: z.array(z.string()),
  /** "v1.2.0 · storefront: scale up (3f2a9c1)". */
  label: z.string(),
});
export type DescribedRevision = z.infer<typeof describedRevisionSchema>;
/** The commits the repository holds, in the order asked; others (another repository's) are left out. */
export const describedRevisionsSchema = z.object({ revisions: z.array(describedRevisionSchema) });

export const listRevisionsRequestSchema = z.strictObject({
  repoId,
  /** Keeps refs whose name, and commits whose subject, author or oid contain it (case-insensitive). */
  query: z.string().max(200).optional(),
  /** Commits per page (default 50). */
  limit: z.number().int().min(1).max(500).optional(),
  /** The `next` cursor of the previous page. */
  after: z.string().regex(/^[0-9a-f]{40}$/, { error: 'a commit id (40 hex digits) from a previous page' }).optional(),
});
const refSummarySchema = z.object({
  kind: z.enum(['branch', 'remote-branch', 'tag']),
  /** "main", "origin/main", "v1.2.0". */
  name: z.string(),
  /** "refs/heads/main": what to pass as `rev`. */
  fullName: z.string(),
  oid: z.string(),
  current: z.boolean().optional(),
});
export type RefSummary = z.infer<typeof refSummarySchema>;
const commitSummarySchema = z.object({
  oid: z.string(),
  shortOid: z.string(),
  subject: z.string(),
  author: z.object({ name: z.string(), email: z.string() }),
  /** Author time, ISO 8601 UTC: views show it relative ("3 hours ago"). */
  date: z.string(),
  /** Short names of the refs pointing at this commit. */
  refs: z.array(z.string()),
});
export type CommitSummary = z.infer<typeof commitSummarySchema>;
export const revisionListSchema = z.object({
  branches: z.array(refSummarySchema),
  remoteBranches: z.array(refSummarySchema),
  tags: z.array(refSummarySchema),
  /** The uncommitted files as a revision (`rev` is what to pass); null for a bare repository. */
  workingCopy: z.object({ rev: z.string(), head: z.string().optional() }).nullable(),
  /** A page of HEAD's history, newest first. */
  commits: z.array(commitSummarySchema),
  /** Pass as `after` for the next page; absent on the last one. */
  next: z.string().optional(),
});
export type RevisionList = z.infer<typeof revisionListSchema>;

export const listAppsRequestSchema = z.strictObject({ repoId, rev: revision });
const appSummarySchema = z.object({
  name: z.string(),
  /** Repository-relative folder; "" is the root. */
  path: z.string(),
  sourceType: z.enum(['directory', 'kustomize', 'helm', 'auto']),
  namespace: z.string().optional(),
  /** The context the app names as its destination (a hint). */
  context: z.string().optional(),
  origin: z.object({ kind: z.enum(['slipway.yaml', 'folder', 'argocd', 'flux']), file: z.string().optional(), line: z.number().optional() }),
  prune: z.boolean(),
  /** Optional: engines before it did not send it. */
  createNamespace: z.boolean().optional(),
  protected: z.boolean(),
  /** A child app (app of apps): the name of the app whose rendering defines it. Listed after its parent. */
  parent: z.string().optional(),
  /** A child app of a folder offered in `folders` (a repository that defines no apps): that folder's path. */
  parentFolder: z.string().optional(),
});
export type AppSummary = z.infer<typeof appSummarySchema>;
export const appListSchema = z.object({
  apps: z.array(appSummarySchema),
  /** The repository has a slipway.yaml at this revision. */
  configured: z.boolean(),
  diagnostics: z.array(diagnosticSchema),
  /** Folders that look like apps ("" is the root), offered as folder choices when `apps` is empty (core/source/candidates.ts). */
  folders: z.array(z.object({ path: z.string(), sourceType: z.enum(['directory', 'kustomize', 'helm']) })).optional(),
});
export type AppList = z.infer<typeof appListSchema>;

/** The lines of a repository file around one line (an error's file:line), at a commit or the working copy. */
export const sourceSnippetRequestSchema = z.strictObject({
  repoId,
  rev: revision,
  /** Repository-relative, as a diagnostic's location names it. */
  file: filePath.min(1),
  line: z.number().int().positive(),
});
export const sourceSnippetSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  /** The number of the first line of `lines`. */
  startLine: z.number().int().positive().optional(),
  lines: z.array(z.string()).optional(),
  /** Why the file is not shown instead (it holds Secret values): then there are no lines. */
  hidden: z.string().optional(),
});
export type SourceSnippet = z.infer<typeof sourceSnippetSchema>;
