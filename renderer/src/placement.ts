/**
 * Where a panel opened under its button goes so it stays inside the window: left-aligned with
 * the button while it fits, else moved left until it does, never past the window's left edge.
 */
export interface PanelFit {
  /** The button's left edge, in window pixels. */
  readonly buttonLeft: number;
  readonly panelWidth: number;
  /** The window's width without its scrollbar. */
  readonly viewportWidth: number;
  /** Room kept to the window's edges. */
  readonly margin?: number;
}

/** How many pixels to move the panel right (negative: left) from the button's left edge. */
export function panelShift(fit: PanelFit): number {
  const margin = fit.margin ?? 8;
  const overflow = fit.buttonLeft + fit.panelWidth - (fit.viewportWidth - margin);
  if (overflow <= 0) return 0;
  return Math.max(-overflow, margin - fit.buttonLeft);
}
