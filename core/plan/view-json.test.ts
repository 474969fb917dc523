import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test/support/golden.js';
import { buildChange, finalizePlan } from './assemble.js';
import { computeFindings } from './findings/index.js';
import { parsePlan } from './plan-file.js';
import type { Plan } from './types.js';
import { renderPlanJson } from './view-json.js';

const plan: Plan = finalizePlan({
  inputs: {
    app: { name: 'shop', path: 'apps/shop', sourceType: 'directory' },
    repo: '/src/shop',
    commit: ':working',
    treeOid: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
    renderedHash: 'sha256:00',
    cluster: { context: 'dev', server: 'https://127.0.0.1:6443', uid: 'k', version: 'v1.31.2' },
    mode: { kind: 'normal' },
    applySet: { parent: 'Secret/shop/applyset-shop', id: 'applyset-x-v1' },
  },
  changes: [
    buildChange({
      key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' },
      before: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop' }, data: { a: '1' } },
      after: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop' }, data: { a: '2' } },
      liveResourceVersion: '12',
      source: { file: 'apps/shop/cm.yaml', documentIndex: 0, line: 1 },
    }),
  ],
  diagnostics: [{ severity: 'info', code: 'note', message: 'hello', location: { file: 'apps/shop/cm.yaml', line: 1 } }],
  createdAt: '2025-03-20T16:12:30Z',
});

describe('renderPlanJson', () => {
  it('is the plan itself, loadable again', () => {
    const text = renderPlanJson(plan);
    expectGolden(new URL('./testdata/views/plan.json', import.meta.url).pathname, text);
    expect(parsePlan(text, { file: 'plan.json' })).toStrictEqual(plan);
  });

  it('carries nothing that was attached to the plan object at run time', () => {
    const change = plan.changes[0]!;
    const polluted = {
      ...plan,
      live: [{ kind: 'Secret', data: { password: 'aHVudGVyMg==' } }],
      changes: [{ ...change, manifest: { stringData: { password: 'hunter2' } }, key: { ...change.key, raw: 'x' }, source: { ...change.source!, text: 'hunter2' } }],
      diagnostics: [{ ...plan.diagnostics[0]!, cause: 'hunter2', location: { file: 'a.yaml', secret: 'hunter2' } }],
    } as unknown as Plan;
    const text = renderPlanJson(polluted);
    expect(text).not.toMatch(/hunter2|aHVudGVyMg|"raw"|"live"|"manifest"|"cause"/);
    expect(JSON.parse(text)).toStrictEqual({ ...plan, diagnostics: [{ ...plan.diagnostics[0]!, location: { file: 'a.yaml' } }] });
  });

  it('keeps the sync options a change is sent with and the confirm and kept flags, and loads them again', () => {
    const withOptions = finalizePlan({
      inputs: plan.inputs,
      changes: [
        { ...plan.changes[0]!, flags: ['confirm'], syncOptions: ['Prune=confirm', 'PruneLast=true'] },
        { ...plan.changes[0]!, key: { ...plan.changes[0]!.key, name: 'kept' }, action: 'noop', flags: ['kept'], message: 'not pruned' },
      ],
      diagnostics: [],
      createdAt: plan.createdAt,
    });
    const text = renderPlanJson(withOptions);
    expect(JSON.parse(text).changes.map((c: { flags: string[]; syncOptions?: string[] }) => [c.flags, c.syncOptions])).toEqual([
      [['kept'], undefined],
      [['confirm'], ['Prune=confirm', 'PruneLast=true']],
    ]);
    expect(parsePlan(text, { file: 'plan.json' })).toStrictEqual(withOptions);
  });

  it('keeps the app\'s wait per kind in its inputs, and loads it again (a plan without it loads as before)', () => {
    const withWaits = finalizePlan({ inputs: { ...plan.inputs, app: { ...plan.inputs.app, wait: { 'Deployment.apps': 'strict', Service: 'applied' } } }, changes: plan.changes, diagnostics: [], createdAt: plan.createdAt });
    const text = renderPlanJson(withWaits);
    expect(JSON.parse(text).inputs.app.wait).toEqual({ 'Deployment.apps': 'strict', Service: 'applied' });
    expect(parsePlan(text, { file: 'plan.json' })).toStrictEqual(withWaits);
    expect(withWaits.id).not.toBe(finalizePlan({ inputs: plan.inputs, changes: plan.changes, diagnostics: [], createdAt: plan.createdAt }).id);
    const bad = JSON.parse(text) as { inputs: { app: { wait: Record<string, string> } } };
    bad.inputs.app.wait.Service = 'sometimes';
    expect(() => parsePlan(JSON.stringify(bad), { file: 'plan.json' })).toThrow(/inputs\.app\.wait\.Service/);
  });

  it('carries the findings in their documented shape (kind, rule, severity, subject, cause, message, paths), and loads them again', () => {
    const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { LOG_LEVEL: value } });
    const api = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:2.1.0', envFrom: [{ configMapRef: { name: 'settings' } }] }] } } },
    };
    const changes = [
      buildChange({ key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }, before: cm('info'), after: cm('debug'), liveResourceVersion: '7' }),
      buildChange({ key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'api' }, before: api, after: api, liveResourceVersion: '8' }),
    ];
    const withFindings = finalizePlan({ inputs: plan.inputs, changes, diagnostics: [], findings: computeFindings({ changes }), createdAt: plan.createdAt });
    const text = renderPlanJson(withFindings);
    expectGolden(new URL('./testdata/views/plan-findings.json', import.meta.url).pathname, text);
    expect(parsePlan(text, { file: 'plan.json' })).toStrictEqual(withFindings);
  });
});
