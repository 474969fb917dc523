import { describe, expect, it } from 'vitest';
import type { DesiredObject, Manifest } from '../model/desired.js';
import { isHelmTestHook, withoutHelmTests } from './helm-tests.js';

const pod = (annotations?: Record<string, unknown>): Manifest => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(annotations && { annotations }) } });

describe('isHelmTestHook', () => {
  it.each<[string, Manifest, boolean]>([
    ['test', pod({ 'helm.sh/hook': 'test' }), true],
    ['Helm 2 test-success', pod({ 'helm.sh/hook': 'test-success' }), true],
    ['Helm 2 test-failure', pod({ 'helm.sh/hook': 'test-failure' }), true],
    ['test among other events', pod({ 'helm.sh/hook': 'pre-install, test' }), true],
    ['another hook', pod({ 'helm.sh/hook': 'pre-install' }), false],
    ['a look-alike event', pod({ 'helm.sh/hook': 'tests' }), false],
    ['no annotations', pod(), false],
    ['a non-string annotation', pod({ 'helm.sh/hook': ['test'] }), false],
  ])('%s → %s', (_, manifest, expected) => {
    expect(isHelmTestHook(manifest)).toBe(expected);
  });
});

describe('withoutHelmTests', () => {
  it('keeps every other object in order and counts the tests left out', () => {
    const o = (name: string, manifest: Manifest): DesiredObject => ({ key: { group: '', version: 'v1', kind: 'Pod', name }, manifest, source: { file: `${name}.yaml` } });
    const [a, t, b] = [o('a', pod()), o('t', pod({ 'helm.sh/hook': 'test' })), o('b', pod({ 'helm.sh/hook': 'post-install' }))];
    expect(withoutHelmTests([a, t, b])).toEqual({ objects: [a, b], tests: 1 });
  });
});
