/**
 * The local chart cache: archives stored by their sha256 (content-addressed, so a digest a plan
 * recorded always finds the same bytes), and the last resolution of each (repository, chart,
 * version or range), which lets a plan whose charts are cached run without the network. Neither
 * holds a credential: keys are the repository URL without user info.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactRepoUrl, type ResolvedChart } from './ref.js';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class ChartStore {
  constructor(readonly root: string) {}

  archivePath(digest: string): string {
    return join(this.root, 'blobs', digest.replace(':', '-') + '.tgz');
  }

  has(digest: string): boolean {
    return existsSync(this.archivePath(digest));
  }

  /** Stores an archive whose digest was checked; written to a temporary name and renamed, so a half-written file is never used. */
  async put(digest: string, bytes: Uint8Array): Promise<string> {
    const path = this.archivePath(digest);
    await mkdir(join(this.root, 'blobs'), { recursive: true });
    const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return path;
  }

  private resolutionPath(repoURL: string, chart: string, wanted: string): string {
    const key = createHash('sha256').update(`${redactRepoUrl(repoURL)}\0${chart}\0${wanted.trim()}`).digest('hex').slice(0, 32);
    return join(this.root, 'resolved', `${key}.json`);
  }

  async lastResolution(repoURL: string, chart: string, wanted: string): Promise<ResolvedChart | undefined> {
    try {
      const r = JSON.parse(await readFile(this.resolutionPath(repoURL, chart, wanted), 'utf8')) as ResolvedChart;
      return this.has(r.digest) ? r : undefined;
    } catch {
      return undefined;
    }
  }

  async remember(wanted: string, resolved: ResolvedChart): Promise<void> {
    const path = this.resolutionPath(resolved.repoURL, resolved.chart, wanted);
    await mkdir(join(this.root, 'resolved'), { recursive: true });
    const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, JSON.stringify({ ...resolved, repoURL: redactRepoUrl(resolved.repoURL) }));
    await rename(tmp, path);
  }
}
