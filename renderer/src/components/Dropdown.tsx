/**
 * A button that opens a panel below it (revision picker, context switcher), and the keyboard
 * handling of the option lists inside: arrows or j/k in the list, Enter picks, Escape closes.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { panelShift } from '../placement.js';

export function Dropdown(props: {
  readonly label: ReactNode;
  readonly title?: string;
  readonly testId: string;
  readonly disabled?: boolean;
  readonly width?: number;
  readonly children: (close: () => void) => ReactNode;
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const [shift, setShift] = useState(0);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent): void => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  // Measured before paint: a panel near the right edge opens moved left, inside the window (no page scrollbar).
  useLayoutEffect(() => {
    if (!open || !button.current || !panel.current) return;
    setShift(panelShift({ buttonLeft: button.current.getBoundingClientRect().left, panelWidth: panel.current.offsetWidth, viewportWidth: document.documentElement.clientWidth }));
  }, [open]);

  return (
    <div
      className="dropdown"
      ref={root}
      onBlur={(e) => {
        // Focus gone elsewhere (Tab, a plan taking it): the panel goes too, not left open over the page.
        if (open && e.relatedTarget instanceof Node && !root.current?.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="dropdown-button"
        data-testid={props.testId}
        title={props.title}
        disabled={props.disabled}
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span className="dropdown-label">{props.label}</span>
        <span className="caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div
          className="dropdown-panel"
          ref={panel}
          data-testid={`${props.testId}-panel`}
          style={{ ...(props.width && { width: props.width }), left: shift }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          {props.children(close)}
        </div>
      )}
    </div>
  );
}

/** Arrow/j/k/Home/End movement over `count` options, Enter to pick the active one. */
export function useListKeys(count: number, onPick: (index: number) => void, opts: { letters?: boolean } = {}): {
  active: number;
  setActive: (i: number) => void;
  onKeyDown: (e: React.KeyboardEvent) => void;
} {
  const [active, setActive] = useState(0);
  useEffect(() => {
    if (active >= count) setActive(Math.max(0, count - 1));
  }, [active, count]);
  const onKeyDown = (e: React.KeyboardEvent): void => {
    const letters = opts.letters !== false;
    if (e.key === 'ArrowDown' || (letters && e.key === 'j')) {
      e.preventDefault();
      setActive((a) => Math.min(count - 1, a + 1));
    } else if (e.key === 'ArrowUp' || (letters && e.key === 'k')) {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Home' && letters) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === 'End' && letters) {
      e.preventDefault();
      setActive(count - 1);
    } else if (e.key === 'Enter' && count > 0 && !(e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onPick(active);
    }
  };
  return { active, setActive, onKeyDown };
}

/** Keeps the active option of a list in view. */
export function useScrollActiveIntoView(container: React.RefObject<HTMLElement | null>, active: number): void {
  useEffect(() => {
    const el = container.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [container, active]);
}
