/**
 * Reading a saved plan (plan.json) back: the format version it was written in, its shape, and
 * that its content still matches its id. Writing is the JSON view (./view-json.ts).
 */
import { SlipwayError } from '../model/diagnostics.js';
import { planId } from './assemble.js';
import { isPlainObject } from './json.js';
import { planSchema } from './schema.js';
import type { Plan } from './types.js';
import { PLAN_FORMAT_VERSION } from './types.js';

/**
 * Loads a plan.json. Refuses another formatVersion (saying which the file has and which this
 * Slipway reads), names the field path of any other problem, and refuses a plan whose content
 * no longer matches its id (edited after it was made).
 */
export function parsePlan(text: string, opts: { readonly file: string }): Plan {
  const { file } = opts;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new SlipwayError('plan-invalid', `${file} is not valid JSON: ${(err as Error).message}`, { location: { file } });
  }
  checkFormatVersion(value, file);
  const result = planSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map((issue) => `${formatIssuePath(issue.path) || '(top level)'}: ${issue.message}`);
    const more = result.error.issues.length > 10 ? `\n  … and ${result.error.issues.length - 10} more` : '';
    throw new SlipwayError('plan-invalid', `${file} is not a valid plan:\n  ${problems.join('\n  ')}${more}`, { location: { file } });
  }
  const plan: Plan = result.data;
  const expected = planId(plan);
  if (plan.id !== expected) {
    throw new SlipwayError('plan-modified', `${file}: the plan's content does not match its id ${plan.id} (it hashes to ${expected}): it was changed after it was made`, {
      location: { file },
      hint: 'make a new plan',
    });
  }
  return plan;
}

function checkFormatVersion(value: unknown, file: string): void {
  if (!isPlainObject(value) || !('formatVersion' in value)) {
    throw new SlipwayError('plan-invalid', `${file} is not a Slipway plan: it has no formatVersion`, { location: { file } });
  }
  const version = value.formatVersion;
  if (version === PLAN_FORMAT_VERSION) return;
  const newer = typeof version === 'number' && version > PLAN_FORMAT_VERSION;
  throw new SlipwayError('plan-format-version', `${file} has plan formatVersion ${JSON.stringify(version)}; this Slipway reads formatVersion ${PLAN_FORMAT_VERSION}`, {
    location: { file },
    hint: newer ? 'use the Slipway version that made the plan, or a newer one' : 'make a new plan with this Slipway',
  });
}

/** ["changes", 3, "key", "kind"] → "changes[3].key.kind" */
function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * A plan as stored by an earlier Slipway, in this format where the step is only additions: format 5
 * added `findings` and `Change.why`, so a format-4 plan reads as one without them. Others stay as
 * they are (their readers say which format they have).
 */
export function upgradeStoredPlan(plan: Plan): Plan {
  if ((plan.formatVersion as number) === 4) return { ...plan, formatVersion: PLAN_FORMAT_VERSION, findings: [] };
  return plan;
}
