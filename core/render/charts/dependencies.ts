/**
 * What `helm dependency build` does, with Slipway's chart cache and credentials: a chart whose
 * Chart.yaml lists dependencies that are not in its charts/ folder is copied to a work folder and
 * given them there (file:// ones copied from the repository, the rest fetched like any remote
 * chart, at Chart.lock's versions when there is one), so the materialized revision stays as Git has it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Diagnostic } from '../../model/diagnostics.js';
import { SlipwayError } from '../../model/diagnostics.js';
import type { ResolveOptions } from './resolve.js';
import { resolveChart } from './resolve.js';
import type { ResolvedChart } from './ref.js';

export interface ChartDependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
}

/** Dependencies of a Chart.yaml (or Chart.lock) text; Helm's own rules for what counts. */
export function dependenciesOf(text: string): ChartDependency[] {
  const doc = parse(text) as { dependencies?: unknown } | null;
  if (!doc || !Array.isArray(doc.dependencies)) return [];
  return doc.dependencies
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && typeof (d as { name?: unknown }).name === 'string')
    .map((d) => ({ name: d.name as string, version: typeof d.version === 'string' ? d.version : '', repository: typeof d.repository === 'string' ? d.repository : '' }));
}

/** A dependency is there when charts/ holds its folder or an archive named after it. */
export function isVendored(dep: ChartDependency, chartsEntries: readonly string[]): boolean {
  return chartsEntries.some((e) => e === dep.name || (e.startsWith(`${dep.name}-`) && e.endsWith('.tgz') && /^\d/.test(e.slice(dep.name.length + 1))));
}

export interface WithDependencies {
  /** The chart folder to render: the original, or a work copy with charts/ filled in. */
  readonly dir: string;
  readonly charts: readonly ResolvedChart[];
  readonly diagnostics: readonly Diagnostic[];
  readonly cleanup: () => Promise<void>;
}

export async function withDependencies(chartDir: string, opts: { workRoot: string; resolve: Omit<ResolveOptions, 'pinned'>; pinned?: readonly ResolvedChart[]; what: string }): Promise<WithDependencies> {
  const none: WithDependencies = { dir: chartDir, charts: [], diagnostics: [], cleanup: async () => undefined };
  const chartYaml = join(chartDir, 'Chart.yaml');
  if (!existsSync(chartYaml)) return none;
  let deps: ChartDependency[];
  try {
    deps = dependenciesOf(await readFile(chartYaml, 'utf8'));
  } catch {
    return none; // helm itself says what is wrong with Chart.yaml
  }
  const entries = await readdir(join(chartDir, 'charts')).catch(() => [] as string[]);
  const missing = deps.filter((d) => !isVendored(d, entries));
  if (missing.length === 0) return none;
  const locked = existsSync(join(chartDir, 'Chart.lock')) ? dependenciesOf(await readFile(join(chartDir, 'Chart.lock'), 'utf8')) : [];
  const work = join(opts.workRoot, randomBytes(6).toString('hex'));
  const cleanup = (): Promise<void> => rm(work, { recursive: true, force: true });
  try {
    await cp(chartDir, work, { recursive: true, verbatimSymlinks: true });
    await mkdir(join(work, 'charts'), { recursive: true });
    const charts: ResolvedChart[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const dep of missing) {
      if (dep.repository.startsWith('file://')) {
        const from = resolve(chartDir, dep.repository.slice('file://'.length));
        if (!existsSync(join(from, 'Chart.yaml'))) throw new SlipwayError('chart-dependency-missing', `${opts.what}: dependency ${dep.name} is ${dep.repository}, which has no Chart.yaml at this revision`, { location: { file: 'Chart.yaml' } });
        await cp(from, join(work, 'charts', dep.name), { recursive: true, verbatimSymlinks: true });
        continue;
      }
      if (!/^(https?|oci):\/\//.test(dep.repository)) {
        throw new SlipwayError('chart-dependency-unsupported', `${opts.what}: dependency ${dep.name} names the repository ${JSON.stringify(dep.repository)}; Slipway fetches dependencies from https://, oci:// and file:// repositories (not from \`helm repo add\` aliases)`, { hint: 'write the repository URL in Chart.yaml, or vendor the dependency into charts/' });
      }
      const lockedVersion = locked.find((l) => l.name === dep.name && l.repository === dep.repository)?.version;
      const pinned = opts.pinned?.find((p) => p.chart === dep.name && p.repoURL === dep.repository.replace(/\/+$/, ''));
      const got = await resolveChart({ repoURL: dep.repository, chart: dep.name, targetRevision: lockedVersion ?? dep.version }, { ...opts.resolve, ...(pinned && { pinned }) });
      await copyFile(got.archive, join(work, 'charts', `${dep.name}-${got.resolved.version}.tgz`));
      charts.push(got.resolved);
      diagnostics.push(...got.diagnostics);
    }
    return { dir: work, charts, diagnostics, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

