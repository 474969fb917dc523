/**
 * Hooks in the apply task machine, against the in-memory cluster: the phases run in order
 * (PreSync, Sync with its hooks after their wave, PostSync), a failing hook stops the apply before
 * the app's objects and runs the SyncFail hooks, delete policies, generateName names, and the end
 * of a failed hook's log in its result.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import type { DeletePolicy, SyncPhase } from '../model/hooks.js';
import { formatKey, identityOf, keyOfObject } from '../model/resource.js';
import { manifestHash } from '../plan/assemble.js';
import { hookId } from '../plan/hooks.js';
import type { JsonObject } from '../plan/json.js';
import type { Change, PlannedHook } from '../plan/types.js';
import { executePlan, type ApplyEvent, type ApplyResult } from './executor.js';
import { FAIL_ANNOTATION, FakeCluster } from './testing/fake-cluster.js';
import { testPlan } from './testing/plan.js';

const NS = 'shop';

const configMap = (name: string, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, annotations }, data: { k: name } });

interface HookOptions {
  readonly phases: readonly SyncPhase[];
  readonly wave?: number;
  readonly deletePolicies?: readonly DeletePolicy[];
  readonly fails?: boolean;
  readonly generateName?: boolean;
  readonly namespace?: string;
}

function job(name: string, o: HookOptions): { hook: PlannedHook; manifest: JsonObject } {
  const namespace = o.namespace ?? NS;
  const metadata = { ...(o.generateName ? { generateName: name } : { name }), namespace, annotations: { 'argocd.argoproj.io/hook': o.phases.join(','), ...(o.fails && { [FAIL_ANNOTATION]: 'yes' }) } };
  const manifest = { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox' }] } } } } as JsonObject;
  return {
    manifest,
    hook: {
      key: { group: 'batch', version: 'v1', kind: 'Job', namespace, name },
      ...(o.generateName && { generateName: true as const }),
      phases: o.phases,
      wave: o.wave ?? 0,
      deletePolicies: o.deletePolicies ?? ['BeforeHookCreation'],
      from: 'argocd',
      after: stringify(manifest),
      desiredHash: manifestHash(manifest),
    },
  };
}

interface Applied {
  readonly result: ApplyResult;
  readonly events: readonly ApplyEvent[];
  /** The objects sent, in order, as "apply Job shop/x". */
  readonly sent: readonly string[];
}

async function apply(fake: FakeCluster, objects: readonly KubeObject[], hooks: readonly ReturnType<typeof job>[], extra: { readonly changes?: readonly Change[]; readonly signal?: AbortSignal } = {}): Promise<Applied> {
  const changes: Change[] = [...objects.map((o): Change => ({ key: keyOfObject(o), action: 'create', flags: [], changedPaths: [], after: stringify(o) })), ...(extra.changes ?? [])];
  const plan = testPlan(fake, changes, hooks.map((h) => h.hook));
  const events: ApplyEvent[] = [];
  const result = await executePlan({
    plan,
    desired: {
      objects: new Map(objects.map((o) => [identityOf(keyOfObject(o)), { manifest: o as JsonObject }])),
      hooks: new Map(hooks.map((h) => [hookId(h.hook), { settled: { manifest: h.manifest } }])),
    },
    cluster: fake,
    holder: 'me@here/pid-1',
    pollMs: 2,
    onEvent: (e) => events.push(e),
    ...(extra.signal && { signal: extra.signal }),
  });
  const own = /applyset-shop/;
  return { result, events, sent: fake.log.filter((l) => /^(apply|delete|create) /.test(l) && !own.test(l)) };
}

function cluster(): FakeCluster {
  const fake = new FakeCluster();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return fake;
}

const outcomes = (r: ApplyResult): string[] => r.results.map((o) => `${formatKey(o.key)} ${o.outcome}${o.hook ? ` (${o.hook})` : ''}`);

describe('apply phases: hooks', () => {
  it('runs PreSync hooks, then the app with its Sync hooks after their wave, then PostSync hooks; hooks are recorded with their phase', async () => {
    const fake = cluster();
    const { result, events, sent } = await apply(
      fake,
      [configMap('first'), configMap('late', { 'argocd.argoproj.io/sync-wave': '2' })],
      [job('post', { phases: ['PostSync'] }), job('migrate', { phases: ['PreSync'] }), job('seed', { phases: ['Sync'], wave: 1 }), job('on-fail', { phases: ['SyncFail'] })],
    );
    expect(result.status, result.error).toBe('succeeded');
    expect(sent.filter((l) => l.startsWith('apply'))).toEqual(['apply Job.batch shop/migrate', 'apply ConfigMap shop/first', 'apply Job.batch shop/seed', 'apply ConfigMap shop/late', 'apply Job.batch shop/post']);
    expect(events.filter((e) => e.type === 'step-started').map((e) => (e.type === 'step-started' ? `${e.step} ${e.syncPhase}${e.hooks ? ' hooks' : ''} wave ${e.wave}` : ''))).toEqual([
      '0 PreSync hooks wave 0',
      '1 Sync wave 0',
      '2 Sync hooks wave 1',
      '3 Sync wave 2',
      '4 PostSync hooks wave 0',
    ]);
    expect(events[0]).toEqual({ type: 'started', steps: 5, changes: 2, hooks: 3 });
    expect(outcomes(result)).toEqual(['Job.batch shop/migrate healthy (PreSync)', 'ConfigMap shop/first healthy', 'Job.batch shop/seed healthy (Sync)', 'ConfigMap shop/late healthy', 'Job.batch shop/post healthy (PostSync)']);
    // SyncFail hooks run only when something failed.
    expect(sent.join('\n')).not.toContain('on-fail');
  });

  it('a failing PreSync hook stops the apply before any object of the app, says why from its Pod log, and runs the SyncFail hooks', async () => {
    const fake = cluster();
    fake.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'migrate-x7k2p', namespace: NS, labels: { 'job-name': 'migrate' }, creationTimestamp: '2026-01-01T00:00:01Z' }, spec: { containers: [{ name: 'migrate' }] }, status: { phase: 'Failed' } });
    fake.logs.set(`${NS}/migrate-x7k2p`, 'connecting to db\nmigration failed: table users is locked\n');
    const { result, sent } = await apply(fake, [configMap('app')], [job('migrate', { phases: ['PreSync'], fails: true }), job('post', { phases: ['PostSync'] }), job('notify', { phases: ['SyncFail'] })]);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('step 1 of 3 (PreSync hooks, wave 0) failed: PreSync hook Job.batch shop/migrate: BackoffLimitExceeded');
    expect(result.error).toContain('the log of Pod shop/migrate-x7k2p (container migrate) ends: connecting to db / migration failed: table users is locked');
    expect(result.error).toContain('the SyncFail hooks ran (1)');
    expect(sent.filter((l) => l.startsWith('apply'))).toEqual(['apply Job.batch shop/migrate', 'apply Job.batch shop/notify']);
    expect(outcomes(result)).toEqual(['Job.batch shop/migrate unhealthy (PreSync)', 'ConfigMap shop/app skipped', 'Job.batch shop/post skipped (PostSync)', 'Job.batch shop/notify healthy (SyncFail)']);
    expect(fake.peek({ group: '', version: 'v1', kind: 'ConfigMap', namespace: NS, name: 'app' })).toBeUndefined();
  });

  it('deletes hooks by their policy: HookSucceeded after success, HookFailed after failure, BeforeHookCreation before the next run', async () => {
    const fake = cluster();
    const earlier = fake.seed(job('again', { phases: ['PreSync'] }).manifest as KubeObject);
    const { result, sent } = await apply(
      fake,
      [],
      [job('again', { phases: ['PreSync'] }), job('done', { phases: ['PostSync'], deletePolicies: ['HookSucceeded'] }), job('kept', { phases: ['PostSync'], deletePolicies: ['HookFailed'] })],
    );
    expect(result.status, result.error).toBe('succeeded');
    expect(sent).toEqual(['delete Job.batch shop/again', 'apply Job.batch shop/again', 'apply Job.batch shop/done', 'apply Job.batch shop/kept', 'delete Job.batch shop/done']);
    expect(fake.peek(keyOfObject(earlier))?.metadata.uid).not.toBe(earlier.metadata.uid);
    expect(fake.peek({ group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name: 'done' })).toBeUndefined();
    expect(fake.peek({ group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name: 'kept' })).toBeDefined();
    expect(result.results.find((r) => r.key.name === 'done')?.message).toContain('deleted (HookSucceeded)');

    const failing = cluster();
    const failed = await apply(failing, [], [job('broken', { phases: ['PreSync'], fails: true, deletePolicies: ['HookFailed'] })]);
    expect(failed.result.status).toBe('failed');
    expect(failing.peek({ group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name: 'broken' })).toBeUndefined();
    expect(failed.result.results[0]?.message).toContain('deleted (HookFailed)');
  });

  it('names a generateName hook as Argo CD does: prefix, commit (7), phase, start time; once per phase it names', async () => {
    const fake = cluster();
    const before = Math.floor(Date.now() / 1000);
    const { result } = await apply(fake, [], [job('upgrade-sql-schema-', { phases: ['PreSync', 'PostSync'], generateName: true })]);
    expect(result.status, result.error).toBe('succeeded');
    const names = result.results.map((r) => r.key.name);
    expect(names).toHaveLength(2);
    const [pre, post] = names.map((n) => /^upgrade-sql-schema-c0ffee1-(presync|postsync)-(\d+)$/.exec(n!));
    expect(pre?.[1]).toBe('presync');
    expect(post?.[1]).toBe('postsync');
    expect(Number(pre?.[2])).toBeGreaterThanOrEqual(before);
    expect(fake.peek({ group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name: names[0]! })?.metadata.generateName).toBeUndefined();
  });

  it('creates the namespace a PreSync hook runs in before the hook, when the plan creates it', async () => {
    const fake = new FakeCluster();
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } };
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const { result, sent } = await apply(fake, [ns], [job('migrate', { phases: ['PreSync'], namespace: 'fresh' })]);
    expect(result.status, result.error).toBe('succeeded');
    expect(sent.filter((l) => l.startsWith('apply'))).toEqual(['apply Namespace fresh', 'apply Job.batch fresh/migrate']);
  });

  it('a failing Sync hook skips the later waves and the PostSync hooks', async () => {
    const fake = cluster();
    const { result, sent } = await apply(fake, [configMap('a'), configMap('b', { 'argocd.argoproj.io/sync-wave': '1' })], [job('check', { phases: ['Sync'], fails: true }), job('post', { phases: ['PostSync'] })]);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('(Sync hooks, wave 0) failed: Sync hook Job.batch shop/check');
    expect(result.error).not.toContain('log');
    expect(sent.filter((l) => l.startsWith('apply'))).toEqual(['apply ConfigMap shop/a', 'apply Job.batch shop/check']);
    expect(outcomes(result)).toContain('Job.batch shop/post skipped (PostSync)');
  });
});
