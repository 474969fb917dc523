/**
 * The README's "Impact and risks" section names every rule of core/plan/findings (Finding.rule),
 * with the severity a risk rule has in its table, and the screenshot of the panel it shows exists:
 * the page cannot fall behind the rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_RULES } from '../../core/plan/findings/index.js';
import { RISK_RULES } from '../../core/plan/findings/risks.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf('## Impact and risks');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
/** The table's rows: the rules of a row ("`a`, `b`") and its severity column. */
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .map((l) => {
    const [rules, , severity] = l.split('|').slice(1).map((c) => c.trim());
    return { rules: [...(rules ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!), severity: severity ?? '' };
  });

describe('README: Impact and risks', () => {
  it('is there', () => {
    expect(start).toBeGreaterThan(0);
    expect(section.length).toBeGreaterThan(1000);
  });

  it.each(FINDING_RULES.map((r) => [r]))('names the rule %s in its table', (rule) => {
    expect(rows.some((r) => r.rules.includes(rule)), `${rule} is not in the README's table`).toBe(true);
  });

  it.each(RISK_RULES.map((r) => [r.rule, r.severity]))('gives %s its severity, %s', (rule, severity) => {
    expect(rows.find((r) => r.rules.includes(rule))?.severity).toBe(severity);
  });

  it('names no rule that does not exist', () => {
    expect(rows.flatMap((r) => r.rules).filter((r) => !FINDING_RULES.includes(r))).toEqual([]);
  });

  it.each(['plan-impact-light.png', 'plan-impact-dark.png'])('shows %s, which exists', (file) => {
    expect(readme).toContain(`(docs/screenshots/${file})`);
    expect(existsSync(new URL(`docs/screenshots/${file}`, root))).toBe(true);
  });
});
