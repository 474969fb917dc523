/**
 * Apply never re-plans (DESIGN.md rule 1): it renders the plan's commit again, checks that the
 * rendering is byte-for-byte what the plan saw (rendered hash and each object's hash), and then
 * sends exactly those objects. Secrets therefore never need to be stored in a plan file.
 */
import type { Repository } from '../git/types.js';
import { WORKING_COPY } from '../git/types.js';
import type { KubeClient } from '../kube/client.js';
import { discover, resolveTarget } from '../kube/target.js';
import type { Manifest } from '../model/desired.js';
import { SlipwayError } from '../model/diagnostics.js';
import { formatKey, identityOf } from '../model/resource.js';
import { manifestHash } from '../plan/assemble.js';
import { hookId, splitHooks, type SettledHook } from '../plan/hooks.js';
import { namespaceToCreate, settleAll, type Settled } from '../plan/settle.js';
import type { JsonObject } from '../plan/json.js';
import type { Plan } from '../plan/types.js';
import { helmCapabilities } from '../render/capabilities.js';
import { renderApp } from '../render/render.js';
import type { ToolPaths } from '../render/tools.js';
import { SECRET_HASH_KEY_ENV, secretHashKeyId } from '../secret-key.js';
import { selectionOf } from '../source/load.js';
import { resolveApp } from '../plan/child-apps.js';
import type { History } from '../history/history.js';
import { stale } from './freshness.js';
import { revertSource } from './revert.js';
import { staleRenderError } from './stale-render.js';
import { withOverrides, type App } from '../source/apps.js';

export interface DesiredForPlan {
  readonly app: App;
  /** By identityOf(key): the object to send, as settled when the plan was made. */
  readonly objects: ReadonlyMap<string, Settled>;
  /** By hookId: the hooks to run, as settled when the plan was made. */
  readonly hooks: ReadonlyMap<string, SettledHook>;
}

export async function desiredForPlan(plan: Plan, opts: { repo: Repository; client: KubeClient; cacheDir: string; tools?: ToolPaths; history?: History }): Promise<DesiredForPlan> {
  const { inputs } = plan;
  if (inputs.secretHashKey !== undefined && inputs.secretHashKey !== secretHashKeyId()) {
    throw new SlipwayError('plan-stale', `this plan was made with another Secret hash key (${inputs.secretHashKey}; this machine's is ${secretHashKeyId()}): it was planned on another machine or by another user, so its Secrets cannot be checked here`, {
      hint: `plan again here; to apply plans made elsewhere (CI), give both sides the same key in ${SECRET_HASH_KEY_ENV}`,
    });
  }
  const discovery = await discover(opts.client, { refresh: true });
  let app: App;
  let render;
  if (inputs.mode.kind === 'revert') {
    const reverted = inputs.mode.of;
    // A revert plan's objects come from the reverted run's snapshots, rebuilt the same way.
    if (!opts.history) throw new SlipwayError('history-needed', 'a revert plan is applied from history: open the history database');
    ({ app, render } = await revertSource({ history: opts.history, runId: reverted, repo: opts.repo, cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) }));
    if (render.renderedHash !== inputs.renderedHash) throw stale(`the objects restored from run ${reverted} differ from when the plan was made`);
  } else {
    const revision = await opts.repo.resolve(inputs.commit === ':working' ? WORKING_COPY : inputs.commit);
    const selection = selectionOf(inputs.app);
    // Rendered as planned: in the plan's namespace, with its createNamespace (Helm's release namespace is part of the bytes).
    // resolveApp: a child app of an app of apps is found again by rendering its parent.
    app = withOverrides((await resolveApp(opts.repo, revision, selection, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) })).app, { ...(inputs.app.namespace !== undefined && { namespace: inputs.app.namespace }), ...(inputs.app.createNamespace && { createNamespace: true }) }, opts.client.namespace);
    // Helm renders for the target as it is now (its version and served APIs), as the plan rendered for it then.
    const capabilities = helmCapabilities(await resolveTarget(opts.client), discovery);
    render = await renderApp(opts.repo, revision, app, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }), capabilities, ...(inputs.charts && { pinnedCharts: inputs.charts }) });
    if (render.renderedHash !== inputs.renderedHash) {
      // One more render tells an app that renders differently on every run from one whose tools or values changed; both name the objects.
      const selected = app;
      throw await staleRenderError({
        plan,
        render,
        renderAgain: () => renderApp(opts.repo, revision, selected, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }), capabilities, ...(inputs.charts && { pinnedCharts: inputs.charts }) }),
        settle: async (again) => {
          const discovery = await discover(opts.client, { refresh: true });
          const defaultNamespace = inputs.app.namespace ?? selected.destination.namespace ?? opts.client.namespace;
          const split = splitHooks(again, { discovery, defaultNamespace });
          return [...settleAll(split, { discovery, id: inputs.applySet.id, defaultNamespace, diagnostics: [] }), ...split.hooks.map((h) => h.settled)];
        },
      });
    }
  }
  const namespace = inputs.app.namespace ?? app.destination.namespace ?? opts.client.namespace;
  const split = splitHooks(render, { discovery, defaultNamespace: namespace });
  const settled = settleAll(split, { discovery, id: inputs.applySet.id, defaultNamespace: namespace, diagnostics: [] });
  // The namespace createNamespace asked for, when the plan creates it (it is no ApplySet member).
  const createsNamespace = inputs.app.createNamespace && plan.changes.some((c) => c.action === 'create' && c.key.group === '' && c.key.kind === 'Namespace' && c.key.name === namespace);
  if (createsNamespace && !settled.some((s) => s.key.group === '' && s.key.kind === 'Namespace' && s.key.name === namespace)) settled.unshift(namespaceToCreate(namespace, discovery, app));
  const objects = new Map(settled.map((s) => [identityOf(s.key), s]));
  for (const change of plan.changes) {
    if (change.desiredHash === undefined || change.action === 'noop' || change.action === 'delete') continue;
    const s = objects.get(identityOf(change.key));
    if (!s || manifestHash(s.manifest as JsonObject) !== change.desiredHash) throw stale(`${formatKey(change.key)} is not what the plan saw`);
  }
  const hooks = new Map(split.hooks.map((h) => [hookId({ key: h.settled.key, ...(h.generateName && { generateName: true }) }), h]));
  for (const planned of plan.hooks) {
    if (planned.skipped !== undefined) continue;
    const h = hooks.get(hookId(planned));
    if (!h || manifestHash(h.settled.manifest) !== planned.desiredHash) throw stale(`hook ${formatKey(planned.key)} is not what the plan saw`);
  }
  return { app, objects, hooks };
}

export type { Manifest };
