/**
 * Why this change in the UI: the opened object lists the commits that changed its sources (short
 * oid, subject, author, date, files, the after-side lines each last changed, a swatch matching
 * its gutter bar); the diff's after side gets one gutter bar and hover per line a commit last
 * changed (the decorations Monaco is given; Monaco itself runs in the e2e tests); the plan is
 * asked with why.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Change, ChangeCommit, ResourceKey } from '../../../core/api/contract.js';
import { change, plan } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { commitTitle, linesLabel, monacoDecoration, whyDecorations } from '../why.js';
import { ChangeView } from './ChangeView.js';
import { PlanView } from './PlanView.js';

const GRACE: ChangeCommit = { oid: '4f2a9c1d0e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c', author: 'Grace Hopper', date: '2026-01-02T10:00:00Z', subject: 'web: *three* replicas', files: ['apps/web/deploy.yaml'], lines: [9] };
const LINUS: ChangeCommit = { oid: '0123456789abcdef0123456789abcdef01234567', author: 'Linus Torvalds', date: '2026-01-03T10:00:00Z', subject: 'web: nginx 1.1', files: ['apps/web/deploy.yaml'], lines: [21, 22, 23] };
const OLDER: ChangeCommit = { oid: 'fedcba9876543210fedcba9876543210fedcba98', author: 'Ada Lovelace', date: '2026-01-01T10:00:00Z', subject: 'web: first', files: ['apps/web/deploy.yaml', 'apps/web/kustomization.yaml'] };
const WORKING: ChangeCommit = { oid: ':working', author: 'working copy', date: '2026-01-04T10:00:00Z', subject: 'not committed', files: ['apps/web/deploy.yaml'], lines: [3] };

const WEB: ResourceKey = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const explained = (why: readonly ChangeCommit[]): Change => change('update', WEB, { changedPaths: ['spec.replicas'], why });

const items = (): string[] => within(screen.getByTestId('change-why')).getAllByRole('listitem').map((li) => li.textContent ?? '');

describe('why this change: the list in the object detail', () => {
  it('lists each commit newest first with its author, date, files and the lines of the after side it last changed', () => {
    renderWithHost(<ChangeView change={explained([WORKING, LINUS, GRACE, OLDER])} />);
    expect(within(screen.getByTestId('change-why')).getByText(/commits changed its sources/).textContent).toBe('Why: 4 commits changed its sources');
    expect(items()).toEqual([
      'working copy not committed  apps/web/deploy.yaml · line 3 of the after side',
      '0123456 web: nginx 1.1 Linus Torvalds, 2026-01-03 apps/web/deploy.yaml · lines 21–23 of the after side',
      '4f2a9c1 web: *three* replicas Grace Hopper, 2026-01-02 apps/web/deploy.yaml · line 9 of the after side',
      'fedcba9 web: first Ada Lovelace, 2026-01-01 apps/web/deploy.yaml, apps/web/kustomization.yaml',
    ]);
    // The swatch is the colour of the commit's gutter bars; a commit with no line of its own has none.
    const swatches = [...screen.getByTestId('change-why').querySelectorAll('.why-swatch')].map((s) => s.className);
    expect(swatches).toEqual(['why-swatch why-c0', 'why-swatch why-c1', 'why-swatch why-c2', 'why-swatch why-c3 none']);
  });

  it('shows nothing when the plan was made without it, or no commit touched the sources', () => {
    renderWithHost(<ChangeView change={change('update', WEB)} />);
    expect(screen.queryByTestId('change-why')).toBeNull();
  });

  it('opens with the resource picked in the plan', async () => {
    renderWithHost(<PlanView plan={plan([explained([GRACE])])} stale={false} onReplan={vi.fn()} />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('plan-tree').querySelector<HTMLElement>('[role=treeitem][data-key="Deployment shop/web"]')!);
    expect(items()).toEqual(['4f2a9c1 web: *three* replicas Grace Hopper, 2026-01-02 apps/web/deploy.yaml · line 9 of the after side']);
  });
});

describe('why this change: the gutter and hover of the diff', () => {
  it('one decoration per line a commit last changed, coloured per commit, in line order', () => {
    const marks = whyDecorations(explained([WORKING, LINUS, GRACE, OLDER]));
    expect(marks.map((m) => [m.line, m.className, m.tooltip])).toEqual([
      [3, 'why-gutter why-c0', 'not committed (working copy)'],
      [9, 'why-gutter why-c2', '4f2a9c1 web: *three* replicas — Grace Hopper, 2026-01-02'],
      [21, 'why-gutter why-c1', '0123456 web: nginx 1.1 — Linus Torvalds, 2026-01-03'],
      [22, 'why-gutter why-c1', '0123456 web: nginx 1.1 — Linus Torvalds, 2026-01-03'],
      [23, 'why-gutter why-c1', '0123456 web: nginx 1.1 — Linus Torvalds, 2026-01-03'],
    ]);
    // The hover is Markdown: the subject is shown as written, not as emphasis.
    expect(marks[1]!.hover).toBe('**web: \\*three\\* replicas**\n\n`4f2a9c1` Grace Hopper, 2026-01-02');
    expect(marks[0]!.hover).toBe('**Not committed** (working copy): apps/web/deploy\\.yaml');
    expect(whyDecorations(change('update', WEB))).toEqual([]);
  });

  it('as Monaco takes it: a whole-line mark in the lines-decorations gutter with a tooltip, and a hover on the line and its number', () => {
    const [mark] = whyDecorations(explained([GRACE]));
    expect(monacoDecoration(mark!)).toEqual({
      range: { startLineNumber: 9, startColumn: 1, endLineNumber: 9, endColumn: 1 },
      options: {
        isWholeLine: true,
        linesDecorationsClassName: 'why-gutter why-c0',
        linesDecorationsTooltip: '4f2a9c1 web: *three* replicas — Grace Hopper, 2026-01-02',
        hoverMessage: { value: mark!.hover },
        lineNumberHoverMessage: { value: mark!.hover },
      },
    });
  });

  it.each([
    [[], ''],
    [[4], 'line 4'],
    [[4, 5, 6, 9], 'lines 4–6, 9'],
  ])('linesLabel(%j) = %j', (lines, label) => {
    expect(linesLabel(lines)).toBe(label);
  });

  it('names a commit by short oid, subject, author and day', () => {
    expect(commitTitle(OLDER)).toBe('fedcba9 web: first — Ada Lovelace, 2026-01-01');
  });
});
