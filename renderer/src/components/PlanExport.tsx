/**
 * "Copy as Markdown" and "Save as HTML" for the plan on screen. The engine writes both documents
 * (exportPlan: the plan's Markdown view, kept under GitHub's comment limit, and its HTML page); the
 * renderer only puts the Markdown on the clipboard or hands the HTML to the browser as a download
 * (a Blob link: the desktop app asks where to save it). A line under the buttons says what
 * happened, or why it did not.
 */
import { useEffect, useRef, useState } from 'react';
import type { ExportedPlan } from '../../../core/api/contract.js';
import { errorInfo, useHost } from '../host.js';

/** Which plan to export: one the engine made (a plan, a rollback or revert preview), or a past run's. */
export type ExportSource = { readonly planId: string } | { readonly runId: string };

type Status = { readonly kind: 'busy' | 'done' | 'failed'; readonly text: string };

export function PlanExport(props: { from: ExportSource }): React.JSX.Element {
  const host = useHost();
  const [status, setStatus] = useState<Status | null>(null);
  // Only the latest click may report (or copy): an answer for another plan, or after the view closed, is dropped.
  const generation = useRef(0);
  const sourceKey = 'planId' in props.from ? `plan:${props.from.planId}` : `run:${props.from.runId}`;
  useEffect(() => {
    generation.current++;
    setStatus(null);
    return () => void generation.current++;
  }, [sourceKey]);

  const run = (busy: string, format: ExportedPlan['format'], deliver: (doc: ExportedPlan) => Promise<string> | string): void => {
    const mine = ++generation.current;
    setStatus({ kind: 'busy', text: busy });
    void host
      .exportPlan({ ...props.from, format })
      .then(async (doc) => {
        if (mine !== generation.current) return;
        const done = await deliver(doc);
        if (mine === generation.current) setStatus({ kind: 'done', text: done });
      })
      .catch((e: unknown) => mine === generation.current && setStatus({ kind: 'failed', text: `${format === 'markdown' ? 'Could not copy' : 'Could not save'}: ${messageOf(e)}` }));
  };

  const copy = (): void =>
    run('Copying…', 'markdown', async (doc) => {
      if (!navigator.clipboard) throw new Error('this window has no clipboard access');
      await navigator.clipboard.writeText(doc.text);
      return `Copied as Markdown (${doc.text.length.toLocaleString('en-US')} characters): paste it into a pull-request comment.`;
    });

  const save = (): void =>
    run('Saving…', 'html', (doc) => {
      download(doc);
      return `Saved as ${doc.fileName}.`;
    });

  return (
    <div className="plan-export" data-testid="plan-export">
      <div className="plan-export-buttons">
        <button type="button" className="btn small" data-testid="copy-markdown" disabled={status?.kind === 'busy'} onClick={copy} title="Copy the plan as Markdown for a pull-request comment (kept under GitHub's 65,536 characters)">
          Copy as Markdown
        </button>
        <button type="button" className="btn small" data-testid="save-html" disabled={status?.kind === 'busy'} onClick={save} title="Save the plan as one HTML page with every diff">
          Save as HTML
        </button>
      </div>
      {status && (
        <div className={`small ${status.kind === 'failed' ? 'text-error' : 'muted'}`} role={status.kind === 'failed' ? 'alert' : 'status'} data-testid="plan-export-status" data-kind={status.kind}>
          {status.text}
        </div>
      )}
    </div>
  );
}

/** The engine's message, or the browser's (a clipboard that refused: a DOMException, which is no Error everywhere). */
function messageOf(e: unknown): string {
  return typeof DOMException !== 'undefined' && e instanceof DOMException ? e.message : errorInfo(e).message;
}

/** Hands the document to the browser as a file download. */
function download(doc: ExportedPlan): void {
  const url = URL.createObjectURL(new Blob([doc.text], { type: doc.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = doc.fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has read the Blob by the time the click's task is over.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
