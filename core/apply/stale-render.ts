/**
 * Why an app renders differently at apply than when its plan was made, with the same commit.
 * A second render tells the two causes apart: if two renders of the same commit differ from each
 * other, the app is non-deterministic (random or time-based template functions) and no exact plan
 * can ever be applied; if they agree, something outside the commit changed since the plan (the
 * tools, values, the working copy). Either way the objects are named (names and hashes only:
 * a Secret's values never appear).
 */
import { SlipwayError } from '../model/diagnostics.js';
import { formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import { manifestHash } from '../plan/assemble.js';
import type { JsonObject } from '../plan/json.js';
import type { Plan } from '../plan/types.js';
import type { RenderResult } from '../render/render.js';

/** How many objects a message names before "and N more". */
const NAMED = 8;

export interface StaleRenderArgs {
  readonly plan: Plan;
  /** The render at apply that did not match the plan's rendered hash. */
  readonly render: RenderResult;
  /** Renders the same commit once more. */
  readonly renderAgain: () => Promise<RenderResult>;
  /** Settles a render exactly as apply does before comparing with the plan's per-object hashes. */
  readonly settle: (render: RenderResult) => Promise<readonly { readonly key: ResourceKey; readonly manifest: JsonObject }[]>;
}

/** The error that refuses the plan, naming the objects and the cause. */
export async function staleRenderError(args: StaleRenderArgs): Promise<SlipwayError> {
  const { plan } = args;
  const where = plan.inputs.commit === ':working' ? 'in the working copy' : `at ${plan.inputs.commit.slice(0, 12)}`;
  const again = await args.renderAgain();
  if (again.renderedHash !== args.render.renderedHash) {
    // Settled, so objects are named as the plan names them (with their namespace).
    const differing = differences(hashesOf(await args.settle(args.render)), hashesOf(await args.settle(again)), { onlyFirst: 'in one render only', onlySecond: 'in one render only' });
    const named = differing.length > 0 ? `: ${nameList(differing)}` : '';
    return new SlipwayError(
      'plan-stale',
      `plan is stale: app ${plan.inputs.app.name} renders differently on every run (random or time-based template functions such as randAlphaNum, uuidv4, now, genCA); two renders ${where} differ${named}. ` +
        'An exact plan cannot be applied for such an app: what apply would send is never what the plan showed. Pin the generated values (set them in values, or read an existing Secret with lookup) and plan again',
      { hint: 'make the render repeatable: set each generated value in values (or --set), or keep it in an existing Secret the chart reads with lookup; then plan again' },
    );
  }
  const planned = new Map<string, { key: ResourceKey; hash: string }>();
  // The namespace createNamespace adds is not rendered (apply adds it after this check): it is left out on both sides.
  const created = plan.inputs.app.createNamespace ? plan.inputs.app.namespace : undefined;
  const isCreatedNamespace = (key: ResourceKey): boolean => created !== undefined && key.group === '' && key.kind === 'Namespace' && key.name === created;
  for (const c of plan.changes) if (c.desiredHash !== undefined && c.action !== 'delete' && !isCreatedNamespace(c.key)) planned.set(identityOf(c.key), { key: c.key, hash: c.desiredHash });
  for (const h of plan.hooks) if (h.desiredHash !== undefined) planned.set(identityOf(h.key), { key: h.key, hash: h.desiredHash });
  const now = hashesOf((await args.settle(again)).filter((s) => !isCreatedNamespace(s.key)));
  const differing = differences(planned, now, { onlyFirst: 'no longer rendered', onlySecond: 'not in the plan' });
  const why = plan.inputs.commit === ':working' ? 'the working copy changed since the plan was made' : `the app renders differently ${where} than when the plan was made, the same on each run now (the tools, values or the time a template reads changed?)`;
  return new SlipwayError('plan-stale', `plan is stale: ${why}${differing.length > 0 ? `: ${nameList(differing)}` : ''}; plan again`, { hint: 'run slipway plan again and review the new plan' });
}

function hashesOf(objects: readonly { readonly key: ResourceKey; readonly manifest: JsonObject }[]): Hashes {
  return new Map(objects.map((o) => [identityOf(o.key), { key: o.key, hash: manifestHash(o.manifest) }]));
}

type Hashes = ReadonlyMap<string, { key: ResourceKey; hash: string }>;

/** Objects whose hash differs, or that are on one side only (labelled), in the order of the first side then the second. */
function differences(a: Hashes, b: Hashes, label: { onlyFirst: string; onlySecond: string }): string[] {
  const out: string[] = [];
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y) out.push(`${formatKey(x.key)} (${label.onlyFirst})`);
    else if (y.hash !== x.hash) out.push(formatKey(x.key));
  }
  for (const [id, y] of b) if (!a.has(id)) out.push(`${formatKey(y.key)} (${label.onlySecond})`);
  return out;
}

function nameList(names: readonly string[]): string {
  const shown = names.slice(0, NAMED).join(', ');
  return names.length > NAMED ? `${shown} and ${names.length - NAMED} more` : shown;
}
