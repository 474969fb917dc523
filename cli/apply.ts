/**
 * slipway apply | rollback | revert: act on a reviewed plan, or undo one (cli/commands/apply.ts
 * defines their flags).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError } from 'commander';
import { planRevertOfRun, planRollbackToRevision, planRollbackToRun, type PlanFromRun } from '../core/engine/from-run.js';
import { applyGuard, checkConfirmation, checkDeleteConfirmation, deletesToConfirm } from '../core/engine/guard.js';
import { defaultSettingsPath, readSettings } from '../core/engine/settings.js';
import { applyPlan } from '../core/apply/service.js';
import type { ApplyOutcome } from '../core/apply/service.js';
import type { ApplyEvent } from '../core/apply/executor.js';
import { plansToApply, type SetToApply } from '../core/engine/apply-set.js';
import { planAppSet, type PlanSet } from '../core/plan/plan-set.js';
import { renderPlanSetText } from '../core/plan/view-set.js';
import { openHistory } from '../core/history/history.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { SlipwayError, hasErrors } from '../core/model/diagnostics.js';
import { formatKey } from '../core/model/resource.js';
import { parsePlan } from '../core/plan/plan-file.js';
import { planApp } from '../core/plan/service.js';
import type { Plan } from '../core/plan/types.js';
import { renderPlanText } from '../core/plan/view-text.js';
import { overridesOf, planRequestOf } from './app-overrides.js';
import type { ApplyFlags } from './commands/apply.js';
import { contextOf, historyPath, openRepositoryArg, selectionOf, treesCacheDir } from './common.js';
import { applyPrinter, exitCodeOf, lineBuffer } from './apply-output.js';

/**
 * The confirmation before an apply, by the engine's rule (core/engine/guard.ts). A protected app
 * or context always needs the context name: from --confirm-context, else typed on the terminal;
 * --auto-approve alone never passes it. Otherwise --auto-approve, a matching --confirm-context,
 * or "yes" on the terminal.
 */
async function confirm(plan: Plan, flags: ApplyFlags, opts: { plans?: number } = {}): Promise<boolean> {
  const file = defaultSettingsPath();
  const { settings, problem } = readSettings(file);
  if (problem) process.stderr.write(`slipway: warning: ${problem}\n`);
  const guard = applyGuard(plan, { protectedContexts: settings.protectedContexts, ...(flags.context !== undefined && { context: flags.context }) });
  const { context } = guard;
  const why = guard.protection && !plan.inputs.app.protected ? `${guard.protection} (protectedContexts in ${file})` : guard.protection;
  for (const note of applyNotes(plan, flags)) process.stderr.write(`${note}\n`);
  if (!(await confirmDeletes(plan, flags))) return false;
  if (flags.confirmContext !== undefined) {
    checkConfirmation(guard, flags.confirmContext, { what: '--confirm-context' });
    return true;
  }
  if (!why && flags.autoApprove) return true;
  if (!process.stdin.isTTY) {
    if (why) throw new SlipwayError('confirmation-needed', `${why}: applying needs the context name typed, and there is no terminal to ask; nothing was applied`, { hint: `review the plan, then run again with --confirm-context ${context}${flags.autoApprove ? ' (--auto-approve alone is not enough here)' : ''}` });
    throw new SlipwayError('confirmation-needed', 'apply needs a confirmation and there is no terminal to ask', { hint: 'review the plan, then run again with --auto-approve' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (why) {
      const answer = await rl.question(`${why[0]!.toUpperCase()}${why.slice(1)}. Type the context name (${context}) to apply: `);
      return answer.trim() === context;
    }
    const answer = await rl.question(`Apply ${(opts.plans ?? 1) > 1 ? `these ${opts.plans} plans` : 'this plan'} to ${context}? Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Deletes that ask for a confirmation (Prune=confirm, Delete=confirm): --confirm-prune, else "yes" on a terminal, else refused. */
async function confirmDeletes(plan: Plan, flags: ApplyFlags): Promise<boolean> {
  const asking = deletesToConfirm(plan);
  if (asking.length === 0 || flags.confirmPrune) return true;
  if (!process.stdin.isTTY || flags.autoApprove || flags.confirmContext !== undefined) checkDeleteConfirmation(plan, false, { how: '--confirm-prune' });
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${asking.length === 1 ? 'This object asks' : `These ${asking.length} objects ask`} for a confirmation before ${asking.length === 1 ? 'it is' : 'they are'} deleted (Prune=confirm or Delete=confirm): ${asking.map((c) => formatKey(c.key)).join(', ')}. Delete ${asking.length === 1 ? 'it' : 'them'}? Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** What the reader must know before saying yes: sets taken over, fields other managers own. */
function applyNotes(plan: Plan, flags: ApplyFlags): string[] {
  const notes: string[] = [];
  for (const a of plan.inputs.applySet.adopts ?? []) {
    if (a.why === 'confirmed') notes.push(`This plan takes over the ApplySet ${a.parent} (--adopt): its objects become app ${plan.inputs.app.name}'s.`);
  }
  const contested = plan.changes.filter((c) => c.flags.includes('other-manager'));
  if (contested.length > 0 && !flags.forceConflicts) {
    notes.push(`${contested.length} change${contested.length === 1 ? ' sets' : 's set'} fields another field manager owns (${contested.map((c) => formatKey(c.key)).join(', ')}): ${contested.length === 1 ? 'it fails' : 'they fail'} unless you take the fields over with --force-conflicts.`);
  }
  return notes;
}

async function runApply(plan: Plan, flags: ApplyFlags): Promise<void> {
  const color = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
  if (!flags.json) process.stdout.write(renderPlanText(plan, { color }));
  const s = plan.summary;
  if (s.error > 0 || hasErrors(plan.diagnostics)) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'plan-has-errors', planId: plan.id, diagnostics: plan.diagnostics })}\n`);
    process.stderr.write('The plan has errors (above): nothing was applied.\n');
    process.exitCode = 1;
    return;
  }
  if (s.create + s.update + s.delete + s.replace === 0) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'no-changes', planId: plan.id })}\n`);
    return;
  }
  if (!(await confirm(plan, flags))) {
    process.stderr.write('Apply cancelled: nothing was changed.\n');
    process.exitCode = 1;
    return;
  }
  const outcome = await execute(plan, flags);
  if (flags.json) process.stdout.write(`${JSON.stringify({ runId: outcome.runId, status: outcome.status, error: outcome.error, results: outcome.results.map((r) => ({ key: r.key, action: r.action, ...(r.hook && { hook: r.hook }), outcome: r.outcome, message: r.message })) }, null, 2)}\n`);
  if (exitCodeOf(outcome.status) !== 0) process.exitCode = 1;
}

/**
 * An app of apps (core/engine/apply-set.ts): every plan shown, one confirmation, then the parent
 * and each child app applied in order, each as its own run, stopping at the first that fails.
 */
async function runApplySet(set: PlanSet, flags: ApplyFlags): Promise<void> {
  if (set.children.length === 0) return runApply(set.plan, flags);
  const color = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
  if (!flags.json) process.stdout.write(renderPlanSetText(set, { color }));
  let todo: SetToApply;
  try {
    todo = plansToApply(set);
  } catch (err) {
    if (!(err instanceof SlipwayError)) throw err;
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'plan-has-errors', planId: set.plan.id, error: err.message })}\n`);
    process.stderr.write(`${err.message}${err.hint ? ` (${err.hint})` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  for (const note of todo.notes) process.stderr.write(`${note}\n`);
  if (todo.plans.length === 0) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'no-changes', planId: set.plan.id })}\n`);
    return;
  }
  // One confirmation for the set: a protected app among them asks for the context name.
  const strictest = todo.plans.find((p) => p.inputs.app.protected) ?? todo.plans[0]!;
  // Deletes that ask for a confirmation (Prune=confirm, Delete=confirm) in the other plans are confirmed too; confirm() asks for the strictest's.
  const othersConfirmed = await todo.plans.filter((p) => p !== strictest).reduce<Promise<boolean>>(async (ok, p) => (await ok) && confirmDeletes(p, flags), Promise.resolve(true));
  if (!othersConfirmed || !(await confirm(strictest, flags, { plans: todo.plans.length }))) {
    process.stderr.write('Apply cancelled: nothing was changed.\n');
    process.exitCode = 1;
    return;
  }
  const runs: { app: string; runId: string; status: string; error?: string }[] = [];
  for (const [i, plan] of todo.plans.entries()) {
    if (!flags.json) process.stderr.write(`━━ ${plan.inputs.app.name} (${i + 1} of ${todo.plans.length})\n`);
    const outcome = await execute(plan, flags);
    runs.push({ app: plan.inputs.app.name, runId: outcome.runId, status: outcome.status, ...(outcome.error && { error: outcome.error }) });
    if (exitCodeOf(outcome.status) !== 0) {
      const rest = todo.plans.slice(i + 1).map((p) => p.inputs.app.name);
      if (!flags.json && rest.length > 0) process.stderr.write(`Stopped: ${rest.join(', ')} ${rest.length === 1 ? 'was' : 'were'} not applied.\n`);
      process.exitCode = 1;
      break;
    }
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ status: runs.every((r) => exitCodeOf(r.status) === 0) ? (runs.some((r) => r.status === 'progressing') ? 'progressing' : 'succeeded') : 'failed', runs }, null, 2)}\n`);
}

/** Applies one plan as one run, printing its progress (not with --json). */
async function execute(plan: Plan, flags: ApplyFlags): Promise<ApplyOutcome> {
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const repo = await openRepositoryArg(plan.inputs.repo);
  const history = openHistory({ path: historyPath(flags) });
  const abort = new AbortController();
  // Progress lines go out a few at a time (one write each was half the CPU of printing 2,000 objects); flushed when the run ends.
  const lines = lineBuffer((text) => void process.stderr.write(text));
  const printer = applyPrinter(lines.out);
  const onSigint = (): void => {
    lines.flush();
    process.stderr.write('\nCancelling: no new calls will be started; waiting for the ones in flight…\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const outcome = await applyPlan({
      plan,
      repo,
      kubeconfig,
      ...(flags.context !== undefined && { context: flags.context }),
      history,
      cacheDir: treesCacheDir(),
      ...(flags.forceConflicts && { forceConflicts: true }),
      ...(flags.timeout !== undefined && { timeoutMs: flags.timeout * 1000 }),
      ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }),
      signal: abort.signal,
      ...(!flags.json && {
        onEvent: (e: ApplyEvent) => {
          printer(e);
          if (e.type === 'finished') lines.flush();
        },
      }),
    });
    if (!flags.json) process.stderr.write(`Run ${outcome.runId} recorded in ${history.path}\n`);
    return outcome;
  } finally {
    lines.flush();
    process.off('SIGINT', onSigint);
    history.close();
    await repo.close();
  }
}

/** apply [plan-file]: a saved plan exactly, else plan with the flags and apply after confirmation (cli/commands/apply.ts defines the flags). */
export async function runApplyCommand(planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  if (planFile) {
    const given = (['namespace', 'prune', 'createNamespace', 'adopt'] as const).filter((f) => flags[f] !== undefined);
    if (given.length > 0) throw new InvalidArgumentError(`${given.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} change${given.length === 1 ? 's' : ''} what is planned: a saved plan is applied exactly as it was made, so plan again with ${given.length === 1 ? 'it' : 'them'}`);
    const plan = parsePlan(readFileSync(planFile, 'utf8'), { file: planFile });
    return runApply(plan, flags);
  }
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const context = contextOf(kubeconfig, flags.context);
  const repo = await openRepositoryArg(flags.repo);
  let set: PlanSet;
  try {
    const request = { repo, kubeconfig, context, ...planRequestOf(flags) };
    set = flags.children ? await planAppSet(request) : { plan: await planApp(request), children: [] };
  } finally {
    await repo.close();
  }
  return runApplySet(set, { ...flags, context });
}

/** rollback --to: plan the app at an earlier apply's commit (or any revision), show it, apply after confirmation. */
export async function runRollback(flags: ApplyFlags & { to: string }): Promise<void> {
  const history = openHistory({ path: historyPath(flags) });
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const options = { cacheDir: treesCacheDir(), ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }) };
  const adopt = flags.adopt ? { adopt: true } : {};
  let made: PlanFromRun;
  try {
    // An apply run id goes back to that run as it was (its app, namespace, prune; flags given now still win); anything else is a revision.
    made = history.run(flags.to)
      ? await planRollbackToRun({ history, openRepository: openRepositoryArg, kubeconfig, ...(flags.context !== undefined && { context: flags.context }), options, runId: flags.to, overrides: overridesOf(flags), ...adopt })
      : await planRollbackToRevision({ history, kubeconfig, context: contextOf(kubeconfig, flags.context), options, repo: await openRepositoryArg(flags.repo), rev: flags.to, selection: selectionOf(flags), overrides: overridesOf(flags), ...adopt });
    await made.repo.close();
  } finally {
    history.close();
  }
  // The plan's mode says what the run is: a rollback to the run it goes back to, or (a revision no run applied) an apply.
  return runApply(made.plan, { ...flags, context: made.plan.inputs.cluster!.context });
}

/** revert <run-id>: plan the exact undo of an earlier run, show it, apply after confirmation. */
export async function runRevert(runId: string, flags: ApplyFlags): Promise<void> {
  const history = openHistory({ path: historyPath(flags) });
  let made: PlanFromRun;
  try {
    const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
    made = await planRevertOfRun({ history, openRepository: openRepositoryArg, kubeconfig, ...(flags.context !== undefined && { context: flags.context }), options: { cacheDir: treesCacheDir(), ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }) }, runId });
    await made.repo.close();
  } finally {
    history.close();
  }
  const { plan } = made;
  // Restoring exactly means taking back fields others changed since: conflicts are forced.
  return runApply(plan, { ...flags, forceConflicts: true, repo: plan.inputs.repo, rev: plan.inputs.commit });
}
