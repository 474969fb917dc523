import { describe, expect, it } from 'vitest';
import { buildEnvironment, envsubst, jsonnetArgs } from './jsonnet-args.js';

const env = buildEnvironment({ name: 'guestbook', path: 'apps/gb', namespace: 'web', revision: '0123456789abcdef' });

describe('envsubst (Argo CD build environment)', () => {
  it.each<[string, string]>([
    ['$ARGOCD_APP_NAME', 'guestbook'],
    ['ns=${ARGOCD_APP_NAMESPACE}', 'ns=web'],
    ['$ARGOCD_APP_REVISION_SHORT', '0123456'],
    ['$UNKNOWN-x', '-x'],
    ['cost $$5', 'cost $5'],
    ['plain', 'plain'],
  ])('%s → %s', (value, expected) => {
    expect(envsubst(value, env)).toBe(expected);
  });
});

describe('jsonnetArgs', () => {
  it.each<[string, Parameters<typeof jsonnetArgs>[1], string[]]>([
    ['no options: the app folder as library path', { appPath: 'apps/gb', env }, ['-J', 'apps/gb', '--', 'apps/gb/main.jsonnet']],
    ['the root', { appPath: '', env }, ['-J', '.', '--', 'apps/gb/main.jsonnet']],
    [
      'libs after the folder (right-most wins), strings and code',
      {
        appPath: 'apps/gb',
        env,
        jsonnet: {
          libs: ['vendor', 'lib'],
          extVars: [{ name: 'app', value: '$ARGOCD_APP_NAME', code: false }, { name: 'replicas', value: '1 + 2', code: true }],
          tlas: [{ name: 'ns', value: '${ARGOCD_APP_NAMESPACE}', code: false }, { name: 'debug', value: 'true', code: true }],
        },
      },
      ['-J', 'apps/gb', '-J', 'vendor', '-J', 'lib', '--ext-str', 'app=guestbook', '--ext-code', 'replicas=1 + 2', '--tla-str', 'ns=web', '--tla-code', 'debug=true', '--', 'apps/gb/main.jsonnet'],
    ],
  ])('%s', (_what, opts, expected) => {
    expect(jsonnetArgs('apps/gb/main.jsonnet', opts)).toEqual(expected);
  });
});
