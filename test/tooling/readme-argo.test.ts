/**
 * The README's "Coming from Argo CD" section names every sync and compare option, hook phase,
 * delete policy and Helm hook the tables in core/model know, so the page cannot fall behind them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DELETE_POLICIES, HELM_HOOKS, HOOK_TYPES } from '../../core/model/hooks.js';
import { SYNC_OPTION_TABLE } from '../../core/model/sync-options.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Coming from Argo CD'), readme.indexOf('\n## ', readme.indexOf('## Coming from Argo CD') + 1));

describe('README: Coming from Argo CD', () => {
  it('is there', () => {
    expect(section.length).toBeGreaterThan(1000);
  });

  it.each(SYNC_OPTION_TABLE.map((r) => [r.value === '' ? r.name : `${r.name}=${r.value}`, r]))('names the option %s', (option, row) => {
    // A row whose values share a line is written "Name=a|b|c" (escaped for the table).
    const listed = section.includes(`\`${option}\``) || new RegExp(`\`${row.name}=[^\`]*\\b${row.value}\\b[^\`]*\``).test(section);
    expect(listed, `${option} is not in the README's table`).toBe(true);
  });

  // What an Argo CD sync does when an option is not given (user-guide/sync-options.md: it applies every object,
  // migrates client-side apply fields, prunes in the foreground…), so that the page does not call Slipway's ways Argo CD's.
  const ARGO_DEFAULTS = ['CreateNamespace=false', 'Validate=true', 'Replace=false', 'ServerSideApply=false', 'ApplyOutOfSyncOnly=false', 'RespectIgnoreDifferences=false', 'FailOnSharedResource=false', 'ClientSideApplyMigration=true'];
  const optionOf = (r: (typeof SYNC_OPTION_TABLE)[number]): string => (r.value === '' ? r.name : `${r.name}=${r.value}`);
  const rowOf = (words: string): string => section.split('\n').find((l) => l.startsWith('|') && l.includes(words)) ?? '';

  it("calls Argo CD's defaults only what Argo CD does when the option is not given", () => {
    const listed = [...rowOf("| Argo CD's defaults, and what Slipway always does").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const expected = SYNC_OPTION_TABLE.filter((r) => r.support === 'always' && ARGO_DEFAULTS.includes(optionOf(r))).map(optionOf);
    expect(listed.sort()).toEqual(expected.sort());
  });

  it.each(SYNC_OPTION_TABLE.filter((r) => r.support === 'not-honoured' && ARGO_DEFAULTS.includes(optionOf(r))).map(optionOf))("says that %s, which Slipway does not honour, is Argo CD's default", (option) => {
    expect(rowOf(`\`${option}\``)).toMatch(/Argo CD's default/);
  });

  it.each([...Object.keys(HOOK_TYPES), ...DELETE_POLICIES, ...Object.keys(HELM_HOOKS)])('names %s', (word) => {
    // As a code word of its own ("`BeforeHookCreation`") or after a colon or comma ("`helm.sh/hook: test`").
    expect(section).toMatch(new RegExp(`[\`:,] ?${word.replace('-', '\\-')}[\`,]`));
  });
});
