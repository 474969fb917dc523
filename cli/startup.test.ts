import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startupOf } from './serve.js';

describe('slipway serve: what the page opens first', () => {
  it.each([
    { flags: {}, want: {} },
    { flags: { context: 'prod' }, want: { context: 'prod' } },
    { flags: { repo: '/src/platform', app: 'web', rev: 'v1.2.0', context: 'prod' }, want: { repository: '/src/platform', app: 'web', rev: 'v1.2.0', context: 'prod' } },
    { flags: { repo: 'demo/repo' }, want: { repository: resolve('demo/repo') } },
    { flags: { repo: '~/src/infra' }, want: { repository: '~/src/infra' } },
  ])('$flags', ({ flags, want }) => {
    expect(startupOf(flags)).toEqual(want);
  });

  it('refuses an app or revision without the repository they belong to', () => {
    expect(() => startupOf({ app: 'web' })).toThrow(InvalidArgumentError);
    expect(() => startupOf({ rev: 'main', context: 'prod' })).toThrow(/need --repo/);
  });
});
