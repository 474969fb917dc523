/**
 * The views of an open repository (the plan, its history, the live tree, an apply's progress and its
 * confirmation): one chunk the Workspace loads lazily (workspaceViews.ts), so the start screen's
 * JavaScript does not carry them.
 */
export { ApplyDialog } from './ApplyDialog.js';
export { ApplyProgressView } from './ApplyProgressView.js';
export { HistoryView } from './HistoryView.js';
export { LiveView } from './LiveView.js';
export { PlanArea } from './PlanArea.js';
