/** How the Plan button and the empty plan tab write the plan shortcut (its key is in the table of shortcuts.ts, run by the top bar). */
import { IS_MAC, shortcutLabel } from '../shortcuts.js';

export const PLAN_SHORTCUT = shortcutLabel('plan', IS_MAC);
