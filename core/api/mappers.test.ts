/**
 * The engine's apply events and run records as the contract's: each mapped value passes the
 * contract's strict schema, and what hooks add (a step's sync phase, a hook's phase) crosses.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../apply/executor.js';
import type { RunDetail } from '../history/types.js';
import { engineEventSchema, runDetailsSchema } from './contract.js';
import { toEngineEvent, toRunDetails } from './mappers.js';

const JOB = { group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name: 'migrate-a1b2c3d-presync-1764000000' };
const CM = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };

describe('toEngineEvent', () => {
  it.each<[string, ApplyEvent, Record<string, unknown>]>([
    [
      'a PreSync hooks step',
      { type: 'step-started', step: 0, wave: 0, phase: 'upsert', group: 'workloads', count: 1, syncPhase: 'PreSync', hooks: true },
      { type: 'apply-step', runId: 'run-1', step: 0, syncPhase: 'PreSync', wave: 0, phase: 'upsert', group: 'workloads', hooks: true, count: 1 },
    ],
    [
      'a Sync step of the app (early is the executor\'s own)',
      { type: 'step-started', step: 1, wave: 2, phase: 'upsert', group: 'config', early: true, count: 3, syncPhase: 'Sync' },
      { type: 'apply-step', runId: 'run-1', step: 1, syncPhase: 'Sync', wave: 2, phase: 'upsert', group: 'config', count: 3 },
    ],
  ])('%s', (_, event, expected) => {
    const mapped = toEngineEvent('run-1', event);
    expect(mapped).toEqual(expected);
    expect(engineEventSchema.parse(mapped)).toEqual(expected);
  });

  it('the contract refuses a step without its sync phase, or with an unknown one', () => {
    const step = { type: 'apply-step', runId: 'run-1', step: 0, wave: 0, phase: 'upsert', group: 'config', count: 1 };
    expect(engineEventSchema.safeParse(step).success).toBe(false);
    expect(engineEventSchema.safeParse({ ...step, syncPhase: 'PreDelete' }).success).toBe(false);
    expect(engineEventSchema.safeParse({ ...step, syncPhase: 'Sync', hooks: false }).success).toBe(false);
  });
});

describe('toRunDetails', () => {
  const run: RunDetail = {
    id: 'run-1',
    kind: 'apply',
    status: 'succeeded',
    planId: 'plan-1',
    summary: { create: 0, update: 1, delete: 0, replace: 0, noop: 0, error: 0 },
    repo: '/src/shop',
    app: { name: 'web', path: 'apps/web' },
    commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    cluster: { context: 'dev', server: 'https://c.example:6443', uid: 'uid-1', version: 'v1.35.0' },
    user: { kube: 'me' },
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:09.000Z',
    objects: [
      { key: JOB, action: 'create', outcome: 'healthy', wave: 0, hook: 'PreSync', finishedAt: '2026-11-20T10:00:04.000Z', afterHash: 'sha256:1' },
      { key: CM, action: 'update', outcome: 'healthy', wave: 0, finishedAt: '2026-11-20T10:00:09.000Z' },
    ],
  };

  it('keeps the phase a hook ran in, and nothing the engine keeps for itself', () => {
    const details = toRunDetails(run);
    expect(runDetailsSchema.parse(details)).toEqual(details);
    expect(details.objects.map((o) => [o.key.name, o.hook])).toEqual([
      [JOB.name, 'PreSync'],
      [CM.name, undefined],
    ]);
    expect(details.objects[1]).not.toHaveProperty('hook');
  });
});
