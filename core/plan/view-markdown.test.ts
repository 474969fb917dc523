/**
 * The Markdown view (a pull-request comment): golden files in testdata/views, the cap under
 * GitHub's comment limit (diffs left out largest first, named in a note), escaping, and the
 * canary: no Secret value in any output.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test/support/golden.js';
import { buildChange, finalizePlan } from './assemble.js';
import { CANARY, INPUTS, comparisonPlan, key, noChangesPlan, planSet, richPlan } from '../../test/support/view-plans.js';
import type { Plan } from './types.js';
import { DEFAULT_MARKDOWN_LIMIT, GITHUB_COMMENT_LIMIT, mdCode, mdText, renderPlanMarkdown, renderPlanSetMarkdown } from './view-markdown.js';

const golden = (name: string) => new URL(`./testdata/views/${name}`, import.meta.url).pathname;

/** A plan of `n` ConfigMaps each created with `lines` lines of data: big diffs to cut. */
function bigPlan(sizes: readonly number[]): Plan {
  const changes = sizes.map((lines, i) => {
    const name = `cm-${String(i).padStart(3, '0')}`;
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: Object.fromEntries(Array.from({ length: lines }, (_, j) => [`key-${j}`, `value ${j} of ${name}`])) };
    return buildChange({ key: key('ConfigMap', name, { namespace: 'shop' }), after: cm, desired: cm });
  });
  return finalizePlan({ inputs: INPUTS, changes, diagnostics: [], createdAt: '2025-03-20T16:12:30Z' });
}

describe('renderPlanMarkdown', () => {
  it('every kind of change, findings first, diagnostics, hooks, kept objects, why-this-change', () => {
    expectGolden(golden('plan.md'), renderPlanMarkdown(richPlan()));
  });

  it('an up-to-date cluster', () => {
    expectGolden(golden('no-changes.md'), renderPlanMarkdown(noChangesPlan()));
  });

  it('two revisions compared without a cluster', () => {
    expectGolden(golden('comparison.md'), renderPlanMarkdown(comparisonPlan()));
  });

  it('an app of apps: the parent, an overview of the children, each child (or why it was not planned)', () => {
    expectGolden(golden('plan-set.md'), renderPlanSetMarkdown(planSet()));
  });

  it('is deterministic', () => {
    expect(renderPlanMarkdown(richPlan())).toBe(renderPlanMarkdown(richPlan()));
  });

  it('shows findings before the changes, danger before warning before info', () => {
    const md = renderPlanMarkdown(richPlan());
    const at = (s: string) => md.indexOf(s);
    expect(at('### Findings')).toBeGreaterThan(0);
    expect(at('### Findings')).toBeLessThan(at('### Diagnostics'));
    expect(at('### Diagnostics')).toBeLessThan(at('### Hooks'));
    expect(at('### Hooks')).toBeLessThan(at('### Changes'));
    expect(at('Danger (1)')).toBeLessThan(at('Warning (1)'));
    expect(at('Warning (1)')).toBeLessThan(at('Info (1)'));
  });

  it('leaves out the findings section when the plan has none', () => {
    expect(renderPlanMarkdown(noChangesPlan())).not.toContain('Findings');
  });

  it('balances every <details> and code fence', () => {
    const md = renderPlanMarkdown(richPlan());
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect((md.match(/^```+/gm)?.length ?? 0) % 2).toBe(0);
  });
});

describe('renderPlanMarkdown: the comment limit', () => {
  it('fits the whole plan when it is small, with no note', () => {
    const md = renderPlanMarkdown(bigPlan([10, 10]));
    expect(md).not.toContain('[!NOTE]');
    expect(md.match(/```diff/g)).toHaveLength(2);
  });

  it('stays under GitHub\'s 65,536 characters by default, leaving out the largest diffs first and naming them', () => {
    // 40 ConfigMaps of 100 lines and one of 2,000: about 150,000 characters in full.
    const sizes = [...Array.from({ length: 20 }, () => 100), 2000, ...Array.from({ length: 20 }, () => 100)];
    const full = renderPlanMarkdown(bigPlan(sizes), { maxLength: 10_000_000 });
    expect(full.length).toBeGreaterThan(2 * GITHUB_COMMENT_LIMIT);
    const md = renderPlanMarkdown(bigPlan(sizes));
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_LIMIT);
    expect(DEFAULT_MARKDOWN_LIMIT).toBeLessThan(GITHUB_COMMENT_LIMIT);
    // The largest went first; then equal ones from the end: the first ConfigMaps keep their diffs. The note names them in the plan's order.
    const note = md.slice(md.indexOf('> [!NOTE]'), md.indexOf('\n\n', md.indexOf('> [!NOTE]')));
    expect(note).toMatch(/^> \[!NOTE\]\n> To stay under GitHub's comment limit \(65,000 characters here\), the diffs of 22 objects are left out \(`ConfigMap shop\/cm-019`, `ConfigMap shop\/cm-020`, `ConfigMap shop\/cm-021`, .* and 12 more\)\. /);
    expect(note).toContain('Run `slipway plan` with the same options to see everything, or add `--format html` for one page with every diff.');
    const block = (name: string) => md.slice(md.indexOf(`<b>ConfigMap shop/${name}</b>`), md.indexOf('</details>', md.indexOf(`<b>ConfigMap shop/${name}</b>`)));
    expect(block('cm-000')).toContain('```diff');
    expect(block('cm-018')).toContain('```diff');
    expect(block('cm-019')).not.toContain('```diff');
    expect(block('cm-020')).toContain('_The diff (2006 lines) is left out to fit the comment: see the note at the top._');
    expect(block('cm-040')).not.toContain('```diff');
    // Every object is still listed.
    expect(md.match(/<details>/g)).toHaveLength(sizes.length);
  });

  it.each([2_000, 5_000, 20_000, 65_000])('never goes over maxLength %i', (max) => {
    const md = renderPlanMarkdown(bigPlan(Array.from({ length: 60 }, (_, i) => 5 + (i % 7) * 20)), { maxLength: max });
    expect(md.length).toBeLessThanOrEqual(max);
    expect(md).toContain('## Slipway plan: shop → kind-dev');
    expect(md).toContain('[!NOTE]');
  });

  it('lists fewer objects, from the end, when leaving out every diff is not enough, and says how many', () => {
    const md = renderPlanMarkdown(bigPlan(Array.from({ length: 200 }, () => 3)), { maxLength: 8_000 });
    expect(md.length).toBeLessThanOrEqual(8_000);
    expect(md).toMatch(/, and \d+ more changed objects are not listed \(`ConfigMap shop\/cm-\d+`, .* and \d+ more\)\. /);
    expect(md).toContain('<b>ConfigMap shop/cm-000</b>');
    expect(md).not.toContain('<b>ConfigMap shop/cm-199</b>');
  });

  it('keeps the header, the summary and a note when even the diagnostics do not fit', () => {
    const plan: Plan = { ...bigPlan([1]), diagnostics: Array.from({ length: 500 }, (_, i) => ({ severity: 'warning' as const, code: 'w', message: `warning number ${i} about something long enough to matter` })) };
    const md = renderPlanMarkdown(plan, { maxLength: 4_000 });
    expect(md.length).toBeLessThanOrEqual(4_000);
    expect(md).toContain('| + create |');
    expect(md).toContain('This plan is too large for a comment');
  });

  it('a comparison says to run slipway diff', () => {
    const md = renderPlanMarkdown(comparisonPlan(), { maxLength: 900 });
    expect(md.length).toBeLessThanOrEqual(900);
    expect(md).toContain('Run `slipway diff` with the same options');
  });
});

describe('Markdown escaping', () => {
  it.each([
    ['a *b* _c_ `d` [e](f) <g> | h ~i~ #1 \\', 'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) &lt;g&gt; \\| h \\~i\\~ \\#1 \\\\'],
    ['two\nlines', 'two lines'],
    ['&amp;', '&amp;amp;'],
    ['thanks @alice, see me@example.com', 'thanks @\u2060alice, see me@\u2060example.com'],
  ])('text %j', (input, output) => {
    expect(mdText(input)).toBe(output);
  });

  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
    ['a``b```c', '````a``b```c````'],
  ])('code %j', (input, output) => {
    expect(mdCode(input)).toBe(output);
  });

  it('fences a diff holding backticks with a longer fence, and escapes HTML in summaries', () => {
    const md = renderPlanMarkdown(richPlan());
    expect(md).toContain('````diff\n+apiVersion: v1\n+kind: ConfigMap');
    expect(md).toContain("+  GREETING: say ```hello``` & <b>welcome</b>");
    expect(md).toContain('web: 1.5.0 (fixes the cart &lt;total&gt; \\| rounding)');
  });
});

describe('Secrets in the Markdown view', () => {
  it.each([
    ['a plan', () => renderPlanMarkdown(richPlan())],
    ['a plan cut to fit', () => renderPlanMarkdown(richPlan(), { maxLength: 3_000 })],
    ['a comparison', () => renderPlanMarkdown(comparisonPlan())],
    ['an app of apps', () => renderPlanSetMarkdown(planSet())],
  ])('%s never shows a Secret value (the canary), in any form', (_what, render) => {
    const md = render();
    expect(md).not.toContain(CANARY);
    expect(md).not.toContain(Buffer.from(CANARY).toString('base64').slice(0, 24));
    expect(md).toContain('Secret shop/');
  });

  it('shows which keys of a Secret changed', () => {
    const md = renderPlanMarkdown(richPlan());
    expect(md).toContain('- `data.password`: changed');
    expect(md).toContain('(hidden)');
  });
});
