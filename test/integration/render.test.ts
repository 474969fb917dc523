/**
 * Rendering real repositories built by the test (several commits, tags, branches, nested apps, a
 * kustomize base with overlays, a local Helm chart with values) with the real kustomize, kubectl
 * and helm: the rendered objects at each revision equal golden files, and the user's working
 * tree and index are untouched afterwards.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { WORKING_COPY } from '../../core/git/types.js';
import { SlipwayError, formatDiagnostic } from '../../core/model/diagnostics.js';
import { renderApp, type RenderOptions } from '../../core/render/render.js';
import { renderedObjectsText } from '../../core/render/view.js';
import { selectApp } from '../../core/source/load.js';
import { expectGolden } from '../support/golden.js';
import { createGitOpsRepo, type GitOpsRepo } from '../support/gitops-repo.js';

const tools = inject('tools');
const golden = (name: string): string => new URL(`./testdata/render/${name}`, import.meta.url).pathname;

let fixture: GitOpsRepo;
let repo: Repository;
let before: { index: string; tree: string; status: string };
const opts = (): RenderOptions => ({ cacheDir: mkdtempSync(join(tmpdir(), 'slipway-trees-')), tools: { helm: tools.helm, kustomize: tools.kustomize, kubectl: tools.kubectl } });

/** Hash of every file under the work tree except .git, with modes: any change shows. */
function treeFingerprint(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name === '.git') continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else h.update(`${relative(dir, p)}\0${st.mode}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

function snapshotOfUserState(): { index: string; tree: string; status: string } {
  return {
    index: createHash('sha256').update(readFileSync(join(fixture.dir, '.git', 'index'))).digest('hex'),
    tree: treeFingerprint(fixture.dir),
    status: fixture.git('status', '--porcelain', '--untracked-files=all'),
  };
}

beforeAll(async () => {
  fixture = createGitOpsRepo();
  before = snapshotOfUserState();
  repo = await openRepository(join(fixture.dir, 'apps', 'web')); // any folder inside the repository
});

afterAll(async () => {
  await repo?.close?.();
  fixture?.cleanup();
});

async function render(app: string, rev: string, o: RenderOptions = opts()): Promise<string> {
  const revision = await repo.resolve(rev);
  const { app: selected } = await selectApp(repo, revision, { app });
  const result = await renderApp(repo, revision, selected, o);
  const diagnostics = result.diagnostics.map((d) => `# ${formatDiagnostic(d)}\n`).join('');
  return `${renderedObjectsText(result)}${diagnostics ? `---\n${diagnostics}` : ''}`;
}

describe('rendering a GitOps repository at any revision', () => {
  it.each([
    ['web', 'v1.0.0'],
    ['web', 'v1.1.0'],
    ['web', 'feature'],
    ['web', 'main'],
    ['web', WORKING_COPY],
    ['shop', 'v1.0.0'],
    ['shop', 'main'],
    ['shop-staging', 'main'],
    ['api', 'v1.0.0'],
    ['api', 'main'],
  ])('app %s at %s equals its golden file', async (app, rev) => {
    expectGolden(golden(`${app}@${rev.replace(':', '')}.yaml`), await render(app, rev));
  });

  it('renders the same objects for a short oid, a full oid and the tag', async () => {
    const byTag = await render('web', 'v1.1.0');
    expect(await render('web', fixture.commits.second)).toBe(byTag);
    expect(await render('web', fixture.commits.second.slice(0, 7))).toBe(byTag);
  });

  it('uses kubectl kustomize when kustomize is not installed', async () => {
    const withKubectlOnly: RenderOptions = { ...opts(), tools: { kubectl: tools.kubectl, helm: tools.helm }, searchPath: '' };
    expect(await render('shop', 'main', withKubectlOnly)).toBe(await render('shop', 'main'));
  });

  it('leaves the working tree and the index untouched', () => {
    expect(snapshotOfUserState()).toEqual(before);
  });
});

describe('bad input gives a clear error and no objects', () => {
  const failing = async (app: string, files: Record<string, string | null>, o: RenderOptions = opts()): Promise<SlipwayError> => {
    const originals = Object.fromEntries(Object.keys(files).map((f) => [f, existsSync(join(fixture.dir, f)) ? readFileSync(join(fixture.dir, f), 'utf8') : null]));
    fixture.write(files);
    try {
      await render(app, WORKING_COPY, o);
    } catch (e) {
      if (e instanceof SlipwayError) return e;
      throw e;
    } finally {
      fixture.write(originals);
    }
    throw new Error('expected the render to fail');
  };

  it("a helm template error is helm's headline at the template's line, with helm's whole output", async () => {
    const e = await failing('api', { 'charts/api/templates/broken.yaml': 'kind: {{ .Values.nope.deeper }}\n' });
    expect(e.code).toBe('render-failed');
    expect(e.message).toBe('helm template for app api (charts/api) failed (exit 1): nil pointer evaluating interface {}.deeper (at <.Values.nope.deeper>)');
    expect(e.location).toEqual({ file: 'charts/api/templates/broken.yaml', line: 1, column: 16 });
    expect(e.snippet).toEqual({ startLine: 1, lines: ['kind: {{ .Values.nope.deeper }}'] });
    expect(e.output).toMatch(/broken\.yaml/);
  });

  it('a kustomize error names the missing file at the line of the kustomization that lists it', async () => {
    const e = await failing('shop', { 'apps/shop/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - missing.yaml\n' });
    expect(e.code).toBe('render-failed');
    expect(e.message).toMatch(/^kustomize build for app shop .*failed \(exit 1\): missing\.yaml does not exist \(listed in apps\/shop\/base\/kustomization\.yaml\)$/);
    expect(e.location).toEqual({ file: 'apps/shop/base/kustomization.yaml', line: 3 });
    expect(e.snippet).toEqual({ startLine: 1, lines: ['resources:', '  - deploy.yaml', '  - missing.yaml'] });
    expect(e.output).toMatch(/^Error: accumulating resources/);
  });

  it('a missing tool names what to install', async () => {
    const e = await failing('api', {}, { ...opts(), tools: {}, searchPath: '' });
    expect(e.code).toBe('tool-missing');
    expect(e.message).toBe('app api is a Helm chart and needs helm to render, but it was not found on PATH or in settings');
    expect(e.hint).toMatch(/install helm/);
  });

  it('an unknown revision is named', async () => {
    await expect(repo.resolve('v9.9.9')).rejects.toMatchObject({ code: 'unknown-revision', message: expect.stringContaining('v9.9.9') });
  });

  it('a symlink leaving the repository is refused, one inside is followed', async () => {
    fixture.symlink('apps/web/escape.yaml', '../../../../etc/hostname');
    fixture.symlink('apps/web/alias.yaml', 'extra.yaml');
    try {
      const revision = await repo.resolve(WORKING_COPY);
      const result = await renderApp(repo, revision, (await selectApp(repo, revision, { app: 'web' })).app, opts());
      expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'symlink-escapes', location: { file: 'apps/web/escape.yaml' } }));
      // alias.yaml repeats extra.yaml's object: followed, so it is a duplicate naming both files.
      expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'duplicate-resource', message: 'ConfigMap web/extra is declared twice: at apps/web/alias.yaml:1:1 and at apps/web/extra.yaml:1:1' }));
    } finally {
      fixture.write({ 'apps/web/escape.yaml': null, 'apps/web/alias.yaml': null });
    }
  });
});
