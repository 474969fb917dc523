/**
 * Comparisons with the same views as a plan: one revision against another (no cluster needed),
 * and the live state of a revision's objects in one context against another (staging vs prod).
 * They are Plans in compare mode, which apply refuses.
 */
import type { KubeClient } from '../kube/client.js';
import { resourceFor } from '../kube/discovery.js';
import { discover, resolveTarget } from '../kube/target.js';
import type { KubeObject } from '../kube/types.js';
import { applySetId, earlierParentForApp, parentRef } from '../model/applyset.js';
import { identityOf, keyOfObject } from '../model/resource.js';
import type { RenderResult } from '../render/render.js';
import type { App } from '../source/apps.js';
import { changeFromObjects, finalizePlan } from './assemble.js';
import { computeFindings } from './findings/index.js';
import type { JsonObject } from './json.js';
import { readLiveObjects } from './live.js';
import type { Change, Plan, PlanInputs } from './types.js';

function baseInputs(app: App, render: RenderResult, repo: string): Omit<PlanInputs, 'mode' | 'cluster'> {
  // A comparison is never applied: its parent is only a label, named as Slipway 0.1 did (no identity needed).
  const parent = earlierParentForApp({ name: app.name, ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }) });
  return {
    app: { name: app.name, path: app.path, sourceType: render.sourceType, ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }) },
    repo,
    commit: render.revision.kind === 'commit' ? render.revision.oid : ':working',
    treeOid: render.treeOid,
    renderedHash: render.renderedHash,
    applySet: { parent: parentRef(parent), id: applySetId(parent) },
  };
}

/** What changes in the app's objects from revision `before` to revision `after`, as rendered (no server defaults). */
export function compareRevisions(opts: { app: App; before: RenderResult; after: RenderResult; repo: string; labels: { before: string; after: string }; now?: () => Date }): Plan {
  const { app, before, after } = opts;
  const olds = new Map(before.objects.map((o) => [identityOf(o.key), o]));
  const news = new Map(after.objects.map((o) => [identityOf(o.key), o]));
  const changes: Change[] = [];
  for (const id of new Set([...olds.keys(), ...news.keys()])) {
    const o = olds.get(id);
    const n = news.get(id);
    const key = (n ?? o)!.key;
    changes.push(
      changeFromObjects({
        key,
        ...(o && { live: o.manifest as JsonObject }),
        ...(n && { predicted: n.manifest as JsonObject, desired: n.manifest as JsonObject, source: n.source }),
        ignore: app.options.ignoreDifferences,
      }),
    );
  }
  return finalizePlan({
    inputs: { ...baseInputs(app, after, opts.repo), mode: { kind: 'compare', compared: 'revisions', before: opts.labels.before, after: opts.labels.after } },
    changes,
    diagnostics: [...before.diagnostics, ...after.diagnostics],
    // What the change from one revision to the other does, by the rules that need no cluster (as rendered: server defaults assumed).
    findings: computeFindings({ changes }),
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
  });
}

/** How the live objects of a revision differ between two contexts: `before` is one context's live state, `after` the other's. */
export async function compareContexts(opts: { app: App; render: RenderResult; repo: string; before: KubeClient; after: KubeClient; now?: () => Date }): Promise<Plan> {
  const { app, render } = opts;
  const defaultNamespace = (client: KubeClient): string => app.destination.namespace ?? client.namespace;
  const [liveBefore, liveAfter, target] = await Promise.all([readLive(opts.before, render, defaultNamespace(opts.before)), readLive(opts.after, render, defaultNamespace(opts.after)), resolveTarget(opts.after)]);
  const changes: Change[] = [];
  for (const o of render.objects) {
    const b = liveBefore.get(identityOf(o.key));
    const a = liveAfter.get(identityOf(o.key));
    if (!a && !b) continue;
    changes.push(changeFromObjects({ key: keyOfObject(a ?? b!), ...(b && { live: b as JsonObject }), ...(a && { predicted: a as JsonObject }), source: o.source, ignore: app.options.ignoreDifferences }));
  }
  const missing = render.objects.filter((o) => !liveBefore.has(identityOf(o.key)) && !liveAfter.has(identityOf(o.key))).length;
  return finalizePlan({
    inputs: {
      ...baseInputs(app, render, opts.repo),
      cluster: { context: target.context, server: target.server, uid: target.clusterUid, version: target.serverVersion.gitVersion },
      mode: { kind: 'compare', compared: 'contexts', before: `live state in ${opts.before.context}`, after: `live state in ${opts.after.context}` },
    },
    changes,
    diagnostics: missing > 0 ? [{ severity: 'info', code: 'absent-in-both', message: `${missing} object${missing === 1 ? '' : 's'} of the revision exist in neither context` }] : [],
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
  });
}


/** Live objects for the revision's keys, namespaces defaulted as apply would. */
async function readLive(client: KubeClient, render: RenderResult, defaultNamespace: string): Promise<Map<string, KubeObject>> {
  const discovery = await discover(client);
  const byKey = new Map<string, string>();
  const keys = render.objects.map((o) => {
    const namespaced = resourceFor(discovery, o.key)?.namespaced ?? true;
    const key = namespaced ? { ...o.key, namespace: o.key.namespace ?? defaultNamespace } : o.key;
    byKey.set(identityOf(key), identityOf(o.key));
    return key;
  });
  const live = await readLiveObjects(client, keys);
  return new Map([...live].map(([id, obj]) => [byKey.get(id) ?? id, obj]));
}
