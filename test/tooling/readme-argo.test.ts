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

  it.each([...Object.keys(HOOK_TYPES), ...DELETE_POLICIES, ...Object.keys(HELM_HOOKS)])('names %s', (word) => {
    // As a code word of its own ("`BeforeHookCreation`") or after a colon or comma ("`helm.sh/hook: test`").
    expect(section).toMatch(new RegExp(`[\`:,] ?${word.replace('-', '\\-')}[\`,]`));
  });
});
