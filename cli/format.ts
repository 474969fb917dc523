/**
 * The plan in the format `--format text|json|markdown|html` (or `--json`, cli/commands/options.ts)
 * asks for, for the commands that print a plan (plan, diff). Each format is a view of the plan
 * (core/plan/view-*): text for a terminal, JSON for scripts, Markdown for a pull-request comment
 * (capped under GitHub's comment limit), HTML for one self-contained page with every diff.
 */
import { InvalidArgumentError } from 'commander';
import type { PlanSet } from '../core/plan/plan-set.js';
import { renderPlanSetHtml } from '../core/plan/view-html.js';
import { renderPlanSetMarkdown } from '../core/plan/view-markdown.js';
import { renderPlanSetJson, renderPlanSetText } from '../core/plan/view-set.js';
import type { FormatFlags, PlanFormat } from './commands/options.js';

/** The format asked for; --json with another --format is refused. */
export function formatOf(flags: FormatFlags): PlanFormat {
  if (flags.json && flags.format !== undefined && flags.format !== 'json') throw new InvalidArgumentError(`--json is --format json: give either --json or --format ${flags.format}, not both`);
  return flags.json ? 'json' : (flags.format ?? 'text');
}

/** The plan (with its child apps, if any) in the format asked for. */
export function renderPlanSetAs(format: PlanFormat, set: PlanSet, opts: { readonly color: boolean }): string {
  switch (format) {
    case 'json':
      return renderPlanSetJson(set);
    case 'markdown':
      return renderPlanSetMarkdown(set);
    case 'html':
      return renderPlanSetHtml(set);
    case 'text':
      return renderPlanSetText(set, { color: opts.color });
  }
}
