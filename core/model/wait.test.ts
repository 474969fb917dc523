/** The `slipway.dev/wait` annotation, table-driven: annotations in, wait mode and warning out. */
import { describe, expect, it } from 'vitest';
import type { ResourceKey } from './resource.js';
import { readWaitMode, WAIT_ANNOTATION, type WaitMode } from './wait.js';

const key: ResourceKey = { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'frontend-external' };

describe('readWaitMode', () => {
  it.each<[string, Record<string, unknown> | undefined, WaitMode]>([
    ['no annotations', undefined, 'healthy'],
    ['other annotations only', { 'slipway.dev/wave': '1' }, 'healthy'],
    ['healthy', { [WAIT_ANNOTATION]: 'healthy' }, 'healthy'],
    ['strict', { [WAIT_ANNOTATION]: 'strict' }, 'strict'],
    ['applied', { [WAIT_ANNOTATION]: 'applied' }, 'applied'],
    ['spaces and capitals are forgiven', { [WAIT_ANNOTATION]: ' Applied ' }, 'applied'],
  ])('%s → %s', (_case, annotations, mode) => {
    expect(readWaitMode(annotations, key)).toEqual({ mode });
  });

  it.each<[string, unknown]>([
    ['a word it does not know', 'progressing-ok'],
    ['empty', ''],
    ['not a string', 5],
  ])('%s: waited for as healthy, with a warning naming the object', (_case, value) => {
    expect(readWaitMode({ [WAIT_ANNOTATION]: value }, key)).toEqual({
      mode: 'healthy',
      diagnostic: {
        severity: 'warning',
        code: 'wait-invalid',
        message: `annotation slipway.dev/wait: ${JSON.stringify(value)} is not one of healthy, strict, applied; Service shop/frontend-external is waited for as "healthy"`,
        resource: key,
      },
    });
  });
});
