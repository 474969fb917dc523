import { describe, expect, it } from 'vitest';
import { findingsByObject, findingsOf, severityCounts, worstSeverity, type Finding } from './findings.js';

const key = (name: string, version = 'v1') => ({ group: 'apps', version, kind: 'Deployment', namespace: 'shop', name });
const f = (severity: Finding['severity'], name: string): Finding => ({ kind: 'impact', rule: 'r', severity, subject: key(name), message: `${severity} ${name}` });

describe('findings for the UI', () => {
  it('groups findings by the object they are about, whatever the API version of the change', () => {
    const byObject = findingsByObject([f('info', 'web'), f('warning', 'api'), f('danger', 'web')]);
    expect(findingsOf(byObject, { key: key('web', 'v1beta2') }).map((x) => x.message)).toEqual(['info web', 'danger web']);
    expect(findingsOf(byObject, { key: key('db') })).toEqual([]);
  });

  it.each<[Finding['severity'][], string | undefined, string]>([
    [[], undefined, ''],
    [['info', 'info'], 'info', '2 info'],
    [['info', 'warning', 'warning'], 'warning', '2 warnings · 1 info'],
    [['warning', 'danger'], 'danger', '1 danger · 1 warning'],
  ])('%j: the most severe is %s, counted as "%s"', (severities, worst, counts) => {
    const list = severities.map((s) => f(s, 'web'));
    expect(worstSeverity(list)).toBe(worst);
    expect(severityCounts(list)).toBe(counts);
  });
});
