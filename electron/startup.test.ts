import { describe, expect, it } from 'vitest';
import { startupFromArgs } from './startup.js';

describe('startupFromArgs', () => {
  it.each([
    { args: [], want: {} },
    { args: ['.', '--repo', '/src/platform', '--app', 'web', '--rev', 'v1.2.0', '--context', 'prod'], want: { repository: '/src/platform', app: 'web', rev: 'v1.2.0', context: 'prod' } },
    { args: ['--repo=demo/repo', '--context=slipway-admin'], want: { repository: '/home/me/demo/repo', context: 'slipway-admin' } },
    { args: ['--repo', '~/src/infra'], want: { repository: '~/src/infra' } },
    { args: ['--no-sandbox', '--inspect=9229', '.', '--app', 'web'], want: { app: 'web' } },
    { args: ['--repo', '--context', 'prod'], want: { context: 'prod' } },
    { args: ['--context'], want: {} },
    { args: ['--app='], want: {} },
  ])('$args', ({ args, want }) => {
    expect(startupFromArgs(args, '/home/me')).toEqual(want);
  });
});
