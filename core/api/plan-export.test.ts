/**
 * exportPlan through the one dispatcher: the Markdown and HTML of a plan the engine holds (here a
 * past run's, read from history), the request validated, and the canary: a Secret value of the
 * plan is in none of what crosses to the UI (the plan itself, the Markdown, the HTML).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, richPlan } from '../../test/support/view-plans.js';
import { openHistory } from '../history/history.js';
import type { Plan } from '../plan/types.js';
import { renderPlanHtml } from '../plan/view-html.js';
import { renderPlanMarkdown } from '../plan/view-markdown.js';
import { dispatch } from './dispatch.js';
import { createHandlers, type EngineHandlers } from './handlers.js';
import { exportPlan } from './plan-export.js';

let dir: string;
let handlers: EngineHandlers;
let runId: string;
const plan = richPlan();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-export-'));
  const history = openHistory({ path: join(dir, 'history.db') });
  runId = history.startRun({ plan, kind: 'apply', user: { kube: 'me' } });
  history.close();
  handlers = createHandlers({ transport: 'memory', historyPath: join(dir, 'history.db'), settingsPath: join(dir, 'settings.json'), env: { HOME: dir } });
});
afterAll(async () => {
  await handlers.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exportPlan', () => {
  it.each([
    ['markdown', 'md', 'text/markdown; charset=utf-8'],
    ['html', 'html', 'text/html; charset=utf-8'],
  ])('gives a past run\'s plan as %s, with a file name to save it under', async (format, extension, mediaType) => {
    const reply = await dispatch(handlers, 'export-plan', { runId, format });
    expect(reply).toEqual({ ok: true, value: { format, text: expect.any(String), fileName: `slipway-shop-${plan.id}.${extension}`, mediaType } });
  });

  it('is the plan\'s view: the same text as the CLI prints', async () => {
    const shown = await dispatch(handlers, 'run-plan', { runId });
    expect(shown.ok).toBe(true);
    const recorded = (shown as { value: Plan }).value;
    const md = await dispatch(handlers, 'export-plan', { runId, format: 'markdown' });
    const html = await dispatch(handlers, 'export-plan', { runId, format: 'html' });
    expect(md).toMatchObject({ ok: true, value: { text: renderPlanMarkdown(recorded) } });
    expect(html).toMatchObject({ ok: true, value: { text: renderPlanHtml(recorded) } });
  });

  it('never carries a Secret value to the UI: not in the plan, the Markdown or the HTML', async () => {
    const payloads = await Promise.all([dispatch(handlers, 'run-plan', { runId }), dispatch(handlers, 'export-plan', { runId, format: 'markdown' }), dispatch(handlers, 'export-plan', { runId, format: 'html' })]);
    for (const p of payloads) {
      expect(p.ok).toBe(true);
      const wire = JSON.stringify(p);
      expect(wire).not.toContain(CANARY);
      expect(wire).not.toContain(Buffer.from(CANARY).toString('base64').slice(0, 24));
      expect(wire).toMatch(/Secret shop\/tls|"kind":"Secret","namespace":"shop","name":"tls"/);
    }
  });

  it('exports only plans the engine holds', async () => {
    expect(await dispatch(handlers, 'export-plan', { planId: 'plan-0123456789abcdef', format: 'markdown' })).toMatchObject({ ok: false, error: { code: 'unknown-plan', hint: expect.stringContaining('plan again') } });
    expect(await dispatch(handlers, 'export-plan', { runId: 'run-nope', format: 'html' })).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
  });

  it.each([
    ['an unknown format', { runId: 'run-1', format: 'pdf' }],
    ['no format', { runId: 'run-1' }],
    ['both a plan and a run', { runId: 'run-1', planId: 'plan-1', format: 'html' }],
    ['a plan sent instead of an id', { plan: { changes: [] }, format: 'html' }],
  ])('refuses %s', async (_what, request) => {
    expect(await dispatch(handlers, 'export-plan', request)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it.each([
    ['shop', 'slipway-shop-'],
    ['../../etc/passwd', 'slipway-etc-passwd-'],
    ['web app/π', 'slipway-web-app-'],
  ])('names the file after the app %j, safely', (name, prefix) => {
    const exported = exportPlan({ ...plan, inputs: { ...plan.inputs, app: { ...plan.inputs.app, name } } }, 'html');
    expect(exported.fileName.startsWith(prefix)).toBe(true);
    expect(exported.fileName).toMatch(/^[A-Za-z0-9._-]+\.html$/);
  });
});
