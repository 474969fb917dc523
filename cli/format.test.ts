import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { planSet } from '../test/support/view-plans.js';
import { addFormatOptions, type PlanFormat } from './commands/options.js';
import { formatOf, renderPlanSetAs } from './format.js';

function parse(...args: string[]): { format?: PlanFormat; json?: boolean } {
  const cmd = addFormatOptions(new Command('plan')).exitOverride().configureOutput({ writeErr: () => undefined });
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('--format', () => {
  it.each<[string[], PlanFormat]>([
    [[], 'text'],
    [['--format', 'text'], 'text'],
    [['--format', 'json'], 'json'],
    [['--json'], 'json'],
    [['--json', '--format', 'json'], 'json'],
    [['--format', 'markdown'], 'markdown'],
    [['--format', 'html'], 'html'],
  ])('%j prints %s', (args, format) => {
    expect(formatOf(parse(...args))).toBe(format);
  });

  it('refuses an unknown format, naming the ones there are', () => {
    expect(() => parse('--format', 'xml')).toThrow("option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, markdown, html.");
  });

  it.each(['markdown', 'html', 'text'])('refuses --json with --format %s', (format) => {
    expect(() => formatOf(parse('--json', '--format', format))).toThrow(`--json is --format json: give either --json or --format ${format}, not both`);
  });

  it('renders each format from the same plan', () => {
    const set = planSet();
    expect(renderPlanSetAs('text', set, { color: false })).toContain('child app web of apps');
    expect(JSON.parse(renderPlanSetAs('json', set, { color: false })).children).toHaveLength(2);
    expect(renderPlanSetAs('markdown', set, { color: false })).toMatch(/^## Slipway plan: apps → kind-dev\n/);
    expect(renderPlanSetAs('html', set, { color: false })).toMatch(/^<!doctype html>\n/);
  });
});
