/**
 * Why a workload's Pods are not ready, table-driven like the health rules: fixtures of Pods and
 * Events as the API server returns them (testdata/pod-reasons/*.yaml, and the Pod health fixtures
 * of testdata/health/pod/) in, the sentence and the log asked for out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { POD_RULES, podEvents, schedulerSentence, withLog, workloadReason, type LogRequest } from './pod-reasons.js';

const REASONS = new URL('../testdata/pod-reasons/', import.meta.url);
const PODS = new URL('../testdata/health/pod/', import.meta.url);

/** The objects of fixtures: "unschedulable" from testdata/pod-reasons, "pod/crash-loop" from the Pod health fixtures. */
function load(...names: string[]): KubeObject[] {
  return names.flatMap((name) => {
    const file = name.startsWith('pod/') ? new URL(`${name.slice(4)}.yaml`, PODS) : new URL(`${name}.yaml`, REASONS);
    return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject);
  });
}

/** The reason of a workload whose Pods and Events are the fixtures' objects (a workload among them is the owner). */
function reasonOf(...names: string[]): { text: string; log?: LogRequest } | undefined {
  const objects = load(...names);
  const workload = objects.find((o) => o.kind !== 'Pod' && o.kind !== 'Event');
  const found = workloadReason(
    workload,
    objects.filter((o) => o.kind === 'Pod'),
    podEvents(objects.filter((o) => o.kind === 'Event')),
  );
  return found && { text: found.text, ...(found.log && { log: found.log }) };
}

const cases: [fixtures: string[], text: string | undefined, log?: LogRequest][] = [
  [['unschedulable'], '3 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/storefront-75f764998c-abcde'],
  [['pod/unschedulable'], 'Pod shop/web-7c5b9d4f8-k2x9p Pending: 0/3 nodes are available: 3 Insufficient cpu (FailedScheduling)'],
  [['pod/crash-loop'], 'Pod shop/web-7c5b9d4f8-k2x9p crash-looping: container web keeps exiting with code 1 (CrashLoopBackOff)', { container: 'web', previous: true }],
  [['pod/init-crash-loop'], 'Pod shop/web-7c5b9d4f8-k2x9p crash-looping: container wait-for-db keeps exiting with code 2 (CrashLoopBackOff)', { container: 'wait-for-db', previous: true }],
  [['oom-killed'], 'Pod shop/web-7c5b9d4f8-m3n4p out of memory: container web was killed at its memory limit (exit code 137) (OOMKilled)', { container: 'web', previous: true }],
  [
    ['pod/image-pull-backoff'],
    'Pod shop/web-7c5b9d4f8-k2x9p cannot pull an image: container web: Back-off pulling image "registry.example.com/shop/web:1.4.9": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:1.4.9": failed to resolve reference "registry.example.com/shop/web:1.4.9": registry.example.com/shop/web:1.4.9: not found (ImagePullBackOff)',
  ],
  [['pod/create-container-config-error'], 'Pod shop/web-7c5b9d4f8-k2x9p cannot start: container web: secret "db-credentials" not found (CreateContainerConfigError)'],
  [['secret-env'], "Pod shop/api-5f6d7c8b9-w3x4y cannot start: container api: couldn't find key password in Secret shop/db-credentials (CreateContainerConfigError)"],
  [['pod/failed'], 'Pod shop/migrate-x7k2p failed: container migrate exited with code 1 (Error)', { container: 'migrate', previous: false }],
  [['pod/evicted'], 'Pod shop/web-7c5b9d4f8-k2x9p failed: The node was low on resource: memory. Threshold quantity: 100Mi, available: 92160Ki. (Evicted)'],
  [['probe-failing'], 'Pod shop/web-7c5b9d4f8-q8r9s not Ready: Readiness probe failed: HTTP probe failed with statuscode: 503 (Unhealthy)'],
  [['failed-mount'], 'Pod shop/web-7c5b9d4f8-t1u2v Pending: MountVolume.SetUp failed for volume "config" : configmap "web-config" not found (FailedMount)'],
  [['pod/container-creating'], 'Pod shop/web-7c5b9d4f8-k2x9p Pending: container web (ContainerCreating)'],
  [['pod/running-not-ready'], 'Pod shop/web-7c5b9d4f8-k2x9p not Ready: containers with unready status: [web] (ContainersNotReady)'],
  [['mixed'], '2 Pods crash-looping: container web keeps exiting with code 2 (CrashLoopBackOff), e.g. shop/web-7c5b9d4f8-bbbbb', { container: 'web', previous: true }],
  [['failed-create'], 'StatefulSet shop/db: create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1 (FailedCreate)'],
  [['pod/running-ready', 'pod/succeeded', 'pod/running-to-completion'], undefined],
  [[], undefined],
];

describe('why a workload is not ready, from its Pods', () => {
  it.each(cases)('%j', (fixtures, text, log) => {
    expect(reasonOf(...fixtures)).toEqual(text === undefined ? undefined : { text, ...(log && { log }) });
  });

  it('has a case for every fixture', () => {
    const used = new Set(cases.flatMap(([f]) => f));
    expect(readdirSync(REASONS).map((f) => f.replace(/\.yaml$/, '')).filter((f) => !used.has(f))).toEqual([]);
  });

  it('never tells an env value, literal or from a Secret', () => {
    const text = reasonOf('secret-env')!.text;
    expect(text).not.toContain('tok-4f9a2c');
    expect(JSON.stringify(load('secret-env'))).toContain('tok-4f9a2c'); // the fixture does hold one
  });

  it('a Pod being deleted (an old ReplicaSet scaling down) is not told', () => {
    const [pod] = load('pod/crash-loop');
    pod!.metadata.deletionTimestamp = '2026-03-14T09:45:00Z';
    expect(workloadReason(undefined, [pod!], [])).toBeUndefined();
  });

  it('the rules have one priority each: the most severe reason wins, whatever order the Pods come in', () => {
    expect(new Set(POD_RULES.map((r) => r.priority)).size).toBe(POD_RULES.length);
    const pods = load('mixed');
    expect(workloadReason(undefined, [...pods].reverse(), [])?.text).toBe(reasonOf('mixed')?.text);
  });
});

describe('the scheduler sentence', () => {
  it.each([
    ['0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.', '0/1 nodes are available: 1 Insufficient cpu'],
    ['0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', '0/3 nodes are available: 3 Insufficient cpu'],
    [
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory',
    ],
    ['0/2 nodes are available: 2 node(s) didn\'t match Pod\'s node affinity/selector.', "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector"],
  ])('%s', (message, sentence) => {
    expect(schedulerSentence(message)).toBe(sentence);
  });
});

describe('the log of a crashing container', () => {
  const reason = workloadReason(undefined, load('pod/crash-loop'), [])!;
  it.each<[string, { text: string } | { error: string }, string]>([
    ['its last lines', { text: 'starting\n\nlistening on :8080\npanic: config key "db.url" missing\n' }, 'its log (container web, previous run) ends: starting / listening on :8080 / panic: config key "db.url" missing'],
    ['at most five', { text: 'a\nb\nc\nd\ne\nf\ng' }, 'its log (container web, previous run) ends: c / d / e / f / g'],
    ['empty', { text: '\n' }, 'its log (container web, previous run) is empty'],
    ['not readable', { error: 'previous terminated container "web" in pod "web-7c5b9d4f8-k2x9p" not found' }, 'its log (container web, previous run) could not be read: previous terminated container "web" in pod "web-7c5b9d4f8-k2x9p" not found'],
  ])('%s', (_case, log, said) => {
    expect(withLog(reason, log)).toBe(`${reason.text}; ${said}`);
  });
});
