import { describe, expect, it } from 'vitest';
import { panelShift, type PanelFit } from './placement.js';

describe('panelShift', () => {
  it.each<[string, PanelFit, number]>([
    ['fits under its button: stays aligned with it', { buttonLeft: 100, panelWidth: 420, viewportWidth: 1440 }, 0],
    ['ends exactly at the margin: stays', { buttonLeft: 596, panelWidth: 420, viewportWidth: 1024 }, 0],
    ['the context menu at 1024 px: moved left to end 8 px inside the window', { buttonLeft: 759, panelWidth: 420, viewportWidth: 1024 }, -163],
    ['a button at the right edge: the panel ends at the margin', { buttonLeft: 1000, panelWidth: 300, viewportWidth: 1024 }, -284],
    ['wider than the window: starts at the left margin', { buttonLeft: 300, panelWidth: 1100, viewportWidth: 1024 }, -292],
    ['a margin of its own', { buttonLeft: 759, panelWidth: 420, viewportWidth: 1024, margin: 0 }, -155],
  ])('%s', (_, fit, shift) => {
    expect(panelShift(fit)).toBe(shift);
  });
});
