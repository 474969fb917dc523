/**
 * The in-memory HostApi of component tests (DESIGN.md: "an in-memory one for component tests"):
 * host.ts's memoryHost with handlers answering from the fixtures, where every request the UI
 * sends is checked with the contract's request schema (an invalid request fails the call, as the
 * engine would refuse it) and every answer with its result schema. Calls are recorded in order.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { commands, type CommandRequest, type CommandResult, type EngineEvent } from '../../../core/api/contract.js';
import type { CommandId, HostApi } from '../../../core/api/contract.js';
import { EngineError, HostContext, memoryHost } from '../host.js';
import { APPS, CONTEXTS, REPO, ROLLBACK_PLAN, RUNS, SETTINGS, SHOP_PLAN, runDetails, searchRevisions } from './fixtures.js';

type Handler<C extends CommandId> = (request: CommandRequest<C>) => CommandResult<C> | Promise<CommandResult<C>>;
export type Handlers = { [C in CommandId]?: Handler<C> };

export interface TestHost extends HostApi {
  /** Sends an engine event to every listener (apply progress). */
  emit(event: EngineEvent): void;
  /** Every command the UI sent, in order, with its request as sent. */
  readonly calls: ReadonlyArray<{ readonly id: CommandId; readonly request: unknown }>;
  /** The requests of one command, in order. */
  requests<C extends CommandId>(id: C): Array<CommandRequest<C>>;
}

export const DEFAULT_HANDLERS: Handlers = {
  engineInfo: () => ({ version: '0.1.0-test', platform: 'linux', transport: 'memory' }),
  getStartup: () => ({}),
  openRepository: () => REPO,
  listRevisions: (r) => searchRevisions(r.query),
  listApps: () => APPS,
  listContexts: () => CONTEXTS,
  plan: (r) => ({ ...SHOP_PLAN, inputs: { ...SHOP_PLAN.inputs, cluster: { ...SHOP_PLAN.inputs.cluster!, context: r.context } } }),
  planChildren: () => ({ children: [], argoCdSyncs: false }),
  apply: (r) => ({ runId: 'run-0003', planId: r.planId }),
  cancelApply: () => ({ cancelled: true }),
  listRuns: () => RUNS,
  runDetails: (r) => runDetails(r.runId),
  objectHealth: (r) => ({ objects: r.keys.map((key) => ({ key, status: 'progressing' as const, message: 'waiting for the load balancer to get an address' })) }),
  planRollback: () => ROLLBACK_PLAN,
  planRevert: () => ROLLBACK_PLAN,
  runPlan: (r) => ({ ...SHOP_PLAN, id: RUNS.runs.find((run) => run.id === r.runId)?.planId ?? SHOP_PLAN.id }),
  exportPlan: (r) => ({ format: r.format, text: r.format === 'markdown' ? '## Slipway plan: shop → kind-dev\n' : '<!doctype html>\n<title>Slipway plan</title>\n', fileName: `slipway-shop-${'planId' in r ? r.planId : r.runId}.${r.format === 'markdown' ? 'md' : 'html'}`, mediaType: r.format === 'markdown' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8' }),
  canApply: () => ({ user: 'me', missing: [], unchecked: [] }),
  sourceSnippet: (r) => ({ file: r.file, line: r.line, startLine: Math.max(1, r.line - 1), lines: r.line > 1 ? ['data:', '  a: [1, 2'] : ['  a: [1, 2'] }),
  describeRevisions: () => ({ revisions: [] }),
  rememberRepository: (r) => ({ repositories: [{ dir: r.dir, ...(r.app !== undefined && { app: r.app }), ...(r.path !== undefined && { path: r.path }) }] }),
  listFolders: () => ({ path: '/home/me', home: '/home/me', repository: false, folders: [] }),
  getSettings: () => SETTINGS,
  saveSettings: (s) => ({ ...SETTINGS, settings: { ...SETTINGS.settings, ...s } }) as CommandResult<'saveSettings'>,
  // The chosen app was never applied to the chosen context: the drift badge says so and nothing else happens.
  watchDrift: (r) => ({ streamId: r.streamId, report: { app: { name: r.app ?? r.path ?? '', path: r.path ?? '' }, context: r.context, state: 'not-applied', message: `the history has no apply of ${r.app ?? r.path ?? ''} to the cluster of context ${r.context}`, objects: [], drifted: 0, pending: 0, watches: [] } }),
  stopDrift: () => ({ stopped: true }),
};

/** A HostApi answering from the fixtures; `handlers` replace single commands (throw an EngineError to fail one). */
export function testHost(handlers: Handlers = {}): TestHost {
  const calls: Array<{ id: CommandId; request: unknown }> = [];
  const all: Handlers = { ...DEFAULT_HANDLERS, ...handlers };
  const impl = Object.fromEntries(
    (Object.keys(all) as CommandId[]).map((id) => [
      id,
      async (request: unknown) => {
        calls.push({ id, request });
        const spec = (commands as Partial<Record<CommandId, { request: { safeParse(v: unknown): { success: boolean; error?: { message: string } } }; result: { parse(v: unknown): unknown } }>>)[id];
        const checked = spec?.request.safeParse(request);
        if (checked && !checked.success) throw new EngineError({ code: 'invalid-request', message: `the UI sent an invalid ${id} request: ${checked.error?.message ?? ''}` });
        const value = await (all[id] as (r: unknown) => unknown)(request);
        return spec ? spec.result.parse(value) : value;
      },
    ]),
  );
  const host = memoryHost(impl);
  return {
    ...host,
    calls,
    requests: <C extends CommandId>(id: C) => calls.filter((c) => c.id === id).map((c) => c.request as CommandRequest<C>),
  };
}

/** Renders `ui` with `host` injected, as main.tsx does with the real transport (`rerender` keeps it). */
export function renderWithHost(ui: ReactNode, host: HostApi = testHost()): RenderResult {
  return render(ui, { wrapper: (props: { children: ReactNode }) => <HostContext.Provider value={host}>{props.children}</HostContext.Provider> });
}

/** A promise with its resolve and reject, for commands the test answers later. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
