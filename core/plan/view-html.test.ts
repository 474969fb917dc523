/**
 * The HTML view: one self-contained page (golden files in testdata/views), every text escaped,
 * nothing loaded from anywhere, every diff (uncapped), and the canary: no Secret value in it.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test/support/golden.js';
import { finalizePlan } from './assemble.js';
import { CANARY, INPUTS, comparisonPlan, key, noChangesPlan, planSet, richPlan } from '../../test/support/view-plans.js';
import type { Plan } from './types.js';
import { esc, renderPlanHtml, renderPlanSetHtml } from './view-html.js';
import { renderPlanMarkdown } from './view-markdown.js';

const golden = (name: string) => new URL(`./testdata/views/${name}`, import.meta.url).pathname;

/** Text of the page without its tags and with entities decoded, as a reader sees it. */
const visible = (html: string): string =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('renderPlanHtml', () => {
  it('every kind of change, findings first, diagnostics, hooks, kept objects, why-this-change', () => {
    expectGolden(golden('plan.html'), renderPlanHtml(richPlan()));
  });

  it('two revisions compared without a cluster', () => {
    expectGolden(golden('comparison.html'), renderPlanHtml(comparisonPlan()));
  });

  it('an app of apps', () => {
    expectGolden(golden('plan-set.html'), renderPlanSetHtml(planSet()));
  });

  it('an up-to-date cluster', () => {
    const html = renderPlanHtml(noChangesPlan());
    expect(visible(html)).toContain('No changes. The cluster matches the revision.');
    expect(html).not.toContain('<details');
  });

  it('is a self-contained page: no script, no external asset, a policy that allows none', () => {
    const html = renderPlanHtml(richPlan());
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
  });

  it('escapes every text of the plan', () => {
    const html = renderPlanHtml(richPlan());
    expect(html).toContain('<span class="add">+  GREETING: say ```hello``` &amp; &lt;b&gt;welcome&lt;/b&gt;</span>');
    expect(html).toContain('web: 1.5.0 (fixes the cart &lt;total&gt; | rounding)');
    expect(html).not.toContain('<b>welcome</b>');
    const hostile: Plan = finalizePlan({
      inputs: { ...INPUTS, app: { ...INPUTS.app, name: '"><script>alert(1)</script>' } },
      changes: [],
      diagnostics: [{ severity: 'error', code: 'x', message: '</pre><img src=x onerror=alert(1)>' }],
      createdAt: '2025-03-20T16:12:30Z',
    });
    const page = renderPlanHtml(hostile);
    expect(page).not.toMatch(/<script|<img/);
    expect(visible(page)).toContain('</pre><img src=x onerror=alert(1)>');
  });

  it.each([
    ['<a href="x">&\'', '&lt;a href=&quot;x&quot;&gt;&amp;&#39;'],
    ['plain', 'plain'],
  ])('esc(%j)', (input, output) => {
    expect(esc(input)).toBe(output);
  });

  it('shows every diff, however long (the Markdown view is the one that is capped)', () => {
    const cm = (name: string, lines: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: Object.fromEntries(Array.from({ length: lines }, (_, j) => [`k${j}`, `v${j}`])) });
    const plan = finalizePlan({
      inputs: INPUTS,
      changes: ['a', 'b', 'c'].map((n) => ({ key: key('ConfigMap', n, { namespace: 'shop' }), action: 'create' as const, flags: [], after: `${JSON.stringify(cm(n, 4000))}\n`.replace(/,/g, ',\n'), changedPaths: [] })),
      diagnostics: [],
      createdAt: '2025-03-20T16:12:30Z',
    });
    const html = renderPlanHtml(plan);
    expect(html.length).toBeGreaterThan(100_000);
    expect(html.match(/<pre class="diff">/g)).toHaveLength(3);
    expect(renderPlanMarkdown(plan).length).toBeLessThan(65_536);
  });

  it('is deterministic', () => {
    expect(renderPlanHtml(richPlan())).toBe(renderPlanHtml(richPlan()));
  });
});

describe('Secrets in the HTML view', () => {
  it.each([
    ['a plan', () => renderPlanHtml(richPlan())],
    ['a comparison', () => renderPlanHtml(comparisonPlan())],
    ['an app of apps', () => renderPlanSetHtml(planSet())],
  ])('%s never shows a Secret value (the canary), in any form', (_what, render) => {
    const html = render();
    expect(html).not.toContain(CANARY);
    expect(html).not.toContain(Buffer.from(CANARY).toString('base64').slice(0, 24));
    expect(visible(html)).toMatch(/Secret shop\/[\s\S]*data.password/);
  });
});
