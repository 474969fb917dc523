/**
 * Why this change, on repositories built by the test with several authors: blame attributes each
 * changed line of a plain-YAML object's after side to its commit and author; a kustomize patch's
 * commit is listed for the object it patches and not for others; a Helm values file's commit for
 * every object of the chart, a template's only for its objects; a deleted object's commit is
 * found through the file that declared it; the working copy's lines are "not committed".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type GitRepository } from '../../git/repository.js';
import { WORKING_COPY } from '../../git/types.js';
import type { ResourceKey } from '../../model/resource.js';
import { createTestRepo, type TestRepo } from '../../../test/support/git-repo.js';
import type { Change } from '../types.js';
import { explainChanges, type WhyRequest } from './explain.js';

const ADA = 'Ada Lovelace <ada@example.com>';
const GRACE = 'Grace Hopper <grace@example.com>';
const LINUS = 'Linus Torvalds <linus@example.com>';

const key = (kind: string, name: string, group = kind === 'Deployment' ? 'apps' : ''): ResourceKey => ({ group, version: 'v1', kind, namespace: 'shop', name });

const deployment = (o: { replicas: number; image: string }): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${o.replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: sidecar
          image: busybox:1
        - name: web
          image: ${o.image}
          args:
            - --port=8080
`;

/** The normalized after side as the plan holds it: keys in another order, defaults the server added. */
const normalized = (o: { replicas: number; image: string }): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
  namespace: shop
spec:
  progressDeadlineSeconds: 600
  replicas: ${o.replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - image: busybox:1
          name: sidecar
        - args:
            - --port=8080
          image: ${o.image}
          name: web
`;

const service = (port: number): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: ${port}\n`;
const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

function update(k: ResourceKey, file: string, before: string, after: string, documentIndex = 0): Change {
  return { key: k, action: 'update', flags: [], before, after, changedPaths: ['spec'], source: { file, documentIndex, line: 1 } };
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('plain YAML: line by line', () => {
  let fixture: TestRepo;
  let repo: GitRepository;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    fixture = createTestRepo({ prefix: 'slipway-why-' });
    fixture.write({ 'apps/web/deploy.yaml': deployment({ replicas: 1, image: 'nginx:1.0' }), 'apps/web/svc.yaml': service(80), 'apps/web/old.yaml': configMap('old'), 'README.md': 'hello\n' });
    c.first = fixture.commit('web: first version', { author: ADA });
    fixture.write({ 'apps/web/deploy.yaml': deployment({ replicas: 3, image: 'nginx:1.0' }) });
    c.replicas = fixture.commit('web: three replicas', { author: GRACE });
    fixture.write({ 'apps/web/deploy.yaml': deployment({ replicas: 3, image: 'nginx:1.1' }), 'README.md': 'hello again\n' });
    c.image = fixture.commit('web: nginx 1.1', { author: LINUS });
    fixture.write({ 'apps/web/svc.yaml': service(8080), 'apps/web/old.yaml': null });
    c.service = fixture.commit('web: service on 8080, old ConfigMap gone', { author: ADA });
    repo = await openRepository(fixture.dir);
  });
  afterAll(async () => {
    await repo.close();
    fixture.cleanup();
  });

  const request = async (over: Partial<WhyRequest> = {}): Promise<WhyRequest> => ({
    repo,
    revision: await repo.resolve('main'),
    app: { name: 'web', path: 'apps/web', source: {} },
    sourceType: 'directory',
    base: { commit: c.first!, what: 'the last apply' },
    ...over,
  });

  const before = normalized({ replicas: 1, image: 'nginx:1.0' });
  const after = normalized({ replicas: 3, image: 'nginx:1.1' });
  const deploy = update(key('Deployment', 'web'), 'apps/web/deploy.yaml', before, after);
  const svc = update(key('Service', 'web'), 'apps/web/svc.yaml', 'x: 1\n', service(8080));
  const gone: Change = { key: key('ConfigMap', 'old'), action: 'delete', flags: [], before: configMap('old'), changedPaths: [] };
  const unchanged: Change = { key: key('ConfigMap', 'same'), action: 'noop', flags: [], changedPaths: [] };

  it('attributes each changed line of the after side to the commit and author that last changed its source line', async () => {
    const { changes, diagnostics } = await explainChanges([deploy], await request());
    const why = changes[0]!.why!;
    expect(why.map((w) => [w.oid, w.author, w.subject, w.files, w.lines])).toEqual([
      [c.image, 'Linus Torvalds', 'web: nginx 1.1', ['apps/web/deploy.yaml'], [lineOf(after, 'image: nginx:1.1')]],
      [c.replicas, 'Grace Hopper', 'web: three replicas', ['apps/web/deploy.yaml'], [lineOf(after, 'replicas: 3')]],
    ]);
    expect(why[0]!.date).toBe(new Date(why[0]!.date).toISOString().replace('.000Z', 'Z'));
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'why-base', message: expect.stringContaining(c.first!.slice(0, 7)) })]);
  });

  it('lists per object only the commits that touched its file; a deleted object is found in the file that declared it; noops get nothing', async () => {
    const { changes } = await explainChanges([deploy, svc, gone, unchanged], await request());
    expect(changes[1]!.why!.map((w) => [w.oid, w.author, w.files])).toEqual([[c.service, 'Ada Lovelace', ['apps/web/svc.yaml']]]);
    expect(changes[2]!.why!.map((w) => [w.oid, w.files])).toEqual([[c.service, ['apps/web/old.yaml']]]);
    expect(changes[3]!.why).toBeUndefined();
  });

  it('without a base: the last commits of each object, limited, saying so', async () => {
    const { changes, diagnostics } = await explainChanges([deploy], await request({ base: undefined, noBase: 'no earlier apply of web to kind-dev in the history', limit: 2 }));
    expect(changes[0]!.why!.map((w) => w.oid)).toEqual([c.image, c.replicas]);
    expect(diagnostics[0]).toMatchObject({ code: 'why-no-base', message: 'no earlier apply of web to kind-dev in the history: each change lists the last 2 commits that touched its sources' });
    const all = await explainChanges([deploy], await request({ base: undefined }));
    expect(all.changes[0]!.why!.map((w) => w.oid)).toEqual([c.image, c.replicas, c.first]);
  });

  it('a line last changed before the base is not listed (the cluster differs, no commit since)', async () => {
    const drifted = update(key('Deployment', 'web'), 'apps/web/deploy.yaml', after.replace('app: web\n  name', 'app: other\n  name'), after);
    const { changes } = await explainChanges([drifted], await request({ base: { commit: c.image!, what: 'the last apply' } }));
    expect(changes[0]!.why).toBeUndefined();
  });

  it('a git that fails is a note on the plan, not a failed plan', async () => {
    const broken = { ...(await request()), repo: Object.assign(Object.create(repo) as GitRepository, { dir: join(fixture.dir, 'no-such-folder') }) };
    const { changes, diagnostics } = await explainChanges([deploy], broken);
    expect(changes).toEqual([deploy]);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'why-failed', message: expect.stringMatching(/^the commits behind each change could not be listed: git /) })]);
  });

  it('the working copy: uncommitted lines are "not committed"', async () => {
    fixture.write({ 'apps/web/deploy.yaml': deployment({ replicas: 5, image: 'nginx:1.1' }) });
    try {
      const five = normalized({ replicas: 5, image: 'nginx:1.1' });
      const { changes } = await explainChanges([update(key('Deployment', 'web'), 'apps/web/deploy.yaml', before, five)], await request({ revision: await repo.resolve(WORKING_COPY), now: '2026-02-01T00:00:00.000Z' }));
      const why = changes[0]!.why!;
      expect(why[0]).toEqual({ oid: WORKING_COPY, author: 'working copy', date: '2026-02-01T00:00:00.000Z', subject: 'not committed', files: ['apps/web/deploy.yaml'], lines: [lineOf(five, 'replicas: 5')] });
      // Three replicas were committed since the base, then changed again: its commit stays listed, with no line of its own left.
      expect(why.slice(1).map((w) => [w.oid, w.lines])).toEqual([
        [c.image, [lineOf(five, 'image: nginx:1.1')]],
        [c.replicas, undefined],
      ]);
    } finally {
      fixture.git('checkout', '--', 'apps/web/deploy.yaml');
    }
  });
});

describe('kustomize: the files each object is built from', () => {
  let fixture: TestRepo;
  let repo: GitRepository;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    fixture = createTestRepo({ prefix: 'slipway-why-k-' });
    fixture.write({
      'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - svc.yaml\n',
      'base/deploy.yaml': deployment({ replicas: 1, image: 'nginx:1.0' }),
      'base/svc.yaml': service(80),
      'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n  - path: port.json\n    target:\n      kind: Service\n      name: web\nconfigMapGenerator:\n  - name: settings\n    files:\n      - settings.properties\n',
      'overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
      'overlays/prod/port.json': '[{"op": "replace", "path": "/spec/ports/0/port", "value": 81}]\n',
      'overlays/prod/settings.properties': 'a=1\n',
      'overlays/prod/notes.md': 'not read by kustomize\n',
    });
    c.first = fixture.commit('prod overlay', { author: ADA });
    fixture.write({ 'overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n' });
    c.patch = fixture.commit('prod: four replicas', { author: GRACE });
    fixture.write({ 'overlays/prod/settings.properties': 'a=2\n' });
    c.settings = fixture.commit('prod: a=2', { author: LINUS });
    fixture.write({ 'base/svc.yaml': service(90), 'overlays/prod/notes.md': 'still not read\n' });
    c.service = fixture.commit('base: service on 90', { author: ADA });
    fixture.write({ 'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n  - path: port.json\n    target:\n      kind: Service\n      name: web\nconfigMapGenerator:\n  - name: settings\n    files:\n      - settings.properties\ncommonLabels:\n  team: shop\n' });
    c.labels = fixture.commit('prod: team label', { author: GRACE });
    repo = await openRepository(fixture.dir);
  });
  afterAll(async () => {
    await repo.close();
    fixture.cleanup();
  });

  it("lists a patch file's commit for the object it patches and not for the others; a generator's file for its ConfigMap; the kustomization for all", async () => {
    const changes: Change[] = [
      update(key('Deployment', 'prod-web'), 'overlays/prod/kustomization.yaml', 'a: 1\n', 'a: 2\n'),
      update(key('Service', 'prod-web'), 'overlays/prod/kustomization.yaml', 'a: 1\n', 'a: 2\n'),
      { key: key('ConfigMap', 'prod-settings-7d4t2hk5gm'), action: 'create', flags: [], after: 'a: 1\n', changedPaths: [], source: { file: 'overlays/prod/kustomization.yaml', documentIndex: 2 } },
    ];
    const { changes: out } = await explainChanges(changes, { repo, revision: await repo.resolve('main'), app: { name: 'prod', path: 'overlays/prod', source: {} }, sourceType: 'kustomize', base: { commit: c.first!, what: 'the last apply' } });
    const listed = out.map((o) => o.why?.map((w) => [w.subject, w.files]));
    expect(listed[0]).toEqual([
      ['prod: team label', ['overlays/prod/kustomization.yaml']],
      ['prod: four replicas', ['overlays/prod/replicas.yaml']],
    ]);
    expect(listed[1]).toEqual([
      ['prod: team label', ['overlays/prod/kustomization.yaml']],
      ['base: service on 90', ['base/svc.yaml']],
    ]);
    expect(listed[2]).toEqual([
      ['prod: team label', ['overlays/prod/kustomization.yaml']],
      ['prod: a=2', ['overlays/prod/settings.properties']],
    ]);
    // No line-level attribution for kustomize: the after side is the build's, not a file's.
    expect(out.flatMap((o) => o.why ?? []).some((w) => w.lines)).toBe(false);
  });
});

describe('Helm: values files, templates, the chart', () => {
  let fixture: TestRepo;
  let repo: GitRepository;

  beforeAll(async () => {
    fixture = createTestRepo({ prefix: 'slipway-why-h-' });
    fixture.write({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': 'replicas: 1\n',
      'charts/web/templates/_helpers.tpl': '{{- define "web.name" -}}web{{- end -}}\n',
      'charts/web/templates/deploy.yaml': 'kind: Deployment\n',
      'charts/web/templates/svc.yaml': 'kind: Service\n',
      'envs/prod.yaml': 'replicas: 2\n',
      'envs/staging.yaml': 'replicas: 1\n',
    });
    fixture.commit('web chart', { author: ADA });
    fixture.write({ 'envs/prod.yaml': 'replicas: 3\n', 'envs/staging.yaml': 'replicas: 2\n' });
    fixture.commit('prod: three replicas', { author: GRACE });
    fixture.write({ 'charts/web/templates/svc.yaml': 'kind: Service # 2\n' });
    fixture.commit('web: service template', { author: LINUS });
    fixture.write({ 'charts/web/templates/_helpers.tpl': '{{- define "web.name" -}}web2{{- end -}}\n' });
    fixture.commit('web: helper', { author: ADA });
    repo = await openRepository(fixture.dir);
  });
  afterAll(async () => {
    await repo.close();
    fixture.cleanup();
  });

  it("lists a values file's commit for every object, a template's only for the objects it renders, helpers for all", async () => {
    const changes: Change[] = [
      update(key('Deployment', 'web'), 'charts/web/templates/deploy.yaml', 'a: 1\n', 'a: 2\n'),
      update(key('Service', 'web'), 'charts/web/templates/svc.yaml', 'a: 1\n', 'a: 2\n'),
    ];
    const { changes: out } = await explainChanges(changes, {
      repo,
      revision: await repo.resolve('main'),
      app: { name: 'web', path: 'charts/web', source: { helm: { valuesFiles: ['envs/prod.yaml'] } } },
      sourceType: 'helm',
      noBase: 'no earlier apply',
    });
    expect(out[0]!.why!.map((w) => [w.subject, w.files])).toEqual([
      ['web: helper', ['charts/web/templates/_helpers.tpl']],
      ['prod: three replicas', ['envs/prod.yaml']],
      ['web chart', ['charts/web/Chart.yaml', 'charts/web/templates/_helpers.tpl', 'charts/web/templates/deploy.yaml', 'charts/web/values.yaml', 'envs/prod.yaml']],
    ]);
    expect(out[1]!.why!.map((w) => w.subject)).toEqual(['web: helper', 'web: service template', 'prod: three replicas', 'web chart']);
  });
});
