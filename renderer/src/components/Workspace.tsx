/**
 * The Workspace screen: open a repository, then pick an app, a revision and a context, plan
 * (button or Ctrl/Cmd+Enter), review the plan, apply it (confirmation, then live progress), and
 * browse the History, from which a rollback or revert opens as a plan preview to apply like any
 * other. All engine calls go through the injected HostApi; this component does not know which
 * transport carries them. Its state lives in hooks (renderer/src/workspace): the selection, the
 * plan session with its two sources (the pickers, History's previews) and the apply runs.
 */
import { Suspense, useCallback, useEffect, useState } from 'react';
import { applyGate } from '../applyGate.js';
import { applyButton } from '../destroy.js';
import { errorInfo, useHost } from '../host.js';
import { liveTargetOfInputs } from '../liveTarget.js';
import { folderFailure, ORIGIN_TEXT } from '../planInputs.js';
import { planPrompt } from '../planPrompt.js';
import { sameSelection, selectedAppName } from '../selection.js';
import { PLAN_SHORTCUT } from '../workspace/planShortcut.js';
import { useApplyAccess } from '../workspace/useApplyAccess.js';
import { useApplyRuns } from '../workspace/useApplyRuns.js';
import { useDrift } from '../workspace/useDrift.js';
import { useFollowApplied } from '../workspace/useFollowApplied.js';
import { useLiveTarget } from '../workspace/useLiveTarget.js';
import { useNotifications } from '../workspace/useNotifications.js';
import { usePlanning, usePlanSession } from '../workspace/usePlanSession.js';
import { usePreview } from '../workspace/usePreview.js';
import { useRunPlan } from '../workspace/useRunPlan.js';
import { useSelection } from '../workspace/useSelection.js';
import { ApplyDialog, ApplyProgressView, HistoryView, LiveView, PlanArea, preloadWorkspaceViews } from '../workspaceViews.js';
import { DriftBadge } from './DriftBadge.js';
import { useRevisionLabelSource } from './CommitLabel.js';
import { ErrorMessage } from './Errors.js';
import { KubeconfigProblem } from './KubeconfigProblem.js';
import { useSettings } from './Settings.js';
import { namespaceProblem } from './PlanOptions.js';
import { StartBar } from './StartBar.js';
import { TopBar } from './TopBar.js';

export function Workspace(): React.JSX.Element {
  const host = useHost();
  const [view, setView] = useState<'plan' | 'history' | 'live'>('plan');
  const showPlan = useCallback(() => setView('plan'), []);
  const session = usePlanSession(showPlan);
  const selection = useSelection(host, session.clear);
  const { inputs, repo, revisions, apps, contexts, context, chosenApp } = selection;
  const { runPlan, runPlanAdopting, stale, staleReason } = usePlanning(host, session, inputs);
  const runPreview = usePreview(host, session, inputs);
  const openRunPlan = useRunPlan(host, session, repo?.id ?? null);
  const runs = useApplyRuns(host);
  const followApplied = useFollowApplied(host, selection);
  useRevisionLabelSource(repo?.id ?? null, revisions);
  const access = useApplyAccess(host, session.plan);
  // Drift of the chosen app on the chosen context: the badge beside the tabs, and the desktop notifications.
  const drift = useDrift(host, liveTargetOfInputs(inputs));
  useNotifications(host, drift, runs.planOf, useSettings().result?.settings.notifications);
  const live = useLiveTarget(inputs, repo);
  // The views of an open repository are their own chunk: it loads once there is one.
  const hasRepo = repo !== null;
  useEffect(() => {
    if (hasRepo) preloadWorkspaceViews();
  }, [hasRepo]);

  if (!repo || !revisions) {
    if (selection.startup.status === 'pending') return <div className="start" aria-busy="true" data-testid="startup-pending" />;
    return <StartBar onOpened={selection.opened} {...(selection.startup.failed && { initial: selection.startup.failed })} />;
  }

  const { plan, planning, planRun, runningInputs } = session;
  const { applying } = runs;
  const shown = plan?.plan;
  // This very plan's apply (this session), or the run a past run's plan belongs to.
  const applied = plan?.appliedIn ? { runId: plan.appliedIn, status: runs.statusOf(plan.appliedIn) } : plan?.origin?.kind === 'run' ? { runId: plan.origin.run.id, status: plan.origin.run.status } : null;
  const gate = applyGate({ plan: shown, planning, stale, applying: applying !== null, applied, access });
  const contextInfo = contexts.status === 'ready' ? contexts.value.contexts : [];
  const contextProtected = shown !== undefined && contextInfo.some((c) => c.name === shown.inputs.cluster?.context && c.protected === true);
  const historyApp = selectedAppName(chosenApp) ?? (plan && !plan.origin ? plan.plan.inputs.app.name : null);
  const failedFolder = folderFailure(planRun.status === 'failed' ? errorInfo(planRun.error) : null, runningInputs);
  const { folderCheck } = selection;
  // The typed folder's own problem first; the engine's answer about it while that folder is still the choice.
  const folderProblem = folderCheck && !folderCheck.ok ? `${selection.folderText.trim()} ${folderCheck.reason}` : runningInputs && sameSelection(runningInputs.app, chosenApp) ? failedFolder : null;
  const origin = plan?.origin;
  const previewKind = origin?.kind === 'run' ? undefined : origin?.kind;
  const replan = origin && previewKind ? () => runPreview(previewKind, origin.run) : runPlan;
  const prompt = planPrompt({ app: chosenApp !== null, folderMode: selection.folderMode, revision: selection.rev !== null, context: context !== null, namespaceProblem: namespaceProblem(selection.options.namespace) }, PLAN_SHORTCUT);
  return (
    <div className="workspace">
      <TopBar
        repo={repo}
        revisions={revisions}
        selection={selection}
        folderProblem={folderProblem}
        planning={planning}
        gate={gate}
        applyButton={applyButton(shown)}
        onPlan={runPlan}
        onApply={() => runs.setConfirming(true)}
        onCloseRepository={() => {
          selection.close();
          session.discard();
        }}
      />
      <nav className="tabs" aria-label="Views">
        <button type="button" role="tab" aria-selected={view === 'plan'} className={view === 'plan' ? 'on' : ''} data-testid="tab-plan" onClick={() => setView('plan')}>
          {applying ? 'Apply' : 'Plan'}
        </button>
        <button type="button" role="tab" aria-selected={view === 'history'} className={view === 'history' ? 'on' : ''} data-testid="tab-history" onClick={() => setView('history')}>
          History
        </button>
        <button type="button" role="tab" aria-selected={view === 'live'} className={view === 'live' ? 'on' : ''} data-testid="tab-live" onClick={() => setView('live')}>
          Live
        </button>
        <DriftBadge state={drift} planning={planning} onPlanFix={runPlan} />
      </nav>
      {apps.status === 'failed' && <ErrorMessage compact title="Cannot read the apps of this revision" error={errorInfo(apps.error)} />}
      <KubeconfigProblem contexts={contexts} onReload={selection.reload} />
      <main className="workspace-main">
        <Suspense fallback={<div className="loading" aria-busy="true" />}>
          {view === 'live' && <LiveView target={live.target} onPlan={showPlan} />}
          {view === 'history' && <HistoryView repoId={repo.id} app={historyApp} context={context} refreshKey={runs.historyKey} previewing={planning} onPreview={runPreview} onOpenPlan={openRunPlan} />}
          {view === 'plan' && applying && (
            <ApplyProgressView
              runId={applying.runId}
              plan={applying.plan}
              events={runs.events}
              startedAt={applying.startedAt}
              onClose={runs.closeProgress}
              onShowHistory={() => {
                runs.closeProgress();
                setView('history');
              }}
              onOpenLive={() => {
                live.showApplied(applying.plan);
                setView('live');
              }}
              // A failed run's way back: the rollback or revert opens as a plan preview, as from History.
              onPreview={(kind, run) => {
                runs.closeProgress();
                runPreview(kind, run);
              }}
            />
          )}
          {view === 'plan' && !applying && (
            <PlanArea
              session={session}
              stale={stale}
              staleReason={staleReason}
              applied={applied}
              {...(shown?.inputs.repo === repo.dir && { repoId: repo.id })}
              prompt={prompt}
              errorTitle={failedFolder ?? 'The plan failed'}
              onReplan={replan}
              onAdopt={runPlanAdopting}
              onPickApp={(name) => selection.setApp({ app: name })}
            />
          )}
        </Suspense>
      </main>
      {runs.confirming && shown && (
        <Suspense fallback={null}>
          <ApplyDialog
            plan={shown}
            what={origin ? `${ORIGIN_TEXT[origin.kind]} plan` : undefined}
            protectedContext={contextProtected}
            onClose={() => runs.setConfirming(false)}
            onStarted={(started) => {
              setView('plan');
              runs.started(shown, started.runId);
              followApplied(started.runId, shown, origin?.run);
              session.markApplied(shown.id, started.runId);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
