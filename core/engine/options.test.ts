import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptionsFor } from '../render/charts/cache-root.js';
import { engineOptions } from './options.js';
import { settingsSchema } from './settings.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engineOptions: the tool settings as the paths rendering uses', () => {
  it('passes sops, jsonnet, the age key file and the chart credentials file; blank ones are left to their defaults', () => {
    const settings = settingsSchema.parse({ tools: { sops: '/opt/sops', jsonnet: '/opt/jsonnet', sopsAgeKeyFile: '/keys/age.txt', chartCredentialsFile: '/keys/charts.yaml', helm: '  ', kubectl: '' } });
    expect(engineOptions(settings, { cacheDir: '/cache/trees' }).tools).toEqual({ sops: '/opt/sops', jsonnet: '/opt/jsonnet', sopsAgeKeyFile: '/keys/age.txt', chartCredentialsFile: '/keys/charts.yaml' });
  });

  it('no tool settings: no tools (PATH, sops\' own key lookup, $SLIPWAY_CHART_CREDENTIALS)', () => {
    expect(engineOptions(settingsSchema.parse({}), { cacheDir: '/cache/trees' }).tools).toBeUndefined();
  });

  it('the chart credentials file in settings is the one chart requests take their credentials from', () => {
    const file = join(dir, 'charts.yaml');
    writeFileSync(file, 'repositories:\n  - url: https://charts.example.com\n    username: reader\n    password: from-the-file\n');
    const { tools } = engineOptions(settingsSchema.parse({ tools: { chartCredentialsFile: file } }), { cacheDir: join(dir, 'trees') });
    const entries = resolveOptionsFor({ cacheDir: join(dir, 'trees'), ...(tools && { tools }) }).credentials;
    expect(entries.filter((e) => e.url === 'https://charts.example.com')).toEqual([{ url: 'https://charts.example.com', credential: { kind: 'basic', username: 'reader', password: 'from-the-file' } }]);
  });
});
