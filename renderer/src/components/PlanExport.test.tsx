/**
 * "Copy as Markdown" and "Save as HTML": the engine writes the documents (exportPlan), the view
 * copies the Markdown to the clipboard or downloads the HTML, and says so — or says why not.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../host.js';
import { REPO, RUNS, SHOP_PLAN } from '../testing/fixtures.js';
import { deferred, renderWithHost, testHost } from '../testing/host.js';
import { PlanExport, type ExportSource } from './PlanExport.js';
import { Workspace } from './Workspace.js';
import type { CommandResult } from '../../../core/api/contract.js';

const MARKDOWN = '## Slipway plan: shop → kind-dev\n\n| + create |\n';
const HTML = '<!doctype html>\n<title>Slipway plan</title>\n';

function setup(from: ExportSource, handlers: Parameters<typeof testHost>[0] = {}) {
  const host = testHost({
    exportPlan: (r) => ({ format: r.format, text: r.format === 'markdown' ? MARKDOWN : HTML, fileName: `slipway-shop-plan-1.${r.format === 'markdown' ? 'md' : 'html'}`, mediaType: r.format === 'markdown' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8' }),
    ...handlers,
  });
  const view = renderWithHost(<PlanExport from={from} />, host);
  // user-event puts a clipboard of its own on navigator (jsdom has none).
  const user = userEvent.setup();
  return { host, user, view };
}

const status = (): HTMLElement => screen.getByTestId('plan-export-status');

afterEach(() => vi.restoreAllMocks());

describe('PlanExport', () => {
  it('Copy as Markdown: asks the engine for the plan\'s Markdown, puts it on the clipboard, and says so', async () => {
    const { host, user } = setup({ planId: 'plan-1' });
    await user.click(screen.getByRole('button', { name: 'Copy as Markdown' }));
    await waitFor(() => expect(status().dataset.kind).toBe('done'));
    expect(status().getAttribute('role')).toBe('status');
    expect(status().textContent).toBe(`Copied as Markdown (${MARKDOWN.length} characters): paste it into a pull-request comment.`);
    expect(await navigator.clipboard.readText()).toBe(MARKDOWN);
    expect(host.requests('exportPlan')).toEqual([{ planId: 'plan-1', format: 'markdown' }]);
  });

  it('Save as HTML: downloads the engine\'s page under its file name', async () => {
    const { host, user } = setup({ runId: 'run-0002' });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (blobs.push(b), 'blob:slipway/1'));
    URL.revokeObjectURL = vi.fn();
    const clicked: Array<{ href: string; download: string; inDocument: boolean }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inDocument: document.body.contains(this) });
    });
    await user.click(screen.getByRole('button', { name: 'Save as HTML' }));
    await waitFor(() => expect(status().dataset.kind).toBe('done'));
    expect(status().textContent).toBe('Saved as slipway-shop-plan-1.html.');
    expect(clicked).toEqual([{ href: 'blob:slipway/1', download: 'slipway-shop-plan-1.html', inDocument: true }]);
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.type).toMatch(/^text\/html; ?charset=utf-8$/);
    expect(await blobs[0]!.text()).toBe(HTML);
    expect(document.querySelector('a[download]')).toBeNull(); // the link is gone again
    expect(host.requests('exportPlan')).toEqual([{ runId: 'run-0002', format: 'html' }]);
  });

  it('says why it could not copy: the engine\'s message', async () => {
    const { user } = setup({ planId: 'plan-gone' }, {
      exportPlan: () => {
        throw new EngineError({ code: 'unknown-plan', message: 'this engine has no plan plan-gone', hint: 'plans are kept while the engine runs: plan again' });
      },
    });
    await user.click(screen.getByRole('button', { name: 'Copy as Markdown' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Could not copy: this engine has no plan plan-gone');
  });

  it('says why it could not copy: the clipboard refused', async () => {
    const { user } = setup({ planId: 'plan-1' });
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Document is not focused.', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy as Markdown' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not copy: Document is not focused.');
  });

  it('is busy while the engine writes the document, and forgets an answer for a plan no longer shown', async () => {
    const pending = deferred<CommandResult<'exportPlan'>>();
    const { user, view, host } = setup({ planId: 'plan-1' }, { exportPlan: () => pending.promise });
    await user.click(screen.getByRole('button', { name: 'Copy as Markdown' }));
    expect(status().textContent).toBe('Copying…');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save as HTML' }).disabled).toBe(true);
    // Another plan on screen before the answer comes: nothing is copied, nothing reported.
    view.rerender(<PlanExport from={{ planId: 'plan-2' }} />);
    await navigator.clipboard.writeText('what was there');
    pending.resolve({ format: 'markdown', text: MARKDOWN, fileName: 'x.md', mediaType: 'text/markdown' });
    await pending.promise;
    await new Promise((r) => setTimeout(r, 0));
    expect(await navigator.clipboard.readText()).toBe('what was there');
    expect(screen.queryByTestId('plan-export-status')).toBeNull();
    expect(host.requests('exportPlan')).toEqual([{ planId: 'plan-1', format: 'markdown' }]);
  });
});

describe('PlanExport in the workspace', () => {
  async function planned() {
    const host = testHost();
    renderWithHost(<Workspace />, host);
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('repo-path'), REPO.dir);
    await user.click(screen.getByTestId('open-repo'));
    const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
    await waitFor(() => expect(selector.disabled).toBe(false));
    await user.selectOptions(selector, 'app:web');
    await user.click(screen.getByTestId('plan-button'));
    await screen.findByTestId('plan-summary');
    return { host, user };
  }

  it('is offered under the plan\'s summary, and exports the plan on screen by its id', async () => {
    const { host, user } = await planned();
    const head = screen.getByTestId('plan-view').querySelector('.plan-head') as HTMLElement;
    await user.click(within(head).getByRole('button', { name: 'Copy as Markdown' }));
    await waitFor(() => expect(screen.getByTestId('plan-export-status').dataset.kind).toBe('done'));
    expect(host.requests('exportPlan')).toEqual([{ planId: SHOP_PLAN.id, format: 'markdown' }]);
    expect(await navigator.clipboard.readText()).toBe('## Slipway plan: shop → kind-dev\n');
  });

  it('exports a past run\'s plan (opened from History) by the run, which the engine reads from history', async () => {
    const { host, user } = await planned();
    URL.createObjectURL = vi.fn(() => 'blob:slipway/2');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await user.click(screen.getByTestId('tab-history'));
    const runs = await screen.findAllByTestId('history-run');
    await user.click(runs[0]!);
    await user.click(await screen.findByTestId('open-run-plan'));
    await waitFor(() => expect(screen.getByTestId('preview-banner').dataset.kind).toBe('run'));
    await user.click(screen.getByRole('button', { name: 'Save as HTML' }));
    await waitFor(() => expect(screen.getByTestId('plan-export-status').textContent).toBe(`Saved as slipway-shop-${RUNS.runs[0]!.id}.html.`));
    expect(host.requests('exportPlan')).toEqual([{ runId: RUNS.runs[0]!.id, format: 'html' }]);
  });
});
