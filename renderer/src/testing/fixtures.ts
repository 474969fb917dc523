/**
 * Fixture values for component tests: a repository's revisions and apps, kubeconfig contexts, a
 * plan, runs and settings. Every value is parsed with the contract's own result schema when it is
 * made, so a fixture that drifts from the contract fails every test that uses it.
 */
import { commands, type CommandResult } from '../../../core/api/contract.js';
import type { Action, Change, CommandId, Plan, PlannedHook, ResourceKey, RunDetails, RunSummary } from '../../../core/api/contract.js';

/** Parses `value` with the result schema of `command`: fixtures are what the engine could send. */
export function valid<C extends CommandId>(command: C, value: CommandResult<C>): CommandResult<C> {
  return commands[command].result.parse(value) as CommandResult<C>;
}

export const REPO = valid('openRepository', { id: 'repo-1', dir: '/home/me/src/shop', name: 'shop' });

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const PREVIOUS = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
const FIRST = '9999aaaa0000bbbb1111cccc2222dddd3333eeee';
export const COMMITS = { head: HEAD, previous: PREVIOUS, first: FIRST } as const;

const commit = (oid: string, subject: string, author: string, date: string, refs: string[] = []) => ({ oid, shortOid: oid.slice(0, 7), subject, author: { name: author, email: `${author.toLowerCase()}@example.com` }, date, refs });

export const REVISIONS = valid('listRevisions', {
  branches: [
    { kind: 'branch', name: 'main', fullName: 'refs/heads/main', oid: HEAD, current: true },
    { kind: 'branch', name: 'feature/probes', fullName: 'refs/heads/feature/probes', oid: PREVIOUS },
  ],
  remoteBranches: [{ kind: 'remote-branch', name: 'origin/main', fullName: 'refs/remotes/origin/main', oid: HEAD }],
  tags: [{ kind: 'tag', name: 'v1.0.0', fullName: 'refs/tags/v1.0.0', oid: FIRST }],
  workingCopy: { rev: ':working', head: HEAD },
  commits: [
    commit(HEAD, 'Raise web replicas to 3', 'Ada', '2026-11-20T10:00:00Z', ['main', 'origin/main']),
    commit(PREVIOUS, 'Add readiness probes', 'Grace', '2026-11-19T09:00:00Z', ['feature/probes']),
    commit(FIRST, 'Initial shop manifests', 'Ada', '2026-11-01T08:00:00Z', ['v1.0.0']),
  ],
});

/** What the engine answers to a search: refs by name, commits by subject, author or oid (case-insensitive). */
export function searchRevisions(query: string | undefined): CommandResult<'listRevisions'> {
  const q = (query ?? '').trim().toLowerCase();
  if (!q) return REVISIONS;
  const refMatch = (r: { name: string }): boolean => r.name.toLowerCase().includes(q);
  return valid('listRevisions', {
    ...REVISIONS,
    branches: REVISIONS.branches.filter(refMatch),
    remoteBranches: REVISIONS.remoteBranches.filter(refMatch),
    tags: REVISIONS.tags.filter(refMatch),
    commits: REVISIONS.commits.filter((c) => `${c.subject} ${c.author.name} ${c.oid}`.toLowerCase().includes(q)),
  });
}

export const APPS = valid('listApps', {
  apps: [
    { name: 'ops', path: 'apps/ops', sourceType: 'directory', namespace: 'ops', origin: { kind: 'slipway.yaml', file: 'slipway.yaml', line: 9 }, prune: false, protected: true },
    { name: 'web', path: 'apps/web', sourceType: 'kustomize', namespace: 'shop', context: 'staging', origin: { kind: 'slipway.yaml', file: 'slipway.yaml', line: 3 }, prune: true, protected: false },
  ],
  configured: true,
  diagnostics: [],
});

export const CONTEXTS = valid('listContexts', {
  contexts: [
    { name: 'dev', cluster: 'kind-dev', server: 'https://127.0.0.1:6443', user: 'dev-admin', namespace: 'default', current: true },
    { name: 'staging', cluster: 'gke-staging', server: 'https://staging.example.com', user: 'me', namespace: 'shop', current: false },
    { name: 'prod', cluster: 'gke-prod', server: 'https://prod.example.com', user: 'me', namespace: 'shop', current: false, protected: true },
  ],
  currentContext: 'dev',
  files: ['/home/me/.kube/config'],
  diagnostics: [],
});

export const SETTINGS = valid('getSettings', {
  settings: { tools: {}, concurrency: 16, timeouts: {}, protectedContexts: ['prod'], theme: 'light', notifications: { drift: true, applyFinished: true, unreachable: true } },
  file: '/home/me/.config/slipway/settings.json',
});

const key = (kind: string, name: string, namespace?: string, group = '', version = 'v1'): ResourceKey => ({ group, version, kind, name, ...(namespace && { namespace }) });

const yaml = (k: ResourceKey, body: string): string =>
  `apiVersion: ${k.group ? `${k.group}/${k.version}` : k.version}\nkind: ${k.kind}\nmetadata:\n  name: ${k.name}\n${k.namespace ? `  namespace: ${k.namespace}\n` : ''}${body}`;

/** One change; `before`/`after` follow the action (no `before` for a create, no `after` for a delete). */
export function change(action: Action, k: ResourceKey, extra: Partial<Change> = {}): Change {
  const before = action === 'create' ? undefined : yaml(k, 'data:\n  level: info\n');
  const after = action === 'delete' ? undefined : yaml(k, action === 'noop' ? 'data:\n  level: info\n' : 'data:\n  level: debug\n');
  return {
    key: k,
    action,
    flags: [],
    ...(before !== undefined && { before, liveResourceVersion: '4711' }),
    ...(after !== undefined && { after, desiredHash: 'sha256:0f0f' }),
    changedPaths: action === 'update' ? ['data.level'] : [],
    source: { file: `apps/web/${k.kind.toLowerCase()}-${k.name}.yaml`, documentIndex: 0, line: 1 },
    ...extra,
  };
}

function summaryOf(changes: readonly Change[]): Plan['summary'] {
  const s = { create: 0, update: 0, delete: 0, replace: 0, noop: 0, error: 0 };
  for (const c of changes) s[c.action]++;
  return s;
}

/** A plan of `changes` for app `web` at HEAD against `context`; the summary is counted from the changes. */
export function plan(
  changes: readonly Change[],
  opts: { id?: string; context?: string; app?: Partial<Plan['inputs']['app']>; commit?: string; diagnostics?: Plan['diagnostics']; applySet?: Partial<Plan['inputs']['applySet']>; hooks?: readonly PlannedHook[]; findings?: Plan['findings'] } = {},
): Plan {
  const context = opts.context ?? 'staging';
  return valid('plan', {
    formatVersion: 5,
    id: opts.id ?? 'plan-0123456789abcdef',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    inputs: {
      app: { name: 'web', path: 'apps/web', sourceType: 'kustomize', namespace: 'shop', selectedBy: 'name', ...opts.app },
      repo: REPO.dir,
      commit: opts.commit ?? HEAD,
      treeOid: 'd4e5f60718293a4b5c6d7e8f9012345678901234',
      renderedHash: 'sha256:abcdef',
      cluster: { context, server: CONTEXTS.contexts.find((c) => c.name === context)?.server ?? 'https://example.com', uid: '2f1e0d9c-0000-4000-8000-000000000000', version: 'v1.35.4' },
      mode: { kind: 'normal' },
      applySet: { parent: 'Secret/shop/slipway-web', id: 'applyset-abc-v1', ...opts.applySet },
    },
    changes,
    summary: summaryOf(changes),
    diagnostics: opts.diagnostics ?? [],
    hooks: opts.hooks ?? [],
    findings: opts.findings ?? [],
  });
}

/**
 * The shop plan: 3 to add · 2 to change · 1 to destroy, and one unchanged resource.
 * Cluster-scoped: Namespace shop (+). billing: Service api (+). shop: ConfigMap web-config (+),
 * ConfigMap web-flags (~), Deployment web (~), Secret old-token (−), ServiceAccount web (=).
 */
export const SHOP_CHANGES: readonly Change[] = [
  change('create', key('Namespace', 'shop')),
  change('create', key('Service', 'api', 'billing')),
  change('create', key('ConfigMap', 'web-config', 'shop')),
  change('update', key('ConfigMap', 'web-flags', 'shop')),
  change('update', key('Deployment', 'web', 'shop', 'apps'), { changedPaths: ['spec.replicas'] }),
  change('delete', key('Secret', 'old-token', 'shop'), { flags: ['dangerous'] }),
  change('noop', key('ServiceAccount', 'web', 'shop')),
];

export const SHOP_PLAN = plan(SHOP_CHANGES);

/**
 * The shop app's hooks, in the plan's order (phase, wave, key): a generateName migration Job before
 * the app (PreSync), a smoke test with it in wave 2 (Sync) and again after it (PostSync), a Helm
 * post-install notification, a cleanup if the apply fails (SyncFail), then two not run.
 */
export const SHOP_HOOKS: readonly PlannedHook[] = [
  { key: key('Job', 'migrate-', 'shop', 'batch'), generateName: true, phases: ['PreSync'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd', after: yaml(key('Job', 'migrate-', 'shop', 'batch'), 'spec:\n  template: {}\n'), desiredHash: 'sha256:aaaa', source: { file: 'apps/web/migrate.yaml', documentIndex: 0, line: 1 } },
  { key: key('Pod', 'smoke', 'shop'), phases: ['Sync', 'PostSync'], wave: 2, deletePolicies: ['HookSucceeded', 'HookFailed'], from: 'argocd', after: yaml(key('Pod', 'smoke', 'shop'), 'spec:\n  containers: []\n'), desiredHash: 'sha256:bbbb', source: { file: 'apps/web/smoke.yaml', documentIndex: 0, line: 3 } },
  { key: key('Job', 'notify', 'shop', 'batch'), phases: ['PostSync'], wave: 0, deletePolicies: ['HookSucceeded'], from: 'helm', after: yaml(key('Job', 'notify', 'shop', 'batch'), 'spec:\n  template: {}\n'), desiredHash: 'sha256:cccc', source: { file: 'apps/web/templates/notify.yaml', documentIndex: 0, line: 1 } },
  { key: key('Job', 'cleanup', 'shop', 'batch'), phases: ['SyncFail'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd', after: yaml(key('Job', 'cleanup', 'shop', 'batch'), 'spec:\n  template: {}\n'), desiredHash: 'sha256:dddd', source: { file: 'apps/web/cleanup.yaml', documentIndex: 0, line: 1 } },
  { key: key('Pod', 'test-connection', 'shop'), phases: [], wave: 0, deletePolicies: [], from: 'helm', skipped: 'test: a Helm test (helm test runs it, not an install): not applied', source: { file: 'apps/web/templates/tests/test-connection.yaml', documentIndex: 0, line: 1 } },
  { key: key('Job', 'teardown', 'shop', 'batch'), phases: [], wave: 0, deletePolicies: [], from: 'argocd', skipped: 'PostDelete: runs after Argo CD deletes the app; Slipway never deletes an app, so it is not run', source: { file: 'apps/web/teardown.yaml', documentIndex: 0, line: 1 } },
];

const runSummary = (id: string, commitOid: string, startedAt: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  kind: 'apply',
  status: 'succeeded',
  planId: `plan-${id.replace(/[^0-9a-f]/g, '').padEnd(16, '0').slice(0, 16)}`,
  summary: { create: 2, update: 1, delete: 0, replace: 0, noop: 4, error: 0 },
  repo: REPO.dir,
  app: { name: 'web', path: 'apps/web' },
  commit: commitOid,
  cluster: { context: 'staging', server: 'https://staging.example.com', uid: '2f1e0d9c-0000-4000-8000-000000000000', version: 'v1.35.4' },
  user: { kube: 'me', gitAuthor: 'Ada' },
  startedAt,
  finishedAt: new Date(Date.parse(startedAt) + 12_300).toISOString(),
  ...extra,
});

export const RUNS = valid('listRuns', {
  runs: [runSummary('run-0002', HEAD, '2026-11-20T11:00:00.000Z'), runSummary('run-0001', PREVIOUS, '2026-11-19T10:00:00.000Z')],
});

export function runDetails(runId: string): RunDetails {
  const run = RUNS.runs.find((r) => r.id === runId);
  if (!run) throw new Error(`no run ${runId}`);
  return valid('runDetails', {
    ...run,
    objects: [
      { key: key('ConfigMap', 'web-config', 'shop'), action: 'create', outcome: 'healthy', wave: 0, finishedAt: run.finishedAt! },
      { key: key('Deployment', 'web', 'shop', 'apps'), action: 'update', outcome: 'healthy', wave: 1, message: '3 of 3 replicas available', finishedAt: run.finishedAt! },
    ],
  });
}

/** The rollback preview the engine makes of run-0001: the app at its commit, against the current context. */
export const ROLLBACK_PLAN = plan([change('update', key('Deployment', 'web', 'shop', 'apps'), { changedPaths: ['spec.replicas'] })], { id: 'plan-fedcba9876543210', commit: PREVIOUS });
