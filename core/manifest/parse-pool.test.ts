/**
 * The parse pool: worker threads give exactly parseManifests' answers, in any order of arrival;
 * a pool whose workers cannot start hands every file back; rendering a large folder gives the
 * same objects, locations, diagnostics and hash with and without workers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HEAVY_IO_TIMEOUT } from '../../test/support/timeouts.js';
import { createTestRepo } from '../../test/support/git-repo.js';
import { openRepository } from '../git/repository.js';
import { selectApp } from '../source/load.js';
import { parseManifests } from './manifests.js';
import { closeParsePool, ParsePool, parsePool, POOL_MIN_FILES } from './parse-pool.js';
import { clearRenderCaches, renderApp } from '../render/render.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Plain manifests (the fast path), the reference path (anchors, a List), bad YAML, a binary file and a non-manifest. */
const FILES: Record<string, Uint8Array> = {
  'a.yaml': encode('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {on: "yes"}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n'),
  'anchors.yaml': encode('base: &b {app: x}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchored\n  labels: *b\n'),
  'list.yaml': encode('apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: in-list}\n'),
  'bad.yaml': encode('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n'),
  'binary.yaml': new Uint8Array([0x61, 0, 0x62]),
  'values.yaml': encode('replicas: 3\n'),
  'data.json': encode('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}'),
};

afterEach(async () => {
  delete process.env.SLIPWAY_PARSE_WORKERS;
  await closeParsePool();
});

describe('ParsePool', () => {
  it("answers each file with parseManifests' own result", async () => {
    process.env.SLIPWAY_PARSE_WORKERS = '2';
    const pool = parsePool();
    expect(pool).toBeDefined();
    const names = Object.keys(FILES);
    // Many at once, so that batches form and both workers answer.
    const jobs = Array.from({ length: 200 }, (_, i) => names[i % names.length]!);
    const answers = await Promise.all(jobs.map((name) => pool!.parse(FILES[name]!, name)));
    answers.forEach((answer, i) => expect(answer).toEqual(parseManifests(FILES[jobs[i]!]!, { file: jobs[i]! })));
    expect(pool!.answered).toBe(jobs.length);
  }, HEAVY_IO_TIMEOUT);

  it('hands every file back when its workers cannot run', async () => {
    const pool = new ParsePool(2, { code: 'throw new Error("no worker here")', eval: true });
    try {
      expect(await Promise.all([pool.parse(FILES['a.yaml']!, 'a.yaml'), pool.parse(FILES['list.yaml']!, 'list.yaml')])).toEqual([undefined, undefined]);
      expect(await pool.parse(FILES['a.yaml']!, 'a.yaml')).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it('is not started when turned off', () => {
    process.env.SLIPWAY_PARSE_WORKERS = '0';
    expect(parsePool()).toBeUndefined();
  });
});

describe('renderApp with the pool', () => {
  it('renders a large folder the same with and without workers', async () => {
    const fixture = createTestRepo({ prefix: 'slipway-render-pool-' });
    try {
      const files: Record<string, string> = {};
      const count = POOL_MIN_FILES * 3;
      for (let i = 0; i < count; i++) {
        const name = `cm-${String(i).padStart(3, '0')}`;
        // Every tenth file takes the reference path (an anchor), one has bad YAML, one is a duplicate.
        files[`app/${name}.yaml`] =
          i === 17 ? 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n' : i % 10 === 0 ? `x: &v "${i}"\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  i: *v\n` : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${i === 33 ? 'cm-032' : name}\ndata:\n  i: "${i}"\n  flag: on\n`;
      }
      fixture.write(files);
      fixture.commit('many ConfigMaps');
      const repo = await openRepository(fixture.dir);
      try {
        const revision = await repo.resolve('HEAD');
        const { app } = await selectApp(repo, revision, { path: 'app' });
        const render = async (workers: string) => {
          process.env.SLIPWAY_PARSE_WORKERS = workers;
          await closeParsePool();
          clearRenderCaches();
          return renderApp(repo, revision, app, { cacheDir: fixture.dir });
        };
        const withWorkers = await render('2');
        expect(parsePool()?.answered).toBe(count);
        const without = await render('0');
        expect(withWorkers.objects).toEqual(without.objects);
        expect(withWorkers.diagnostics).toEqual(without.diagnostics);
        expect(withWorkers.renderedHash).toBe(without.renderedHash);
        expect(without.objects).toHaveLength(count - 1);
        expect(without.diagnostics.map((d) => d.code)).toEqual(['yaml-syntax', 'duplicate-resource']);
        expect(without.objects.find((o) => o.key.name === 'cm-010')?.manifest).toMatchObject({ data: { i: '10' } });
      } finally {
        await repo.close();
      }
    } finally {
      fixture.cleanup();
    }
  }, HEAVY_IO_TIMEOUT);
});
