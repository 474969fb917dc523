/**
 * `--format text|json|markdown|html` of the commands that print a plan (plan, diff), with `--json`
 * kept as the short form of `--format json`. Each format is a view of the plan (core/plan/view-*):
 * text for a terminal, JSON for scripts, Markdown for a pull-request comment (capped under
 * GitHub's comment limit), HTML for one self-contained page with every diff.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { PlanSet } from '../core/plan/plan-set.js';
import { renderPlanSetHtml } from '../core/plan/view-html.js';
import { renderPlanSetMarkdown } from '../core/plan/view-markdown.js';
import { renderPlanSetJson, renderPlanSetText } from '../core/plan/view-set.js';

export const PLAN_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface FormatFlags {
  format?: PlanFormat;
  json?: boolean;
}

/** Adds --format and --json (its alias for JSON). */
export function addFormatOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'print the plan as text (the default), json, markdown (a pull-request comment, kept under GitHub\'s 65,536 characters) or html (one self-contained page with every diff)').choices(PLAN_FORMATS),
    )
    .option('--json', 'the same as --format json');
}

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
