/**
 * The keyboard shortcuts as one table: the key handlers match presses against it and the help
 * dialog (`?`) lists it, so what the help says is what the keys do. Pure: no DOM, no React.
 */

export type ShortcutAction =
  | 'plan'
  | 'apply'
  | 'next-change'
  | 'previous-change'
  | 'next-diff'
  | 'previous-diff'
  | 'filter'
  | 'help'
  | 'tree-open'
  | 'tree-fold'
  | 'tree-unfold'
  | 'tree-first'
  | 'tree-last'
  | 'filter-accept'
  | 'filter-clear';

/**
 * Where a key is pressed. `field`: typing in an editable field; `tree`: the resource list;
 * `filter`: the resource list's filter box; `dialog`: inside a modal dialog; `page`: anywhere else.
 */
export type KeyPlace = 'page' | 'field' | 'tree' | 'filter' | 'dialog';

/**
 * Where a shortcut works. `anywhere`: also while typing (chords with Ctrl/⌘ only), never in a
 * dialog; `page`: not while typing; `tree` and `filter`: only there.
 */
export type ShortcutScope = 'anywhere' | 'page' | 'tree' | 'filter';

export interface Chord {
  /** KeyboardEvent.key: 'j', '/', '?', 'Enter', 'ArrowDown', ' '. */
  readonly key: string;
  /** Ctrl, or ⌘ on a Mac (either is accepted everywhere). */
  readonly mod?: boolean;
  readonly shift?: boolean;
  readonly alt?: boolean;
}

export type ShortcutGroup = 'Plan and apply' | 'Review' | 'Resource list';

export interface Shortcut {
  readonly action: ShortcutAction;
  readonly chords: readonly Chord[];
  readonly scope: ShortcutScope;
  readonly group: ShortcutGroup;
  /** What it does, as the help dialog says it. */
  readonly does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'plan', chords: [{ key: 'Enter', mod: true }], scope: 'anywhere', group: 'Plan and apply', does: 'Plan the chosen app, revision and context' },
  { action: 'apply', chords: [{ key: 'Enter', mod: true, shift: true }], scope: 'anywhere', group: 'Plan and apply', does: 'Apply… — opens the confirmation; nothing is applied without it' },
  { action: 'next-change', chords: [{ key: 'j' }], scope: 'page', group: 'Review', does: 'Next resource, with its diff' },
  { action: 'previous-change', chords: [{ key: 'k' }], scope: 'page', group: 'Review', does: 'Previous resource, with its diff' },
  { action: 'next-diff', chords: [{ key: 'n' }], scope: 'page', group: 'Review', does: 'Next change inside the diff' },
  { action: 'previous-diff', chords: [{ key: 'p' }], scope: 'page', group: 'Review', does: 'Previous change inside the diff' },
  { action: 'filter', chords: [{ key: '/' }], scope: 'page', group: 'Review', does: 'Filter the resources by kind, name or namespace' },
  { action: 'help', chords: [{ key: '?' }], scope: 'page', group: 'Review', does: 'This list of shortcuts' },
  { action: 'next-change', chords: [{ key: 'ArrowDown' }], scope: 'tree', group: 'Resource list', does: 'Next resource, with its diff' },
  { action: 'previous-change', chords: [{ key: 'ArrowUp' }], scope: 'tree', group: 'Resource list', does: 'Previous resource, with its diff' },
  { action: 'tree-first', chords: [{ key: 'Home' }], scope: 'tree', group: 'Resource list', does: 'First resource' },
  { action: 'tree-last', chords: [{ key: 'End' }], scope: 'tree', group: 'Resource list', does: 'Last resource' },
  { action: 'tree-fold', chords: [{ key: 'ArrowLeft' }], scope: 'tree', group: 'Resource list', does: 'Fold the group, or go to the group above' },
  { action: 'tree-unfold', chords: [{ key: 'ArrowRight' }], scope: 'tree', group: 'Resource list', does: 'Unfold the group' },
  { action: 'tree-open', chords: [{ key: 'Enter' }, { key: ' ' }], scope: 'tree', group: 'Resource list', does: 'Open the resource, or fold and unfold the group' },
  { action: 'filter-accept', chords: [{ key: 'Enter' }, { key: 'ArrowDown' }], scope: 'filter', group: 'Resource list', does: 'In the filter: back to the list, keeping the filter' },
  { action: 'filter-clear', chords: [{ key: 'Escape' }], scope: 'filter', group: 'Resource list', does: 'In the filter: clear it and go back to the list' },
];

/** The scopes whose shortcuts work at each place, the narrowest first (the list's own keys before the page's). */
const SCOPES_AT: Readonly<Record<KeyPlace, readonly ShortcutScope[]>> = {
  page: ['page', 'anywhere'],
  tree: ['tree', 'page', 'anywhere'],
  filter: ['filter', 'anywhere'],
  field: ['anywhere'],
  dialog: [],
};

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** A printable key already says whether Shift was held ('?' is Shift+/), so Shift is not compared for it. */
const printable = (key: string): boolean => key.length === 1 && key !== ' ';

export function matches(chord: Chord, press: KeyPress): boolean {
  if (press.key !== chord.key) return false;
  if ((press.ctrlKey || press.metaKey) !== (chord.mod === true)) return false;
  if (press.altKey !== (chord.alt === true)) return false;
  return printable(chord.key) || press.shiftKey === (chord.shift === true);
}

/** The action a key press at `place` asks for, or null. Narrower scopes win (the list's ↓ before the page's keys). */
export function matchShortcut(press: KeyPress, place: KeyPlace, table: readonly Shortcut[] = SHORTCUTS): ShortcutAction | null {
  const scopes = SCOPES_AT[place];
  const found = table.filter((s) => scopes.includes(s.scope) && s.chords.some((c) => matches(c, press))).sort((a, b) => scopes.indexOf(a.scope) - scopes.indexOf(b.scope))[0];
  return found?.action ?? null;
}

const KEY_NAMES: Readonly<Record<string, string>> = { ArrowDown: '↓', ArrowUp: '↑', ArrowLeft: '←', ArrowRight: '→', ' ': 'Space', Escape: 'Esc' };

/** "Ctrl+Shift+Enter", or on a Mac "⌘⇧↵". */
export function chordLabel(chord: Chord, mac: boolean): string {
  if (mac) return `${chord.mod ? '⌘' : ''}${chord.alt ? '⌥' : ''}${chord.shift ? '⇧' : ''}${chord.key === 'Enter' ? '↵' : (KEY_NAMES[chord.key] ?? chord.key)}`;
  return [chord.mod && 'Ctrl', chord.alt && 'Alt', chord.shift && 'Shift', KEY_NAMES[chord.key] ?? chord.key].filter(Boolean).join('+');
}

export interface HelpRow {
  readonly group: ShortcutGroup;
  readonly keys: readonly string[];
  readonly does: string;
}

/** The help dialog's rows: one per shortcut of the table, in its order, keys as this platform writes them. */
export function helpRows(mac: boolean, table: readonly Shortcut[] = SHORTCUTS): HelpRow[] {
  return table.map((s) => ({ group: s.group, keys: s.chords.map((c) => chordLabel(c, mac)), does: s.does }));
}

/** The label of an action's first chord ("Ctrl+Enter"), for buttons' titles. */
export function shortcutLabel(action: ShortcutAction, mac: boolean, table: readonly Shortcut[] = SHORTCUTS): string {
  const chord = table.find((s) => s.action === action)?.chords[0];
  return chord ? chordLabel(chord, mac) : '';
}

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
