/**
 * The plan as a document to share, for the front doors' "Copy as Markdown" and "Save as HTML":
 * the views of core/plan (the Markdown one capped under GitHub's comment limit), and a file name
 * to save it under. A view of the plan the engine holds; Secret values are masked in it already.
 */
import type { Plan } from '../plan/types.js';
import { renderPlanHtml } from '../plan/view-html.js';
import { renderPlanMarkdown } from '../plan/view-markdown.js';
import type { ExportedPlan } from './contract.js';

const FORMATS = {
  markdown: { render: (plan: Plan) => renderPlanMarkdown(plan), extension: 'md', mediaType: 'text/markdown; charset=utf-8' },
  html: { render: renderPlanHtml, extension: 'html', mediaType: 'text/html; charset=utf-8' },
} as const;

export function exportPlan(plan: Plan, format: ExportedPlan['format']): ExportedPlan {
  const f = FORMATS[format];
  // Only letters, digits, ".", "_" and "-": an app name could hold anything a file name must not.
  const app = plan.inputs.app.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'app';
  return { format, text: f.render(plan), fileName: `slipway-${app}-${plan.id}.${f.extension}`, mediaType: f.mediaType };
}
