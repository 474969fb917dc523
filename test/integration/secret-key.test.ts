/**
 * Secret values enter plan hashes only under the user's key: a plan made with another key (on
 * another machine, by another user) is refused by apply with that reason and changes nothing;
 * with the same key (here given in SLIPWAY_SECRET_HASH_KEY, as CI would) it applies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyPlan } from '../../core/apply/service.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { planApp } from '../../core/plan/service.js';
import { SECRET_HASH_KEY_ENV, secretHashKeyId } from '../../core/secret-key.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { cleanUp } from '../support/cleanup.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const NS = `secret-key-it-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const keys = { planner: randomBytes(32).toString('hex'), other: randomBytes(32).toString('hex') };
const savedKey = process.env[SECRET_HASH_KEY_ENV];
const tmp = mkdtempSync(join(tmpdir(), 'slipway-secret-key-it-'));
let fixture: TestRepo;
let repo: Repository;
let history: History;

beforeAll(async () => {
  fixture = createTestRepo({ prefix: 'slipway-secret-key-it-' });
  fixture.write({
    'app/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`,
    'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${NS}\nstringData:\n  pin: "4711"\n`,
  });
  fixture.commit('a namespace and a Secret');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
});

afterAll(async () => {
  if (savedKey === undefined) delete process.env[SECRET_HASH_KEY_ENV];
  else process.env[SECRET_HASH_KEY_ENV] = savedKey;
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => history?.close(), () => repo?.close(), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the Secret hash key', () => {
  it('a plan made with another key is refused with that reason and changes nothing; with the same key it applies', async () => {
    process.env[SECRET_HASH_KEY_ENV] = keys.planner;
    const plan = await planApp({ repo, rev: 'HEAD', selection: { path: 'app' }, kubeconfig, context: 'slipway-admin', cacheDir: join(tmp, 'trees') });
    expect(plan.summary.create).toBe(2);
    expect(plan.inputs.secretHashKey).toBe(secretHashKeyId());
    // Nothing in the plan is a plain hash of the Secret: its change's hash is keyed.
    expect(JSON.stringify(plan)).not.toContain('4711');

    process.env[SECRET_HASH_KEY_ENV] = keys.other;
    const refused = await applyPlan({ plan, repo, kubeconfig, history, cacheDir: join(tmp, 'trees') });
    expect(refused.status).toBe('refused');
    expect(refused.error).toMatch(/made with another Secret hash key/);
    expect(history.run(refused.runId)?.status).toBe('refused');
    expect(kubectl(['get', 'namespace', NS, '--ignore-not-found', '-o', 'name'])).toBe('');

    process.env[SECRET_HASH_KEY_ENV] = keys.planner;
    const applied = await applyPlan({ plan, repo, kubeconfig, history, cacheDir: join(tmp, 'trees') });
    expect([applied.status, applied.error]).toEqual(['succeeded', undefined]);
    expect(kubectl(['get', 'secret', 'db', '-n', NS, '-o', 'jsonpath={.data.pin}'])).toBe(Buffer.from('4711').toString('base64'));
  });
});
