/**
 * Side by side or inline (one column, Monaco's unified view): side by side halves the width, so
 * below INLINE_BELOW_PX of diff width long lines would be cut off (an image tag at the end of its
 * line); "auto" goes inline there. The user's choice wins either way.
 */
export type DiffLayoutChoice = 'auto' | 'side-by-side' | 'inline';
export type DiffLayout = 'side-by-side' | 'inline';

export const INLINE_BELOW_PX = 900;

export const LAYOUT_CHOICES: ReadonlyArray<readonly [DiffLayoutChoice, string]> = [
  ['auto', 'Auto'],
  ['side-by-side', 'Side by side'],
  ['inline', 'Inline'],
];

/** `width`: the diff's width in pixels, 0 while not measured yet. */
export function diffLayout(choice: DiffLayoutChoice, width: number): DiffLayout {
  if (choice !== 'auto') return choice;
  return width > 0 && width < INLINE_BELOW_PX ? 'inline' : 'side-by-side';
}

export function isLayoutChoice(v: unknown): v is DiffLayoutChoice {
  return LAYOUT_CHOICES.some(([c]) => c === v);
}
