/** What both GitOps importers share: the objects they read, how they report, and which repository URLs are this one. */
import type { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../../model/diagnostics.js';
import type { ResourceKey } from '../../model/resource.js';
import { parseApiVersion } from '../../model/resource.js';
import type { App } from '../apps.js';
import { toAppName } from '../apps.js';
import { isRecord } from '../util.js';
import { formatPath } from '../yaml-locations.js';

/** A rendered object and where it came from (a DesiredObject fits). */
export interface GitOpsObject {
  readonly manifest: unknown;
  readonly source: SourceLocation;
}

export interface ImportGitOpsOptions {
  /** URLs of this repository (its remotes). Absent: every Git source is taken to be this repository. */
  readonly repoUrls?: readonly string[];
  /** Repository-relative paths of the files at the revision: the folders ApplicationSets' git directories generators list. */
  readonly files?: readonly string[];
  /** The folder whose rendering the objects are (an app's child apps); absent: the objects are the repository's files. */
  readonly renderedFrom?: string;
}

/**
 * Compares repository URLs across their spellings: "https://user:token@GitHub.com/org/repo.git/",
 * "git@github.com:org/repo" and "ssh://git@github.com:22/org/repo" all become "github.com/org/repo"
 * (scheme, credentials, port, ".git" and trailing "/" dropped, lowercased).
 */
export function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]*@/, '')
    .replace(/^([^/:]+):\d+(?=\/|$)/, '$1')
    .replace(/^([^/:]+):/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** One app found, before name clashes are settled. */
export interface Candidate {
  readonly app: App;
  readonly resource: ResourceKey;
  readonly namespace: string;
  readonly location: SourceLocation;
}

/** Collects diagnostics about one manifest: each names its file:line and the object. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly object: GitOpsObject,
    private readonly resource: ResourceKey,
  ) {}

  add(severity: Diagnostic['severity'], code: string, message: string): void {
    this.diagnostics.push({ severity, code, message, location: this.object.source, resource: this.resource });
  }
}

/** metadata.name as an app name; says so when it had to change ("Monitoring.Stack" → "monitoring-stack"). */
export function appNameOf(name: string, report: Reporter): string {
  const appName = toAppName(name) || 'app';
  if (appName !== name) report.add('info', 'app-name-adjusted', `imported as app ${JSON.stringify(appName)}: app names use lowercase letters, digits and "-"`);
  return appName;
}

/** Which Git URLs are this repository. */
export interface RepoFilter {
  matches(url: string | undefined): boolean;
  /** "https://github.com/acme/other, which is not this repository (github.com/acme/shop-infra)" */
  describeOther(url: string | undefined): string;
}

export function repoFilter(repoUrls: readonly string[] | undefined): RepoFilter {
  const ours = new Set((repoUrls ?? []).map(normalizeRepoUrl));
  const list = [...ours].sort().join(', ') || 'no URL given';
  return {
    matches: (url) => repoUrls === undefined || (url !== undefined && ours.has(normalizeRepoUrl(url))),
    describeOther: (url) => `${url === undefined ? '(no repoURL)' : redactUrl(url)}, which is not this repository (${list})`,
  };
}

/** Hides credentials written into a URL ("https://token@host/…" → "https://***@host/…"); "git@" stays. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]+)@/i, (whole, scheme: string, userinfo: string) => (userinfo === 'git' ? whole : `${scheme}***@`));
}

export function resourceKeyOf(manifest: Record<string, unknown>): ResourceKey {
  const { group, version } = parseApiVersion(String(manifest.apiVersion));
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return { group, version, kind: String(manifest.kind), ...(namespace !== undefined && { namespace }), name };
}

/** Reports the fields of `value` not in `handled` as not applied (an empty `handled`: every field). */
export function reportIgnoredFields(report: Reporter, field: string, value: Record<string, unknown> | undefined, handled: readonly string[]): void {
  if (!value) return;
  const ignored = Object.keys(value)
    .filter((k) => !handled.includes(k))
    .sort();
  if (ignored.length === 0) return;
  report.add('warning', 'argocd-field-ignored', `${ignored.map((k) => `${field}.${k}`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not applied by Slipway; the preview may differ from what Argo CD syncs`);
}

export function reportInvalid(report: Reporter, code: string, what: string, error: z.ZodError): void {
  report.add('warning', code, `${what} is not imported: ${issueSummary(error)}`);
}

export function issueSummary(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = formatPath(issue.path.filter((s): s is string | number => typeof s !== 'symbol'));
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
