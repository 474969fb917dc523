/**
 * A plan with errors tells the truth (issue 17, finding 2): never "No changes", but "cannot be
 * applied", its errors listed first with file:line and the lines of the file around it, read by the
 * engine at the plan's commit (a file holding a Secret is not shown).
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { change, COMMITS, plan, REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { PlanView } from './PlanView.js';

const YAML_ERROR = { severity: 'error' as const, code: 'yaml-syntax', message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]', location: { file: 'apps/web/bad.yaml', documentIndex: 0, line: 7, column: 3 } };
const BROKEN = plan([], { diagnostics: [YAML_ERROR] });
const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };

describe('a plan with errors', () => {
  it('is never headed "No changes": it says it cannot be applied', () => {
    renderWithHost(<PlanView plan={BROKEN} stale={false} onReplan={vi.fn()} />);
    expect(screen.getByTestId('plan-summary').textContent).toBe('0 to add · 0 to change · 0 to destroy');
    expect(screen.queryByTestId('no-changes')).toBeNull();
    expect(screen.getByTestId('plan-cannot-apply').textContent).toBe('Cannot be applied: 1 error');
    expect(screen.getByTestId('plan-empty').textContent).toBe('Nothing else is planned until the errors above are fixed.');
  });

  it('lists its errors first, each with file:line and the file around that line at the plan commit', async () => {
    const host = testHost({ sourceSnippet: (r) => ({ file: r.file, line: r.line, startLine: 5, lines: ['data:', '  a: [1, 2', '  b: 3'] }) });
    renderWithHost(<PlanView plan={BROKEN} stale={false} repoId={REPO.id} onReplan={vi.fn()} />, host);
    const errors = screen.getByTestId('plan-errors');
    expect(within(errors).getByRole('heading').textContent).toBe('This plan cannot be applied: 1 error');
    const item = within(errors).getByTestId('plan-error');
    expect(item.dataset.location).toBe('apps/web/bad.yaml:7:3');
    expect(item.textContent).toContain('invalid YAML: Flow sequence in block collection');
    const snippet = await within(item).findByTestId('source-snippet');
    expect([...snippet.querySelectorAll<HTMLElement>('[data-line]')].map((l) => `${l.dataset.line}${l.classList.contains('at') ? '>' : ' '}${l.textContent!.slice(String(l.dataset.line).length)}`)).toEqual(['5 data:', '6   a: [1, 2', '7>  b: 3']);
    expect(host.requests('sourceSnippet')).toEqual([{ repoId: REPO.id, rev: COMMITS.head, file: 'apps/web/bad.yaml', line: 7 }]);
  });

  it('says why a file holding a Secret is not shown', async () => {
    const host = testHost({ sourceSnippet: (r) => ({ file: r.file, line: r.line, hidden: 'the file declares a Secret: its values are never shown' }) });
    renderWithHost(<PlanView plan={BROKEN} stale={false} repoId={REPO.id} onReplan={vi.fn()} />, host);
    expect((await screen.findByTestId('snippet-hidden')).textContent).toBe('Not shown: the file declares a Secret: its values are never shown.');
    expect(screen.queryByTestId('source-snippet')).toBeNull();
  });

  it('lists a change the server refused with its source, beside the changes that can be reviewed', async () => {
    const refused = change('error', { ...cm, name: 'broken' }, { message: 'ConfigMap "broken" is invalid: metadata.name: Invalid value' });
    renderWithHost(<PlanView plan={plan([change('update', cm), refused])} stale={false} repoId={REPO.id} onReplan={vi.fn()} />);
    expect(screen.getByTestId('plan-cannot-apply').textContent).toBe('Cannot be applied: 1 error');
    const item = screen.getByTestId('plan-error');
    expect(item.dataset.location).toBe('apps/web/configmap-broken.yaml:1');
    expect(item.textContent).toContain('ConfigMap shop/broken');
    expect(item.textContent).toContain('metadata.name: Invalid value');
    await waitFor(() => expect(within(item).getByTestId('source-snippet')).toBeTruthy());
    expect(screen.getByTestId('change-view')).toBeTruthy();
  });

  it('asks no snippet when the open repository is not the plan one', () => {
    const host = testHost();
    renderWithHost(<PlanView plan={BROKEN} stale={false} onReplan={vi.fn()} />, host);
    expect(screen.getByTestId('plan-error').dataset.location).toBe('apps/web/bad.yaml:7:3');
    expect(host.requests('sourceSnippet')).toEqual([]);
  });
});
