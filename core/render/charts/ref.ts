/**
 * A chart from a Helm repository (index.yaml over HTTP(S)) or an OCI registry, as Argo CD names
 * it: repoURL + chart + targetRevision (an exact version or a semver range). Pure: no I/O.
 */
import semver from 'semver';

/** Where a remote chart comes from, as an Argo CD source names it. */
export interface ChartSource {
  /** https://charts.example.com, or oci://registry.example.com/charts (Argo CD writes OCI repoURLs without oci:// too). */
  readonly repoURL: string;
  readonly chart: string;
  /** Exact version, a semver range ("^1.2", "1.x"), or "" / "*" for the newest. */
  readonly targetRevision: string;
}

/** A chart resolved to one version and the sha256 of its archive: what a plan records and apply renders again. */
export interface ResolvedChart {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  /** "sha256:<hex>" of the chart archive (.tgz). */
  readonly digest: string;
}

export type ChartRepoKind = 'helm' | 'oci';

export interface OciLocation {
  /** host[:port] */
  readonly registry: string;
  /** Repository path of the chart in the registry: "charts/web". */
  readonly name: string;
  /** Plain HTTP only on loopback (as Docker treats localhost registries). */
  readonly scheme: 'http' | 'https';
}

export function repoKind(repoURL: string): ChartRepoKind {
  return /^https?:\/\//i.test(repoURL) ? 'helm' : 'oci';
}

/** oci://host/path + chart → the registry and the chart's repository name in it. */
export function ociLocation(repoURL: string, chart: string): OciLocation {
  const rest = repoURL.replace(/^oci:\/\//i, '').replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const registry = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  return { registry, name: path ? `${path}/${chart}` : chart, scheme: loopback ? 'http' : 'https' };
}

/** Helm pushes version "1.0.0+build" as tag "1.0.0_build" (OCI tags cannot hold "+"). */
export function versionToTag(version: string): string {
  return version.replace(/\+/g, '_');
}

export function tagToVersion(tag: string): string {
  return tag.replace(/_/g, '+');
}

/** The exact version a targetRevision names, or undefined when it is a range (or empty: newest). */
export function exactVersion(targetRevision: string): string | undefined {
  const t = targetRevision.trim();
  // semver.valid drops build metadata ("+build.1"), which is part of a chart's version.
  return semver.valid(t) === null ? undefined : t.replace(/^[=v]+/, '');
}

/**
 * The newest version that satisfies targetRevision, as Helm picks (pre-releases only when the
 * range names one); undefined when none does.
 */
export function pickVersion(versions: readonly string[], targetRevision: string): string | undefined {
  const wanted = targetRevision.trim();
  const exact = exactVersion(wanted);
  if (exact !== undefined) return versions.find((v) => v === exact) ?? versions.find((v) => semver.valid(v) !== null && semver.eq(v, exact));
  const range = wanted === '' || wanted === 'latest' ? '*' : wanted;
  if (semver.validRange(range) === null) return undefined;
  return semver.maxSatisfying(versions.filter((v) => semver.valid(v) !== null), range) ?? undefined;
}

/** A chart URL in index.yaml may be relative to the repository. */
export function chartArchiveUrl(repoURL: string, url: string): string {
  return new URL(url, repoURL.endsWith('/') ? repoURL : `${repoURL}/`).toString();
}

/** How a ChartSource is named in messages: "chart web 1.2.0 from https://charts.example.com". */
export function describeChart(src: { repoURL: string; chart: string }, version?: string): string {
  return `chart ${src.chart}${version ? ` ${version}` : ''} from ${redactRepoUrl(src.repoURL)}`;
}

/** A repoURL without user info or query (credentials never go into plans, messages or caches). */
export function redactRepoUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1').replace(/\?.*$/, '');
}
