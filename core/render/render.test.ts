import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEAVY_IO_TIMEOUT } from '../../test/support/timeouts.js';
import { createTestRepo } from '../../test/support/git-repo.js';
import { openRepository } from '../git/repository.js';
import { selectApp } from '../source/load.js';
import type { DesiredObject } from '../model/desired.js';
import { resolveSymlink } from './materialize.js';
import { canonicalJson } from '../model/canonical.js';
import { clearRenderCaches, findDuplicates, hashObjects, renderApp } from './render.js';

const obj = (kind: string, name: string, file: string, line: number, extra: Partial<DesiredObject['key']> = {}): DesiredObject => ({
  key: { group: '', version: 'v1', kind, name, ...extra },
  manifest: { apiVersion: 'v1', kind, metadata: { name } },
  source: { file, documentIndex: 0, line },
});

describe('findDuplicates', () => {
  it('names both places of a duplicate, across API versions', () => {
    const a = obj('ConfigMap', 'c', 'a.yaml', 3, { namespace: 'ns' });
    const b = obj('ConfigMap', 'c', 'b/b.yaml', 7, { namespace: 'ns', version: 'v2' });
    const other = obj('ConfigMap', 'c', 'c.yaml', 1, { namespace: 'other' });
    expect(findDuplicates([a, other, b])).toEqual([
      {
        severity: 'error',
        code: 'duplicate-resource',
        message: 'ConfigMap ns/c is declared twice: at a.yaml:3 and at b/b.yaml:7',
        location: b.source,
        resource: b.key,
      },
    ]);
  });
});

describe('resolveSymlink', () => {
  it.each([
    ['apps/web/link.yaml', 'real.yaml', 'apps/web/real.yaml'],
    ['apps/web/link.yaml', '../shared/cm.yaml', 'apps/shared/cm.yaml'],
    ['apps/web/link.yaml', '../../top.yaml', 'top.yaml'],
    ['apps/web/link.yaml', '../../../etc/passwd', undefined],
    ['link.yaml', '/etc/passwd', undefined],
    ['link.yaml', 'C:\\Windows\\x', undefined],
  ])('%s -> %s resolves to %s', (link, target, expected) => {
    expect(resolveSymlink(link, target)).toBe(expected);
  });
});

describe('hashObjects', () => {
  it('ignores key order but not values', () => {
    const a = obj('ConfigMap', 'c', 'a.yaml', 1);
    const reordered = { ...a, manifest: { metadata: { name: 'c' }, kind: 'ConfigMap', apiVersion: 'v1' } };
    expect(hashObjects([a])).toBe(hashObjects([reordered]));
    expect(hashObjects([a])).not.toBe(hashObjects([obj('ConfigMap', 'd', 'a.yaml', 1)]));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('is sha256 over each object\'s canonical JSON and a newline, in order (plans store it: the definition must not drift)', () => {
    const sha = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
    const a = obj('ConfigMap', 'c', 'a.yaml', 1);
    const b = obj('ConfigMap', 'd', 'b.yaml', 1);
    expect(hashObjects([])).toBe(sha(''));
    expect(hashObjects([a, b])).toBe(sha(`${canonicalJson(a.manifest)}\n${canonicalJson(b.manifest)}\n`));
    expect(hashObjects([b, a])).not.toBe(hashObjects([a, b]));
  });
});

describe('renderApp of a folder', () => {
  it('keeps blob reads in flight while parsing (one stream, not a round trip per file), in file order, and never reads a cached blob again', async () => {
    const fixture = createTestRepo({ prefix: 'slipway-render-ahead-' });
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 300; i++) files[`app/cm-${String(i).padStart(3, '0')}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  i: "${i}"\n`;
      fixture.write(files);
      fixture.commit('300 ConfigMaps');
      const repo = await openRepository(fixture.dir);
      try {
        let inFlight = 0;
        let maxInFlight = 0;
        let reads = 0;
        const readFile = repo.readFile.bind(repo);
        repo.readFile = async (snapshot, file) => {
          reads++;
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await readFile(snapshot, file);
          } finally {
            inFlight--;
          }
        };
        const revision = await repo.resolve('HEAD');
        const { app } = await selectApp(repo, revision, { path: 'app' });
        clearRenderCaches();
        const first = await renderApp(repo, revision, app, { cacheDir: fixture.dir });
        expect(first.objects.map((o) => o.key.name)).toEqual(Array.from({ length: 300 }, (_, i) => `cm-${i}`));
        expect(maxInFlight).toBeGreaterThan(50);
        const readsBefore = reads;
        await renderApp(repo, revision, app, { cacheDir: fixture.dir });
        expect(reads).toBe(readsBefore); // every parsed blob comes from the cache, unread
      } finally {
        await repo.close();
      }
    } finally {
      fixture.cleanup();
    }
  }, HEAVY_IO_TIMEOUT);
});

describe('renderApp of an Argo CD directory Application', () => {
  it("reads the folder only (Argo CD's default), or subfolders with recurse and without what exclude matches, and says what it left out", async () => {
    const fixture = createTestRepo({ prefix: 'slipway-render-recurse-' });
    const application = (name: string, directory: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://example.com/shop.git\n    path: guestbook\n${directory}  destination:\n    namespace: gb\n`;
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    try {
      fixture.write({
        'argocd/flat.yaml': application('flat', ''),
        'argocd/deep.yaml': application('deep', "    directory:\n      recurse: true\n      exclude: '{*.json,test/*}'\n"),
        'guestbook/top.yaml': cm('top'),
        'guestbook/extra.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } }),
        'guestbook/sub/nested.yaml': cm('nested'),
        'guestbook/test/fixture.yaml': cm('fixture'),
      });
      fixture.commit('apps');
      const repo = await openRepository(fixture.dir);
      try {
        const revision = await repo.resolve('HEAD');
        const render = async (name: string) => {
          const { app } = await selectApp(repo, revision, { app: name });
          const out = await renderApp(repo, revision, app, { cacheDir: fixture.dir });
          return { names: out.objects.map((o) => o.key.name).sort(), left: out.diagnostics.filter((d) => d.code === 'files-left-out').map((d) => d.message) };
        };
        expect(await render('flat')).toEqual({ names: ['extra', 'top'], left: ["2 subfolders are not rendered: sub, test (directory.recurse is false, Argo CD's default)"] });
        expect(await render('deep')).toEqual({ names: ['nested', 'top'], left: ['2 files are left out by directory.exclude "{*.json,test/*}": extra.json, test/fixture.yaml'] });
      } finally {
        await repo.close();
      }
    } finally {
      fixture.cleanup();
    }
  }, HEAVY_IO_TIMEOUT);
});
