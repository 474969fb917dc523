import { describe, expect, it } from 'vitest';
import { chordLabel, helpRows, matchShortcut, SHORTCUTS, shortcutLabel, type KeyPlace, type KeyPress, type ShortcutAction } from './shortcuts.js';

/** A key press written as "Ctrl+Shift+Enter", "Meta+Enter", "?", "Space". */
function press(text: string): KeyPress {
  const parts = text === '+' ? ['+'] : text.split('+');
  const key = parts.pop()!;
  const has = (m: string): boolean => parts.includes(m);
  return { key: key === 'Space' ? ' ' : key, ctrlKey: has('Ctrl'), metaKey: has('Meta'), shiftKey: has('Shift'), altKey: has('Alt') };
}

describe('matchShortcut', () => {
  it.each<[string, KeyPlace, ShortcutAction | null]>([
    ['Ctrl+Enter', 'page', 'plan'],
    ['Meta+Enter', 'page', 'plan'],
    ['Ctrl+Enter', 'field', 'plan'],
    ['Ctrl+Enter', 'tree', 'plan'],
    ['Ctrl+Enter', 'dialog', null],
    ['Ctrl+Shift+Enter', 'page', 'apply'],
    ['Ctrl+Shift+Enter', 'field', 'apply'],
    ['Meta+Shift+Enter', 'tree', 'apply'],
    ['Ctrl+Shift+Enter', 'dialog', null],
    ['Ctrl+Alt+Enter', 'page', null],
    ['Enter', 'page', null],
    ['Shift+Enter', 'tree', null],
    ['j', 'page', 'next-change'],
    ['k', 'page', 'previous-change'],
    ['j', 'tree', 'next-change'],
    ['j', 'field', null],
    ['j', 'filter', null],
    ['j', 'dialog', null],
    ['Shift+J', 'page', null],
    ['Ctrl+j', 'page', null],
    ['Alt+j', 'page', null],
    ['ArrowDown', 'tree', 'next-change'],
    ['ArrowUp', 'tree', 'previous-change'],
    ['ArrowDown', 'page', null],
    ['n', 'page', 'next-diff'],
    ['p', 'page', 'previous-diff'],
    ['/', 'page', 'filter'],
    ['/', 'tree', 'filter'],
    ['/', 'field', null],
    ['Shift+?', 'page', 'help'],
    ['?', 'tree', 'help'],
    ['?', 'field', null],
    ['Enter', 'tree', 'tree-open'],
    ['Space', 'tree', 'tree-open'],
    ['ArrowLeft', 'tree', 'tree-fold'],
    ['ArrowRight', 'tree', 'tree-unfold'],
    ['Home', 'tree', 'tree-first'],
    ['End', 'tree', 'tree-last'],
    ['Home', 'page', null],
    ['Enter', 'filter', 'filter-accept'],
    ['ArrowDown', 'filter', 'filter-accept'],
    ['Escape', 'filter', 'filter-clear'],
    ['Escape', 'page', null],
    ['Ctrl+Enter', 'filter', 'plan'],
  ])('%s at %s: %s', (key, place, action) => {
    expect(matchShortcut(press(key), place)).toBe(action);
  });

  it('never gives one key two actions at one place', () => {
    const places: KeyPlace[] = ['page', 'field', 'tree', 'filter', 'dialog'];
    for (const place of places) {
      const seen = new Map<string, ShortcutAction>();
      for (const s of SHORTCUTS) {
        for (const c of s.chords) {
          const action = matchShortcut({ key: c.key, ctrlKey: c.mod === true, metaKey: false, shiftKey: c.shift === true, altKey: c.alt === true }, place);
          if (action === null) continue;
          const id = JSON.stringify(c);
          expect(seen.get(id) ?? action, `${id} at ${place}`).toBe(action);
          seen.set(id, action);
        }
      }
    }
  });

  it('asks for a modifier for every shortcut that works while typing', () => {
    for (const s of SHORTCUTS.filter((s) => s.scope === 'anywhere')) expect(s.chords.every((c) => c.mod), s.action).toBe(true);
  });
});

describe('labels', () => {
  it.each<[Parameters<typeof chordLabel>[0], string, string]>([
    [{ key: 'Enter', mod: true }, 'Ctrl+Enter', '⌘↵'],
    [{ key: 'Enter', mod: true, shift: true }, 'Ctrl+Shift+Enter', '⌘⇧↵'],
    [{ key: 'ArrowDown' }, '↓', '↓'],
    [{ key: ' ' }, 'Space', 'Space'],
    [{ key: 'Escape' }, 'Esc', 'Esc'],
    [{ key: '?' }, '?', '?'],
    [{ key: 'j', alt: true }, 'Alt+j', '⌥j'],
  ])('%j: %s, on a Mac %s', (chord, other, mac) => {
    expect(chordLabel(chord, false)).toBe(other);
    expect(chordLabel(chord, true)).toBe(mac);
  });

  it('names the plan and apply shortcuts for buttons', () => {
    expect([shortcutLabel('plan', false), shortcutLabel('apply', false), shortcutLabel('plan', true)]).toEqual(['Ctrl+Enter', 'Ctrl+Shift+Enter', '⌘↵']);
  });

  it('gives the help dialog one row per shortcut of the table, in its order', () => {
    const rows = helpRows(false);
    expect(rows).toHaveLength(SHORTCUTS.length);
    expect(rows.slice(0, 3)).toEqual([
      { group: 'Plan and apply', keys: ['Ctrl+Enter'], does: 'Plan the chosen app, revision and context' },
      { group: 'Plan and apply', keys: ['Ctrl+Shift+Enter'], does: 'Apply… — opens the confirmation; nothing is applied without it' },
      { group: 'Review', keys: ['j'], does: 'Next resource, with its diff' },
    ]);
    expect(rows.find((r) => r.does.startsWith('Open the resource'))?.keys).toEqual(['Enter', 'Space']);
  });
});
