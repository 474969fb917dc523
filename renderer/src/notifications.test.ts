/**
 * The notifications' decision table (event × settings × focus → text or none), and the trackers:
 * drift is told once per new set of drifted objects, a cluster is unreachable after its watch has
 * been reconnecting for UNREACHABLE_AFTER_MS and reachable again when every watch is back.
 */
import { describe, expect, it } from 'vitest';
import type { DriftReportInfo, ObjectDriftInfo } from '../../core/api/contract.js';
import { driftStep, noticeFor, REACHABLE, reachStep, UNREACHABLE_AFTER_MS, type NotificationSettings, type NotifyEvent } from './notifications.js';

const ALL: NotificationSettings = { drift: true, applyFinished: true, unreachable: true };
const NONE: NotificationSettings = { drift: false, applyFinished: false, unreachable: false };

const object = (kind: string, name: string, status: ObjectDriftInfo['status'], paths: string[] = []): ObjectDriftInfo => ({
  key: { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace: 'shop', name },
  status,
  paths,
  applied: { runId: 'run-0001', at: '2026-01-01T12:00:00Z' },
  since: '2026-01-01T12:05:00Z',
});
const web = object('Deployment', 'web', 'drifted', ['spec.replicas']);
const db = object('Secret', 'db', 'drifted', ['data.password']);
const settingsMap = object('ConfigMap', 'settings', 'deleted');

const about = { app: 'shop', context: 'kind-dev' };
const drift: NotifyEvent = { kind: 'drift', ...about, objects: [web, db] };
const succeeded: NotifyEvent = { kind: 'apply-finished', ...about, status: 'succeeded' };
const failed: NotifyEvent = { kind: 'apply-finished', ...about, status: 'failed' };
const unreachable: NotifyEvent = { kind: 'unreachable', ...about, reason: 'connect ECONNREFUSED 127.0.0.1:6443' };
const reachable: NotifyEvent = { kind: 'reachable', ...about };

describe('noticeFor', () => {
  it.each<[string, NotifyEvent, NotificationSettings, boolean, { title: string; body: string } | null]>([
    ['drift, window focused', drift, ALL, true, { title: 'Drift in shop on kind-dev', body: 'Deployment shop/web: spec.replicas\nSecret shop/db: data.password' }],
    ['drift, in the background', drift, ALL, false, { title: 'Drift in shop on kind-dev', body: 'Deployment shop/web: spec.replicas\nSecret shop/db: data.password' }],
    ['drift, switched off', drift, { ...ALL, drift: false }, false, null],
    ['a deleted object', { kind: 'drift', ...about, objects: [settingsMap] }, ALL, true, { title: 'Drift in shop on kind-dev', body: 'ConfigMap shop/settings: deleted' }],
    ['no drifted object', { kind: 'drift', ...about, objects: [] }, ALL, false, null],
    ['an apply succeeded, in the background', succeeded, ALL, false, { title: 'Apply of shop to kind-dev succeeded', body: 'The apply of shop to kind-dev succeeded.' }],
    ['an apply failed, in the background', failed, ALL, false, { title: 'Apply of shop to kind-dev failed', body: 'The apply of shop to kind-dev failed.' }],
    ['an apply refused, in the background', { kind: 'apply-finished', ...about, status: 'refused' }, ALL, false, { title: 'Apply of shop to kind-dev ended', body: 'The apply of shop to kind-dev was refused: another apply of the app was running.' }],
    ['an apply ended, window focused', failed, ALL, true, null],
    ['an apply ended, switched off', failed, { ...ALL, applyFinished: false }, false, null],
    ['unreachable', unreachable, ALL, true, { title: 'Cluster unreachable: kind-dev', body: 'Slipway lost its watches of shop on kind-dev and keeps reconnecting: connect ECONNREFUSED 127.0.0.1:6443' }],
    ['unreachable, switched off', unreachable, { ...ALL, unreachable: false }, false, null],
    ['reachable again', reachable, ALL, false, { title: 'Cluster reachable again: kind-dev', body: 'The watches of shop on kind-dev are back; drift is checked again.' }],
    ['reachable again, switched off', reachable, NONE, false, null],
  ])('%s', (_what, event, settings, focused, expected) => {
    const notice = noticeFor(event, { settings, focused });
    if (expected === null) expect(notice).toBeNull();
    else expect(notice).toMatchObject(expected);
  });

  it('names five objects and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => object('ConfigMap', `c${i}`, 'drifted', ['data.a']));
    const body = noticeFor({ kind: 'drift', ...about, objects: many }, { settings: ALL, focused: true })!.body;
    expect(body.split('\n')).toEqual(['ConfigMap shop/c0: data.a', 'ConfigMap shop/c1: data.a', 'ConfigMap shop/c2: data.a', 'ConfigMap shop/c3: data.a', 'ConfigMap shop/c4: data.a', 'and 2 more']);
  });
});

const report = (objects: ObjectDriftInfo[], phases: Array<'synced' | 'reconnecting' | 'connecting' | 'forbidden'> = ['synced'], state: DriftReportInfo['state'] = 'watching'): DriftReportInfo => ({
  app: { name: 'shop', path: 'apps/shop' },
  context: 'kind-dev',
  state,
  objects,
  drifted: objects.filter((o) => o.status === 'drifted' || o.status === 'deleted').length,
  pending: 0,
  watches: phases.map((phase, i) => ({ key: `w${i}`, group: '', kind: 'ConfigMap', phase, ...(phase === 'reconnecting' && { reason: 'connect ECONNREFUSED 127.0.0.1:6443' }) })),
});

describe('driftStep: once per new set of drifted objects', () => {
  it('tells a new drifted object, not the same set again, a shrunk set never, and an object drifted again', () => {
    const inSync = object('Deployment', 'web', 'in-sync');
    const steps: Array<[string, DriftReportInfo, string[] | null]> = [
      ['all in sync', report([inSync]), null],
      ['web drifts', report([web]), ['Deployment/web']],
      ['the same drift again', report([web]), null],
      ['web drifts another field', report([{ ...web, paths: ['spec.replicas', 'spec.template.spec.containers[name=web].image'] }]), null],
      ['db drifts too', report([web, db]), ['Deployment/web', 'Secret/db']],
      ['db is fixed', report([web, { ...db, status: 'in-sync', paths: [] }]), null],
      ['an apply runs', report([], [], 'applying'), null],
      ['db drifts again', report([web, db]), ['Deployment/web', 'Secret/db']],
    ];
    let told: ReadonlySet<string> = new Set();
    for (const [what, r, expected] of steps) {
      const next = driftStep(told, r);
      told = next.told;
      const named = next.event?.kind === 'drift' ? next.event.objects.map((o) => `${o.key.kind}/${o.key.name}`) : null;
      expect({ what, named }).toEqual({ what, named: expected });
    }
  });
});

describe('reachStep: unreachable after a while, then back', () => {
  it.each<[string, Array<[number, DriftReportInfo]>, Array<string | null>]>([
    [
      'a short reconnect is not told',
      [
        [0, report([], ['reconnecting'])],
        [2000, report([], ['synced'])],
      ],
      [null, null],
    ],
    [
      'a long one is told once, and its end',
      [
        [0, report([], ['synced', 'reconnecting'])],
        [UNREACHABLE_AFTER_MS - 1, report([], ['synced', 'reconnecting'])],
        [UNREACHABLE_AFTER_MS, report([], ['synced', 'reconnecting'])],
        [UNREACHABLE_AFTER_MS + 3000, report([], ['reconnecting', 'reconnecting'])],
        [UNREACHABLE_AFTER_MS + 4000, report([], ['synced', 'connecting'])],
        [UNREACHABLE_AFTER_MS + 5000, report([], ['synced', 'synced'])],
      ],
      [null, null, 'unreachable', null, null, 'reachable'],
    ],
    ['a forbidden watch is not unreachable', [[0, report([], ['forbidden'])], [60_000, report([], ['forbidden'])]], [null, null]],
  ])('%s', (_what, steps, expected) => {
    let state = REACHABLE;
    const told = steps.map(([now, r]) => {
      const next = reachStep(state, r, now);
      state = next.state;
      return next.event?.kind ?? null;
    });
    expect(told).toEqual(expected);
  });
});
