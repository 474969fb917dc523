/** Picking a revision: the working copy, branches, tags and commits, searched through the engine. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../host.js';
import { COMMITS, REPO, REVISIONS, searchRevisions } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { defaultRevision, RevisionPicker } from './RevisionPicker.js';

function renderPicker(host = testHost()) {
  const onChange = vi.fn();
  renderWithHost(<RevisionPicker repoId={REPO.id} initial={REVISIONS} value={defaultRevision(REVISIONS)} onChange={onChange} />, host);
  return { host, onChange, user: userEvent.setup() };
}

/** The menu as "section: title" lines. */
function menuLines(): string[] {
  const list = within(screen.getByTestId('revision-menu')).getByRole('listbox');
  let section = '';
  return [...list.querySelectorAll('li')].flatMap((li) => {
    section = li.querySelector('.menu-section')?.textContent ?? section;
    const option = li.querySelector('[role=option]');
    return option ? [`${section}: ${option.querySelector('.menu-item-title')?.firstChild?.textContent ?? ''}`] : [];
  });
}

describe('RevisionPicker', () => {
  it('starts on the current branch', () => {
    renderPicker();
    expect(screen.getByTestId('revision-picker').textContent).toContain('main');
  });

  it('lists the working copy, branches, remote branches, tags and commits', async () => {
    const { user } = renderPicker();
    await user.click(screen.getByTestId('revision-picker'));
    expect(menuLines()).toEqual([
      'Working copy: Working copy',
      'Branches: main',
      'Branches: feature/probes',
      'Remote branches: origin/main',
      'Tags: v1.0.0',
      'Commits: Raise web replicas to 3',
      'Commits: Add readiness probes',
      'Commits: Initial shop manifests',
    ]);
    expect(screen.getByText('uncommitted files on top of a1b2c3d')).toBeTruthy();
  });

  it('searches commits by subject through the engine, and picks one', async () => {
    const { host, onChange, user } = renderPicker();
    await user.click(screen.getByTestId('revision-picker'));
    await user.keyboard('probes');
    await waitFor(() => expect(menuLines()).toEqual(['Branches: feature/probes', 'Commits: Add readiness probes']));
    // The list is read again as the menu opens, then searched.
    expect(host.requests('listRevisions')).toEqual([{ repoId: REPO.id }, { repoId: REPO.id, query: 'probes' }]);
    await user.click(screen.getByText('Add readiness probes'));
    expect(onChange).toHaveBeenCalledWith({ rev: COMMITS.previous, kind: 'commit', label: `${COMMITS.previous.slice(0, 7)} Add readiness probes`, oid: COMMITS.previous });
  });

  it('searches by author and by commit id', async () => {
    const { user } = renderPicker();
    await user.click(screen.getByTestId('revision-picker'));
    await user.keyboard('grace');
    await waitFor(() => expect(menuLines()).toEqual(['Commits: Add readiness probes']));
    await user.clear(screen.getByTestId('revision-search'));
    await user.keyboard(COMMITS.first.slice(0, 8));
    await waitFor(() => expect(menuLines()).toEqual(['Commits: Initial shop manifests']));
  });

  it('keeps the working copy when the search words match it, and picks it with the keyboard', async () => {
    const { onChange, user } = renderPicker();
    await user.click(screen.getByTestId('revision-picker'));
    await user.keyboard('working');
    await waitFor(() => expect(menuLines()).toEqual(['Working copy: Working copy']));
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith({ rev: ':working', kind: 'working-copy', label: 'Working copy', oid: COMMITS.head });
  });

  it('says when nothing matches, and shows a failed search', async () => {
    const host = testHost({
      listRevisions: (r) => {
        if (r.query === 'boom') throw new EngineError({ code: 'git-failed', message: 'git log failed: bad object' });
        return searchRevisions(r.query);
      },
    });
    const { user } = renderPicker(host);
    await user.click(screen.getByTestId('revision-picker'));
    await user.keyboard('zzz');
    expect(await screen.findByText('No revision matches “zzz”.')).toBeTruthy();
    await user.clear(screen.getByTestId('revision-search'));
    await user.keyboard('boom');
    const error = await screen.findByTestId('error-message');
    expect(error.dataset.code).toBe('git-failed');
    expect(error.textContent).toContain('git log failed: bad object');
  });

  it('reads the list again as it opens: a commit and a tag made since show without searching', async () => {
    const later = { ...REVISIONS.commits[0]!, oid: 'f'.repeat(40), shortOid: 'fffffff', subject: 'Scale web to 5', refs: ['v1.1.0'] };
    const host = testHost({
      listRevisions: (r) => (r.query ? searchRevisions(r.query) : { ...REVISIONS, tags: [...REVISIONS.tags, { kind: 'tag', name: 'v1.1.0', fullName: 'refs/tags/v1.1.0', oid: later.oid }], commits: [later, ...REVISIONS.commits] }),
    });
    const { user } = renderPicker(host);
    await user.click(screen.getByTestId('revision-picker'));
    await waitFor(() => expect(menuLines()).toContain('Commits: Scale web to 5'));
    expect(menuLines()).toContain('Tags: v1.1.0');
  });
});
