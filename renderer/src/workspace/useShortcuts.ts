/**
 * Runs shortcuts of the table (shortcuts.ts) that the calling component handles. Each component
 * passes only its own actions (the top bar Plan and Apply, the list j/k and /, the diff n/p), so
 * no key is handled twice; a key some field or list already handled (defaultPrevented) is left alone.
 */
import { useEffect, useRef } from 'react';
import { matchShortcut, type KeyPlace, type ShortcutAction } from '../shortcuts.js';

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

/** Read-only fields (Monaco's read-only diff) take no typing, so page keys work there. */
function typingIn(el: Element): boolean {
  if (el instanceof HTMLTextAreaElement) return !el.readOnly;
  if (el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !el.readOnly && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** Where a key event happened, as the table's places name it (the list and filter handle their own keys). */
export function placeOf(target: EventTarget | null): KeyPlace {
  if (!(target instanceof Element)) return 'page';
  if (target.closest('[aria-modal="true"]')) return 'dialog';
  return typingIn(target) ? 'field' : 'page';
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  // One pair of listeners for the component's life; they call whichever handlers are current.
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const run = (e: KeyboardEvent, phase: 'capture' | 'bubble'): void => {
      // Chords with Ctrl/⌘ are taken before any field sees them (a field's own Enter must not win), once per press; plain
      // keys after, repeating — but first inside our read-only Monaco views, which swallow every key they are given.
      const chord = e.ctrlKey || e.metaKey;
      const early = chord || (e.target instanceof Element && e.target.closest('.monaco-editor') !== null);
      if (e.defaultPrevented || (phase === 'capture') !== early || (chord && e.repeat)) return;
      const action = matchShortcut(e, placeOf(e.target));
      const handler = action ? current.current[action] : undefined;
      if (!handler) return;
      e.preventDefault();
      handler();
    };
    const capture = (e: KeyboardEvent): void => run(e, 'capture');
    const bubble = (e: KeyboardEvent): void => run(e, 'bubble');
    window.addEventListener('keydown', capture, true);
    window.addEventListener('keydown', bubble);
    return () => {
      window.removeEventListener('keydown', capture, true);
      window.removeEventListener('keydown', bubble);
    };
  }, []);
}
