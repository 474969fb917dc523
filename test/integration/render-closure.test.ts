/**
 * Kustomize and Helm apps render from what they read, not from the whole revision: in a real
 * repository whose object database lacks an unrelated large blob (as a partial clone or a lost
 * LFS-like file would), a kustomize overlay with a `../../base` and a chart with a `file://`
 * dependency render with the real tools, while writing out the whole revision — what rendering
 * did before — fails on that blob.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openRepository } from '../../core/git/repository.js';
import type { Repository, Revision } from '../../core/git/types.js';
import { formatKey } from '../../core/model/resource.js';
import { materialize } from '../../core/render/materialize.js';
import { renderApp, type RenderOptions } from '../../core/render/render.js';
import { selectApp } from '../../core/source/load.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const tools = inject('tools');
const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  from: ${name}\n`;

let fixture: TestRepo;
let repo: Repository;
let revision: Revision;
let missingBlob: string;
const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-closure-trees-'));
const opts: RenderOptions = { cacheDir, tools: { helm: tools.helm, kustomize: tools.kustomize, kubectl: tools.kubectl } };

beforeAll(async () => {
  fixture = createTestRepo({ prefix: 'slipway-closure-' });
  fixture.write({
    'apps/shop/base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'apps/shop/base/cm.yaml': configMap('shop'),
    'apps/shop/overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../../base\n  - extra.yaml\n',
    'apps/shop/overlays/prod/extra.yaml': configMap('extra'),
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
    'charts/lib/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\n',
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 0.1.0\n    repository: file://../lib\n',
    'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\n',
    // A test hook: `helm test` runs it, `helm install` never creates it, so it is no object of the app.
    'charts/web/templates/tests/ping.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-ping\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n    - name: ping\n      image: busybox\n',
    // Not YAML: what it refers to cannot be told, so all of the revision is written out for it.
    'apps/broken/kustomization.yaml': 'resources: [cm.yaml\n',
    // The unrelated large file whose blob goes missing.
    'docs/img/frontend.png': randomBytes(2 * 1024 * 1024),
    'README.md': '# shop\n',
  });
  // helm template wants dependencies under charts/: the monorepo way is a link to the library chart.
  fixture.symlink('charts/web/charts/lib', '../../lib');
  fixture.commit('shop, web and docs');
  missingBlob = fixture.git('rev-parse', 'HEAD:docs/img/frontend.png');
  const loose = join(fixture.dir, '.git', 'objects', missingBlob.slice(0, 2), missingBlob.slice(2));
  expect(existsSync(loose)).toBe(true); // loose, never packed: removing the file removes the object
  rmSync(loose);
  expect(() => fixture.git('cat-file', '-e', missingBlob)).toThrow();
  repo = await openRepository(fixture.dir);
  revision = await repo.resolve('HEAD');
});

afterAll(async () => {
  await repo?.close();
  fixture?.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

async function render(path: string): Promise<Awaited<ReturnType<typeof renderApp>>> {
  const { app } = await selectApp(repo, revision, { path });
  return renderApp(repo, revision, app, opts);
}

describe('a repository with a missing unrelated blob', () => {
  it('cannot be written out whole: that is how kustomize and Helm apps failed before', async () => {
    const whole = await repo.snapshot(revision, '');
    await expect(materialize(repo, whole, { cacheDir: mkdtempSync(join(tmpdir(), 'slipway-closure-whole-')) })).rejects.toMatchObject({
      code: 'corrupt-repository',
      message: expect.stringContaining(`Object ${missingBlob} (blob of docs/img/frontend.png) is missing from the repository`) as unknown,
    });
  });

  it('renders a kustomize overlay with its ../../base', async () => {
    const result = await render('apps/shop/overlays/prod');
    expect(result.sourceType).toBe('kustomize');
    expect(result.objects.map((o) => formatKey(o.key)).sort()).toEqual(['ConfigMap prod-extra', 'ConfigMap prod-shop']);
    expect(result.diagnostics).toEqual([]);
  });

  it('renders a chart with its file:// dependency, without its test hook', async () => {
    const result = await render('charts/web');
    expect(result.sourceType).toBe('helm');
    expect(result.objects.map((o) => formatKey(o.key)).sort()).toEqual(['ConfigMap web-lib', 'ConfigMap web-web']);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'helm-tests-skipped', message: expect.stringMatching(/^1 Helm test hook was left out of app web/) as unknown })]);
  });

  it('writes out only the folders the apps read', () => {
    const written = readdirSync(cacheDir).filter((n) => !n.includes('.tmp-'));
    expect(written).toHaveLength(2);
    for (const tree of written) {
      expect(existsSync(join(cacheDir, tree, 'docs'))).toBe(false);
      expect(existsSync(join(cacheDir, tree, 'README.md'))).toBe(false);
    }
    const dirs = written.map((t) => join(cacheDir, t));
    const shop = dirs.find((d) => existsSync(join(d, 'apps')))!;
    const web = dirs.find((d) => existsSync(join(d, 'charts')))!;
    expect(shop).not.toBe(web);
    expect(readdirSync(join(shop, 'apps', 'shop')).sort()).toEqual(['base', 'overlays']);
    expect(readdirSync(join(web, 'charts')).sort()).toEqual(['lib', 'web']);
  });
});

describe('a kustomization that cannot be read', () => {
  it('takes the whole revision, and says so when a blob elsewhere is what failed', async () => {
    await expect(render('apps/broken')).rejects.toMatchObject({
      code: 'corrupt-repository',
      message: expect.stringMatching(/blob of docs\/img\/frontend\.png\) is missing from the repository .* \(all of the revision is written out for app broken because apps\/broken\/kustomization\.yaml could not be read as YAML/) as unknown,
    });
  });
});

describe('a reference leaving the repository', () => {
  it('is an error naming the kustomization', async () => {
    fixture.write({ 'apps/escape/kustomization.yaml': 'resources:\n  - ../../../outside\n' });
    try {
      const { app } = await selectApp(repo, await repo.resolve(':working'), { path: 'apps/escape' });
      await expect(renderApp(repo, await repo.resolve(':working'), app, opts)).rejects.toMatchObject({
        code: 'reference-escapes',
        message: 'apps/escape/kustomization.yaml: resources entry ../../../outside points outside the repository; only files inside it are rendered',
      });
    } finally {
      fixture.write({ 'apps/escape/kustomization.yaml': null });
    }
  });
});
