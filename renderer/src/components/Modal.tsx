/** A modal dialog: focus moves in, Escape closes, the page behind is inert to the pointer. */
import { useEffect, useRef, useState, type ReactNode } from 'react';

export function Modal(props: { title: string; onClose: () => void; children: ReactNode; testId?: string; width?: number }): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  useEffect(() => {
    onClose.current = props.onClose;
  }, [props.onClose]);
  // Read while rendering: a field's autoFocus takes the focus before the effect below runs.
  const [previous] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    // A field that asked for the focus (autoFocus) keeps it; else the first control gets it.
    if (!ref.current?.contains(document.activeElement)) ref.current?.querySelector<HTMLElement>('[autofocus], input, select, textarea, button')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [previous]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId} ref={ref} style={props.width ? { width: props.width } : undefined}>
        <header className="modal-head">
          <h2>{props.title}</h2>
          <button type="button" className="btn small ghost" aria-label="Close" onClick={props.onClose}>
            ✕
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}
